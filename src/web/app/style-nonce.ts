import { cspNonce } from "./theme";

/**
 * Gives the page's CSP nonce to every <style> element a script inserts without one. antd's own styles
 * carry it (ConfigProvider csp), but its rc-component helpers do not: the scroll lock of a Modal or
 * Drawer and the scrollbar measurement of a scrolling Table insert bare <style> elements, which the
 * strict style-src (no 'unsafe-inline') refuses, leaving the page scrolling behind a dialog. Only our
 * own scripts run (script-src is strict), so this adds no way in; the policy stays as strict as it is.
 */
export function nonceInsertedStyles(): void {
  const nonce = cspNonce();
  if (!nonce || typeof Node === "undefined") return;
  const stamp = (node: Node) => {
    if (node instanceof HTMLStyleElement && !node.nonce) node.nonce = nonce;
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
