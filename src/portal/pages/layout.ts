import type { Lang } from "../../engine/errors.js";
import { type Html, html } from "./html.js";
import { words } from "./text.js";

export type FontSize = "l" | "m" | "s";

/** What every page is rendered for: its language and text size (both chosen by the query, no JS). */
export interface View {
  lang: Lang;
  size: FontSize;
}

/** A portal path with the view's choices kept (the defaults, zh-CN and 中, left out). */
export function href(path: string, view: View, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  if (view.lang === "en") q.set("lang", "en");
  if (view.size !== "m") q.set("size", view.size);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export interface Crumb {
  label: string;
  path?: string;
}

export interface PageProps {
  view: View;
  /** This page's path, to link its other language and sizes. */
  path: string;
  title: string;
  crumbs: Crumb[];
  main: Html;
  /** Footer lines particular to the page (a notice's hashes). */
  footer?: Html;
}

/** The size switch: links to this page at each size, the current one marked. */
const sizeSwitch = (p: PageProps) => {
  const w = words[p.view.lang];
  return html`<p class="sizes"><span>${w.fontSize}${w.colon}</span>${(["l", "m", "s"] as const).map(
    (s) =>
      html` <a href="${href(p.path, { ...p.view, size: s })}"${p.view.size === s ? html` aria-current="true"` : ""}>${w.sizes[s]}</a>`,
  )}</p>`;
};

/**
 * A portal page: header with the site's name and the other language, breadcrumb (首页 > …), the main
 * content, footer. No inline script or style (the CSP stays strict): portal.css styles it, portal.js
 * only adds a print button.
 */
export function page(p: PageProps): string {
  const w = words[p.view.lang];
  const other = { ...p.view, lang: w.languageCode };
  return `<!doctype html>\n${html`<html lang="${p.view.lang}" class="size-${p.view.size}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} - ${w.site}</title>
<link rel="stylesheet" href="/portal/portal.css">
<link rel="alternate" hreflang="${other.lang}" href="${href(p.path, other)}">
<script src="/portal/portal.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${w.skip}</a>
<header class="site">
<div class="wrap">
<p class="site-name"><a href="${href("/portal", p.view)}">${w.site}</a></p>
<nav aria-label="${w.site}"><a href="${href("/portal", p.view)}">${w.home}</a> <a href="${href("/portal/results", p.view)}">${w.results}</a> <a href="${href("/portal/bulletins", p.view)}">${w.bulletins}</a> <a href="${href(p.path, other)}" lang="${other.lang}" title="${w.languageName}">${w.language}</a></nav>
</div>
</header>
<div class="wrap">
<nav class="crumbs" aria-label="${w.breadcrumb}"><ol>${p.crumbs.map((c, i) =>
    i === p.crumbs.length - 1
      ? html`<li aria-current="page">${c.label}</li>`
      : html`<li><a href="${href(c.path ?? "/portal", p.view)}">${c.label}</a></li>`,
  )}</ol></nav>
${sizeSwitch(p)}
<main id="main">
${p.main}
</main>
</div>
<footer class="site">
<div class="wrap">
${p.footer}
<p>${w.footer} <a class="verify-link" href="${href("/portal/verify", p.view)}">${w.verifyTitle}</a></p>
</div>
</footer>
</body>
</html>
`}`;
}
