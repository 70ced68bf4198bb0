/**
 * The portal's stylesheet and its one script, served from /portal/portal.css and /portal/portal.js
 * (the CSP allows no inline style or script). Kept here as text so the build carries them.
 */
export const PORTAL_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; }
html.size-l { font-size: 118.75%; }
html.size-s { font-size: 87.5%; }
body { min-height: 100vh; display: flex; flex-direction: column; margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; line-height: 1.7; color: #1f1f1f; background: #f4f4f4; }
a { color: #0b4f9c; }
a:hover, a:focus { color: #8c0000; }
:focus-visible { outline: 3px solid #e8a200; outline-offset: 2px; }
.wrap { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
body > .wrap { flex: 1 0 auto; width: 100%; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 8px; z-index: 1; }
header.site { background: #a50000; color: #fff; border-bottom: 4px solid #d9a300; }
header.site .wrap { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; padding-top: 12px; padding-bottom: 12px; }
header.site a { color: #fff; text-decoration: none; }
header.site a:hover, header.site a:focus { text-decoration: underline; color: #fff; }
.site-name { margin: 0; font-size: 1.5rem; font-weight: 700; letter-spacing: 0.05em; }
header.site nav a { margin-left: 16px; }
header.site nav a:first-child { margin-left: 0; }
.crumbs ol { list-style: none; margin: 12px 0 0; padding: 0; display: flex; flex-wrap: wrap; font-size: 0.875rem; color: #555; }
.crumbs li + li::before { content: ">"; padding: 0 8px; color: #595959; }
.sizes { margin: 4px 0 8px; font-size: 0.875rem; text-align: right; }
.sizes a { margin-left: 8px; }
.sizes a[aria-current] { font-weight: 700; color: #8c0000; text-decoration: none; }
main { background: #fff; padding: 24px 32px 32px; margin-bottom: 24px; border: 1px solid #e3e3e3; }
h1 { font-size: 1.625rem; line-height: 1.4; color: #8c0000; margin: 0 0 12px; }
.notice h1 { text-align: center; }
h2 { font-size: 1.25rem; border-left: 4px solid #a50000; padding-left: 8px; margin: 28px 0 12px; }
.meta { text-align: center; color: #555; font-size: 0.875rem; border-bottom: 1px solid #e3e3e3; padding-bottom: 12px; }
.meta span { margin: 0 12px; display: inline-block; }
.lead { text-indent: 2em; }
.bulletin .body p:not(.sign) { text-indent: 2em; }
.sign { text-align: right; margin-top: 32px; }
.table-wrap { overflow-x: auto; }
figure.chart { margin: 8px 0 16px; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { font-size: 0.875rem; color: #555; }
table { border-collapse: collapse; width: 100%; font-size: 0.9375rem; }
caption { text-align: left; font-weight: 700; padding: 4px 0; color: #333; }
th, td { border: 1px solid #c9c9c9; padding: 6px 10px; text-align: left; }
thead th { background: #f3e6e6; }
tbody th { font-weight: 400; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { display: inline-block; margin: 0 0 12px; padding: 2px 10px; border-radius: 2px; font-size: 0.875rem; color: #fff; background: #a50000; }
.status-final { background: #1f6b2c; }
.status-withdrawn { background: #595959; }
.notice-note { background: #fff8e1; border: 1px solid #e8c36a; padding: 8px 12px; }
.tools { margin-top: 24px; border-top: 1px dashed #c9c9c9; padding-top: 12px; font-size: 0.875rem; color: #444; }
.tools p { margin: 4px 0; }
.views img { vertical-align: middle; }
.share a { word-break: break-all; }
.print-button { font: inherit; padding: 2px 12px; cursor: pointer; }
.print-button + .print-hint { display: none; }
.neighbours ul, .pager ul { list-style: none; padding: 0; }
.neighbours li { margin: 4px 0; }
.pager ul { display: flex; gap: 8px; }
.news { list-style: none; padding: 0; margin: 0; }
.news li { border-bottom: 1px dashed #d6d6d6; padding: 8px 0; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
.news li a { flex: 1 1 20em; }
.news time { color: #555; font-size: 0.875rem; }
.tag { font-size: 0.75rem; padding: 0 6px; border: 1px solid currentColor; color: #a50000; }
.tag-final { color: #1f6b2c; }
.tag-withdrawn { color: #595959; }
form { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 16px 0; }
form label { flex-basis: 100%; }
form input[type=text] { flex: 1 1 20em; font: inherit; padding: 4px 8px; border: 1px solid #767676; font-family: monospace; }
form button { font: inherit; padding: 4px 16px; background: #a50000; color: #fff; border: 0; cursor: pointer; }
.verdict { padding: 8px 12px; border: 1px solid; }
.verdict.ok { color: #1f6b2c; background: #eef7ef; }
.verdict.bad { color: #8c0000; background: #fdeeee; }
footer.site { background: #3a3a3a; color: #eee; font-size: 0.8125rem; padding: 16px 0; }
footer.site a { color: #fff; }
footer.site code { word-break: break-all; font-size: 0.75rem; }
footer.site p { margin: 4px 0; }
@media (max-width: 600px) {
  main { padding: 16px 12px 20px; }
  h1 { font-size: 1.375rem; }
  .meta span { margin: 0 4px; }
  th, td { padding: 4px 6px; }
  .sizes { text-align: left; }
}
@page { size: A4; margin: 18mm 15mm; }
@media print {
  body { display: block; min-height: 0; background: #fff; color: #000; font-size: 11pt; }
  header.site, .crumbs, .sizes, .tools, .neighbours, .skip, .status, .pager { display: none !important; }
  main { border: 0; padding: 0; margin: 0; }
  .wrap { max-width: none; padding: 0; }
  h1 { color: #000; }
  h2 { border-left-color: #000; break-after: avoid; }
  a { color: #000; text-decoration: none; }
  thead { display: table-header-group; }
  tr, figure.chart { break-inside: avoid; }
  thead th { background: #eee; }
  footer.site { background: #fff; color: #000; border-top: 1px solid #000; }
  footer.site .hash-links, footer.site .verify-link { display: none; }
}
`;

/**
 * Progressive enhancement only: a print button in place of the hint to use the browser's print command
 * (the page works without it; a button hidden in the HTML would be what the tampering scan flags).
 */
export const PORTAL_JS = `for (const p of document.querySelectorAll(".print[data-label]")) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "print-button";
  b.textContent = p.dataset.label;
  b.addEventListener("click", () => window.print());
  p.prepend(b);
}
`;
