import { type BulletinLink, bulletinList } from "./bulletin.js";
import { type Html, html } from "./html.js";
import { href, page, type View } from "./layout.js";
import { type NoticeLink, noticePath } from "./notice.js";
import { day, words } from "./text.js";

const noticeList = (view: View, notices: readonly NoticeLink[]): Html => {
  const w = words[view.lang];
  if (notices.length === 0) return html`<p>${w.none}</p>`;
  return html`<ul class="news">
${notices.map(
  (n) =>
    html`<li><a href="${href(noticePath(n.id), view)}">${n.title}</a> <span class="tag tag-${n.status}">${w.status[n.status]}</span> <time datetime="${n.publishedAt.toISOString()}">${day(n.publishedAt)}</time></li>
`,
)}</ul>`;
};

/** The home page: the latest notices and bulletins, and links to all of them. */
export function homePage(
  view: View,
  latest: readonly NoticeLink[],
  bulletins: readonly BulletinLink[] = [],
): string {
  const w = words[view.lang];
  return page({
    view,
    path: "/portal",
    title: w.home,
    crumbs: [{ label: w.home }],
    main: html`<h1>${w.site}</h1>
<section aria-labelledby="latest"><h2 id="latest">${w.latest}</h2>
${noticeList(view, latest)}
<p class="more"><a href="${href("/portal/results", view)}">${w.more}${w.colon}${w.results}</a></p>
</section>
<section aria-labelledby="latest-bulletins"><h2 id="latest-bulletins">${w.latestBulletins}</h2>
${bulletinList(view, bulletins)}
<p class="more"><a href="${href("/portal/bulletins", view)}">${w.more}${w.colon}${w.bulletins}</a></p>
</section>`,
  });
}

/** 考核结果: every notice, newest first, a page at a time. */
export function resultsPage(
  view: View,
  notices: readonly NoticeLink[],
  at: { page: number; pages: number },
): string {
  const w = words[view.lang];
  const pager =
    at.pages > 1 &&
    html`<nav class="pager" aria-label="${w.pages}"><ul>${Array.from({ length: at.pages }, (_, k) =>
      k + 1 === at.page
        ? html`<li aria-current="page">${k + 1}</li>`
        : html`<li><a href="${href("/portal/results", view, { page: String(k + 1) })}">${k + 1}</a></li>`,
    )}</ul></nav>`;
  return page({
    view,
    path: "/portal/results",
    title: w.results,
    crumbs: [{ label: w.home, path: "/portal" }, { label: w.results }],
    main: html`<h1>${w.results}</h1>
${noticeList(view, notices)}
${pager}`,
  });
}

/** The portal's own 404 page (not the web app's). */
export function notFoundPage(view: View): string {
  const w = words[view.lang];
  return page({
    view,
    path: "/portal",
    title: w.notFound,
    crumbs: [{ label: w.home, path: "/portal" }, { label: w.notFound }],
    main: html`<h1>${w.notFound}</h1><p>${w.notFoundText}</p>`,
  });
}
