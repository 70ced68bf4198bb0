/**
 * Where dialogs render: inside #root rather than on <body>. On <body>, antd's Modal locks scrolling by
 * injecting a <style> element without the page's CSP nonce, which the strict style-src refuses (a
 * console error per dialog); in another container it does not lock, and nothing is refused.
 */
export const modalRoot = (): HTMLElement => document.getElementById("root") ?? document.body;
