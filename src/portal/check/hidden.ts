import type { Lang } from "../../engine/errors.js";
import type { Finding } from "./finding.js";
import { excerpt } from "./finding.js";
import { hidingReason } from "./styles.js";
import { attr, describe, type Element, isElement, parentElement, placeOf, walk } from "./tree.js";

type Reason = Record<Lang, string>;

/** Elements that are never rendered, so hiding them says nothing. */
const UNRENDERED = new Set([
  "head",
  "script",
  "style",
  "meta",
  "link",
  "title",
  "template",
  "noscript",
  "base",
]);

/** Why an element is hidden from a reader: its hidden attribute, its style, or a class or id rule. */
export function whyHidden(el: Element, hiddenBySheet: ReadonlyMap<string, Reason>): Reason | null {
  if (UNRENDERED.has(el.tagName) || (el.tagName === "input" && attr(el, "type") === "hidden")) return null;
  if (attr(el, "hidden") !== undefined)
    return { "zh-CN": "hidden 属性隐藏", en: "hidden by its hidden attribute" };
  const style = attr(el, "style");
  const inline = style ? hidingReason(style) : null;
  if (inline) return inline;
  const id = attr(el, "id");
  const byId = id ? hiddenBySheet.get(`#${id}`) : undefined;
  if (byId) return byId;
  for (const c of (attr(el, "class") ?? "").split(/\s+/)) {
    const byClass = c ? hiddenBySheet.get(`.${c}`) : undefined;
    if (byClass) return byClass;
  }
  return null;
}

const isFragmentLink = (el: Element) => el.tagName === "a" && (attr(el, "href") ?? "").trim().startsWith("#");

/**
 * A finding for a hidden element that hides something: a link that leaves the page, or text. Empty
 * hidden boxes are harmless, and so is a skip link ("跳到正文", a link to `#main` kept off-screen until
 * focused), which is why text inside same-page links does not count.
 */
export function hiddenContent(el: Element, reason: Reason): Finding | null {
  const links: string[] = [];
  let text = "";
  const skipped = new Set<Element>();
  for (const n of walk(el)) {
    const parent = parentElement(n);
    if (parent && skipped.has(parent)) {
      if (isElement(n)) skipped.add(n);
      continue;
    }
    if (!isElement(n)) {
      if (n.nodeName === "#text" && "value" in n) text += n.value;
      continue;
    }
    if (isFragmentLink(n) || UNRENDERED.has(n.tagName)) skipped.add(n);
    else if (n.tagName === "a" && attr(n, "href") !== undefined) links.push(attr(n, "href") as string);
  }
  const shown = excerpt(text, 60);
  if (links.length === 0 && shown === "") return null;
  const what =
    links.length > 0
      ? {
          zh: `其中有 ${links.length} 个链接（如 ${excerpt(links[0] as string, 60)}）`,
          en: `it holds ${links.length} link(s) (e.g. ${excerpt(links[0] as string, 60)})`,
        }
      : { zh: `其中有文字“${shown}”`, en: `it holds the text "${shown}"` };
  return {
    code: "hidden",
    ...placeOf(el),
    element: describe(el, attr(el, "style") !== undefined ? "style" : "class"),
    reason: {
      "zh-CN": `隐藏元素（${reason["zh-CN"]}），${what.zh}：读者看不到，搜索引擎却能读到`,
      en: `hidden element (${reason.en}); ${what.en}: invisible to readers, read by search engines`,
    },
  };
}
