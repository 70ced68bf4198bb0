import { cspNonce } from "./theme";

/**
 * Makes the strict style-src (no 'unsafe-inline') hold without breaking antd's helpers, which style
 * elements in two ways the policy refuses:
 *
 * - A `style` attribute set with setAttribute: the textarea autosize measure does this to hide its
 *   measuring textarea, which the refusal left visible and focusable (an aria-hidden textarea in
 *   the tab order) and measuring with the wrong sizes. Such a call is done through the CSSOM
 *   (`style.cssText`) instead, which the policy permits: the same style, applied.
 * - A <style> element inserted without a nonce: antd's own styles carry it (ConfigProvider csp), but
 *   the scroll lock of a Modal or Drawer and the scrollbar measure of a scrolling Table insert bare
 *   ones, which the refusal left the page scrolling behind a dialog. They get the page's nonce.
 *
 * Only our own scripts run (script-src is strict), and style attributes in markup (an injected
 * fragment) are still refused, so this adds no way in; the policy stays as strict as it is.
 */
export function nonceInsertedStyles(): void {
  const nonce = cspNonce();
  if (!nonce || typeof Node === "undefined") return;
  const stamp = (node: Node) => {
    if (node instanceof HTMLStyleElement && !node.nonce) node.nonce = nonce;
  };
  const { setAttribute } = Element.prototype;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string): void {
    if (name.toLowerCase() === "style" && (this instanceof HTMLElement || this instanceof SVGElement))
      this.style.cssText = String(value);
    else setAttribute.call(this, name, value);
  };
  const { appendChild, insertBefore } = Node.prototype;
  Node.prototype.appendChild = function <T extends Node>(this: Node, node: T): T {
    stamp(node);
    return appendChild.call(this, node) as T;
  };
  Node.prototype.insertBefore = function <T extends Node>(this: Node, node: T, child: Node | null): T {
    stamp(node);
    return insertBefore.call(this, node, child) as T;
  };
}
