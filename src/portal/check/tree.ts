import type { DefaultTreeAdapterTypes as T } from "parse5";

export type Element = T.Element;
export type Node = T.Node;

const HTML_NS = "http://www.w3.org/1999/xhtml";

export const isElement = (n: Node): n is Element => "tagName" in n;
export const isHtml = (el: Element) => el.namespaceURI === HTML_NS;

export const attr = (el: Element, name: string): string | undefined =>
  el.attrs.find((a) => a.name === name || (a.prefix && `${a.prefix}:${a.name}` === name))?.value;

/** The element a node is in, if any. */
export function parentElement(n: Node): Element | null {
  const p = "parentNode" in n ? n.parentNode : null;
  return p && isElement(p) ? p : null;
}

/** The children of a node, a <template>'s content included (its markup is the page's too). */
export function childrenOf(n: Node): readonly Node[] {
  const kids = "childNodes" in n ? n.childNodes : [];
  return n.nodeName === "template" && "content" in n
    ? [...kids, ...(n as T.Template).content.childNodes]
    : kids;
}

/**
 * Every node under `root` in document order, without recursion: spam can nest junk tags deep enough
 * to overflow a recursive walk.
 */
export function* walk(root: Node): Generator<Node> {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    yield n;
    const kids = childrenOf(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Node);
  }
}

/** Where a node starts in the source (line and column, 1-based); 1:1 when parse5 gives none. */
export function placeOf(n: Node): { line: number; column: number } {
  const loc = "sourceCodeLocation" in n ? n.sourceCodeLocation : null;
  return { line: loc?.startLine ?? 1, column: loc?.startCol ?? 1 };
}

/** The place of an attribute's value, or of its element when parse5 gives none. */
export function attrPlace(el: Element, name: string): { line: number; column: number } {
  const loc = el.sourceCodeLocation?.attrs?.[name];
  return loc ? { line: loc.startLine, column: loc.startCol } : placeOf(el);
}

/** An element as the report shows it: its tag with the one attribute the finding is about. */
export function describe(el: Element, name?: string): string {
  const value = name === undefined ? undefined : attr(el, name);
  if (value === undefined) {
    const id = attr(el, "id");
    return id ? `<${el.tagName} id="${id.slice(0, 40)}">` : `<${el.tagName}>`;
  }
  const shown = value.replace(/\s+/g, " ");
  return `<${el.tagName} ${name}="${shown.length > 60 ? `${shown.slice(0, 59)}…` : shown}">`;
}
