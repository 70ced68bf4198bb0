/**
 * Gives the page's CSP nonce to every <style> element a library inserts without one. antd's own
 * CSS-in-JS takes the nonce from the ConfigProvider, but a few rc-component helpers call their
 * dynamic-CSS function with no nonce: the table's scrollbar measurement (every Table) and the modal's
 * scroll lock (every Modal). Under the strict CSP those styles were blocked, each with a console error.
 * Only <style> elements are touched, and only ones with no nonce of their own.
 */
export function nonceInsertedStyles(nonce: string): void {
  const give = (node: unknown) => {
    if (node instanceof HTMLStyleElement && !node.nonce) node.nonce = nonce;
  };
  const append = Node.prototype.appendChild;
  const insert = Node.prototype.insertBefore;
  Node.prototype.appendChild = function <T extends Node>(this: Node, node: T): T {
    give(node);
    return append.call(this, node) as T;
  };
  Node.prototype.insertBefore = function <T extends Node>(this: Node, node: T, child: Node | null): T {
    give(node);
    return insert.call(this, node, child) as T;
  };
}
