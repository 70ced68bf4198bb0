import type { Lang } from "../../engine/errors.js";
import type { PageHashes } from "./hashes.js";
import { type Html, html, trusted } from "./html.js";
import { href, page, type View } from "./layout.js";
import { day, words } from "./text.js";

/** A bulletin as lists and the previous/next links name it. */
export interface BulletinLink {
  id: string;
  title: string;
  publishedAt: Date;
}

export const bulletinPath = (id: string) => `/portal/bulletins/${id}`;

/** What a bulletin's article is made of, fixed at publication. */
export interface BulletinContent {
  title: string;
  /** The body: HTML already kept to the allow-list (server/modules/bulletins/sanitise.ts). */
  body: string;
  source: string;
  publishedAt: Date;
}

/**
 * A bulletin's article: title, date, source, the sanitised body, the signature. Rendered once at
 * publication and stored; its bytes are what the recorded hashes are of (the same `id="notice"` as a
 * notice's, so the verify page and `kaohe portal check` find it in a saved page the same way).
 */
export function renderBulletinArticle(c: BulletinContent, lang: Lang): string {
  const w = words[lang];
  const at = c.publishedAt.toISOString();
  return html`<article id="notice" class="notice bulletin" lang="${lang}">
<h1>${c.title}</h1>
<p class="meta"><span>${w.published}${w.colon}<time datetime="${at}">${day(c.publishedAt)}</time></span> <span>${w.source}${w.colon}${c.source}</span></p>
<div class="body">
${trusted(c.body)}
<p class="sign">${c.source}<br><time datetime="${at}">${day(c.publishedAt)}</time></p>
</div>
</article>`.text;
}

export interface BulletinPageProps {
  view: View;
  id: string;
  title: string;
  /** The stored article, inserted byte for byte. */
  article: string;
  hashes: PageHashes | undefined;
  previous: BulletinLink | undefined;
  next: BulletinLink | undefined;
  shareUrl: string;
}

/** A bulletin's page: breadcrumb 首页 > 喜报/通报 > title, the article, tools, neighbours, hashes in the footer. */
export function bulletinPage(p: BulletinPageProps): string {
  const w = words[p.view.lang];
  const path = bulletinPath(p.id);
  const neighbour = (label: string, n: BulletinLink | undefined) =>
    html`<li><span>${label}${w.colon}</span>${n ? html`<a href="${href(bulletinPath(n.id), p.view)}">${n.title}</a>` : w.noPrevious}</li>`;
  const main = html`${trusted(p.article)}
<div class="tools">
<p class="views">${w.views}${w.colon}<img src="${path}/views.svg" alt="${w.views}" width="64" height="20"></p>
<p class="print" data-label="${w.print}"><span class="print-hint">${w.printHint}</span></p>
<p class="share">${w.share}${w.colon}<a href="${p.shareUrl}">${p.shareUrl}</a></p>
</div>
<nav class="neighbours" aria-label="${w.previous} / ${w.next}"><ul>
${neighbour(w.previous, p.previous)}
${neighbour(w.next, p.next)}
</ul></nav>`;
  const footer =
    p.hashes &&
    html`<section class="hashes" aria-label="${w.hashes}"><p>${w.hashes}${w.colon}</p>
<p>SM3: <code>${p.hashes.sm3}</code></p>
<p>SHA-256: <code>${p.hashes.sha256}</code></p>
<p class="hash-links"><a href="${href("/portal/verify", p.view, { hash: p.hashes.sm3 })}">${w.verify}</a> · <a href="${href(`${path}/article.html`, p.view)}">${w.original}</a></p></section>`;
  return page({
    view: p.view,
    path,
    title: p.title,
    crumbs: [
      { label: w.home, path: "/portal" },
      { label: w.bulletins, path: "/portal/bulletins" },
      { label: p.title },
    ],
    main,
    ...(footer ? { footer } : {}),
  });
}

/** The bulletins as a list (home page and the list page). */
export function bulletinList(view: View, items: readonly BulletinLink[]): Html {
  const w = words[view.lang];
  if (items.length === 0) return html`<p>${w.noBulletins}</p>`;
  return html`<ul class="news">
${items.map(
  (b) =>
    html`<li><a href="${href(bulletinPath(b.id), view)}">${b.title}</a> <time datetime="${b.publishedAt.toISOString()}">${day(b.publishedAt)}</time></li>
`,
)}</ul>`;
}

/** 喜报/通报: every published bulletin, newest first, a page at a time. */
export function bulletinsPage(
  view: View,
  items: readonly BulletinLink[],
  at: { page: number; pages: number },
): string {
  const w = words[view.lang];
  const pager =
    at.pages > 1 &&
    html`<nav class="pager" aria-label="${w.pages}"><ul>${Array.from({ length: at.pages }, (_, k) =>
      k + 1 === at.page
        ? html`<li aria-current="page">${k + 1}</li>`
        : html`<li><a href="${href("/portal/bulletins", view, { page: String(k + 1) })}">${k + 1}</a></li>`,
    )}</ul></nav>`;
  return page({
    view,
    path: "/portal/bulletins",
    title: w.bulletins,
    crumbs: [{ label: w.home, path: "/portal" }, { label: w.bulletins }],
    main: html`<h1>${w.bulletins}</h1>
${bulletinList(view, items)}
${pager}`,
  });
}
