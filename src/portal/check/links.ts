import { parse } from "parse5";
import { attr, isElement, walk } from "./tree.js";

/**
 * The pages a page links to, resolved against its URL, on the same origin only, without fragments:
 * what `kaohe portal check --base` follows. <base href> is ignored on purpose: an injected one must
 * not steer the check to another site.
 */
export function sameOriginLinks(html: string, pageUrl: string): string[] {
  const base = new URL(pageUrl);
  const out = new Set<string>();
  for (const n of walk(parse(html))) {
    if (!isElement(n) || (n.tagName !== "a" && n.tagName !== "area")) continue;
    const href = attr(n, "href");
    if (href === undefined) continue;
    // A link that says it is to a file, not a page (the notice's PDF), is not crawled: fetching it may
    // make the file (portal/pdf.ts), and it holds no links to scan.
    const type = attr(n, "type");
    if (type !== undefined && !/^\s*(text\/html|application\/xhtml\+xml)/i.test(type)) continue;
    let url: URL;
    try {
      url = new URL(href.trim(), base);
    } catch {
      continue;
    }
    if (url.origin !== base.origin) continue;
    url.hash = "";
    out.add(url.href);
  }
  return [...out];
}
