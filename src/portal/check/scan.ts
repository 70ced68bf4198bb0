import { parse } from "parse5";
import { htmlElements, textAttributes } from "./elements.js";
import { byPlace, excerpt, type Finding } from "./finding.js";
import { hiddenContent, whyHidden } from "./hidden.js";
import { checkElement } from "./rules.js";
import { hiddenSelectors } from "./styles.js";
import { termMatcher } from "./term-matcher.js";
import type { TermList } from "./terms.js";
import {
  attr,
  attrPlace,
  type Element,
  isElement,
  isHtml,
  type Node,
  parentElement,
  placeOf,
  walk,
} from "./tree.js";

/** The largest page scanned, in characters: a published notice is a few hundred KB at most. */
export const MAX_PAGE_CHARS = 5 * 1024 * 1024;

export interface ScanOptions {
  /** Hosts the page may link to and load from (lower case, `host:port` for another port). */
  ownHosts?: Iterable<string>;
  /** The word list; the documented one by default. */
  terms?: readonly TermList[];
}

/** The documented word list, compiled once. */
const defaultMatcher = termMatcher();

const CATEGORY = {
  gambling: { "zh-CN": "赌博", en: "gambling" },
  pornography: { "zh-CN": "色情", en: "pornography" },
} as const;

/** A text node as the report names it: by the element it is in. */
const textPlace = (n: Node) => {
  const p = parentElement(n);
  return p ? `<${p.tagName}> text` : "text";
};

/** Where in the source a term found at `index` of a text starting at `at` is. */
function termPlace(text: string, index: number, at: { line: number; column: number }, multiline: boolean) {
  if (!multiline) return { line: at.line, column: at.column + index };
  const before = text.slice(0, index);
  const nl = before.lastIndexOf("\n");
  return {
    line: at.line + (before.match(/\n/g)?.length ?? 0),
    column: nl >= 0 ? index - nl : at.column + index,
  };
}

/** Counts of things reported once per page with their first place (terms, junk tags, repeated ids). */
class Tally {
  private readonly seen = new Map<string, Finding>();
  add(key: string, make: () => Finding) {
    const f = this.seen.get(key);
    if (f) f.count = (f.count ?? 1) + 1;
    else this.seen.set(key, make());
  }
  findings(): Finding[] {
    return [...this.seen.values()];
  }
}

/**
 * Scans one HTML page for what tampering leaves on it (docs/portal-check.md): links and resources on
 * other hosts, scripts, frames, hidden content, meta refreshes, gambling and pornography terms, junk
 * tags and repeated ids. Pure: the page is given as text. Throws a RangeError past MAX_PAGE_CHARS.
 */
export function scanPage(html: string, options: ScanOptions = {}): Finding[] {
  if (html.length > MAX_PAGE_CHARS) throw new RangeError(`page larger than ${MAX_PAGE_CHARS} characters`);
  const doc = parse(html, { sourceCodeLocationInfo: true });
  const ownHosts = new Set([...(options.ownHosts ?? [])].map((h) => h.toLowerCase()));
  const match = options.terms ? termMatcher(options.terms) : defaultMatcher;
  const nodes = [...walk(doc)];
  const sheets = nodes
    .filter((n): n is Element => isElement(n) && n.tagName === "style")
    .map((el) => el.childNodes.map((t) => ("value" in t ? t.value : "")).join(""))
    .join("\n");
  const hiddenBySheet = hiddenSelectors(sheets);
  const findings: Finding[] = [];
  const tally = new Tally();
  const inHidden = new Set<Node>();

  const terms = (text: string, at: { line: number; column: number }, where: string, multiline: boolean) => {
    for (const hit of match(text)) {
      const cat = CATEGORY[hit.category];
      // The place is worked out for a term's first occurrence only: a text of many hits stays linear.
      tally.add(`term:${hit.term}`, () => ({
        code: "term",
        ...termPlace(text, hit.index, at, multiline),
        element: where,
        reason: {
          "zh-CN": `${cat["zh-CN"]}用语“${hit.term}”：${excerpt(text.slice(Math.max(0, hit.index - 20), hit.index + 40), 60)}`,
          en: `${cat.en} term "${hit.term}": ${excerpt(text.slice(Math.max(0, hit.index - 20), hit.index + 40), 60)}`,
        },
      }));
    }
  };

  for (const n of nodes) {
    if (!isElement(n)) {
      if (n.nodeName === "#text" && "value" in n) terms(n.value, placeOf(n), textPlace(n), true);
      else if (n.nodeName === "#comment" && "data" in n) terms(n.data, placeOf(n), "<!-- -->", true);
      continue;
    }
    const parent = n.parentNode;
    if (parent && inHidden.has(parent)) inHidden.add(n);
    else {
      const reason = whyHidden(n, hiddenBySheet);
      if (reason) {
        inHidden.add(n);
        const f = hiddenContent(n, reason);
        if (f) findings.push(f);
      }
    }
    findings.push(...checkElement(n, ownHosts));
    for (const a of textAttributes) {
      const v = attr(n, a);
      if (v && !(a === "content" && n.tagName !== "meta"))
        terms(v, attrPlace(n, a), `<${n.tagName} ${a}>`, false);
    }
    if (isHtml(n) && !htmlElements.has(n.tagName) && !n.tagName.includes("-"))
      tally.add(`tag:${n.tagName}`, () => ({
        code: "unknown-element",
        ...placeOf(n),
        element: `<${n.tagName}>`,
        reason: {
          "zh-CN": `HTML 中没有的标签 <${n.tagName}>：篡改时注入的无意义标签`,
          en: `<${n.tagName}> is no HTML element: junk markup injected with the tampering`,
        },
      }));
    const id = attr(n, "id");
    if (id)
      tally.add(`id:${id}`, () => ({
        code: "duplicate-id",
        ...placeOf(n),
        element: `<${n.tagName} id="${excerpt(id, 40)}">`,
        reason: {
          "zh-CN": `id“${excerpt(id, 40)}”被多个元素使用（id 应唯一；批量注入的标签常共用一个 id）`,
          en: `id "${excerpt(id, 40)}" is used by more than one element (ids are unique; injected tags often share one)`,
        },
      }));
  }
  const counted = tally.findings().filter((f) => f.code !== "duplicate-id" || (f.count ?? 1) > 1);
  return [...findings, ...counted].sort(byPlace);
}
