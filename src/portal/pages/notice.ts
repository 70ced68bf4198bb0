import type { PageHashes } from "./hashes.js";
import { html, trusted } from "./html.js";
import { href, page, type View } from "./layout.js";
import { words } from "./text.js";

export type NoticeStatus = "notice" | "final" | "withdrawn";

/** A notice as lists and the previous/next links name it. */
export interface NoticeLink {
  id: string;
  title: string;
  publishedAt: Date;
  status: NoticeStatus;
  /** The page's path where it is not a notice's (a bulletin found by its hash). */
  path?: string;
}

export interface NoticePageProps {
  view: View;
  id: string;
  title: string;
  /** The stored article (renderNoticeArticle at publication), inserted byte for byte. */
  article: string;
  hashes: PageHashes | undefined;
  status: NoticeStatus;
  supersedes: string | null;
  supersededBy: string | null;
  previous: NoticeLink | undefined;
  next: NoticeLink | undefined;
  /** The page's own absolute address, to share. */
  shareUrl: string;
}

export const noticePath = (id: string) => `/portal/notices/${id}`;

/**
 * A results notice (公示) page: the status, the stored article, view count (an image counted and drawn
 * by the server, so the page itself stays cacheable), print, share link, previous/next, and the
 * article's hashes in the footer with a link to check them.
 */
export function noticePage(p: NoticePageProps): string {
  const w = words[p.view.lang];
  const path = noticePath(p.id);
  const neighbour = (label: string, n: NoticeLink | undefined) =>
    html`<li><span>${label}${w.colon}</span>${n ? html`<a href="${href(noticePath(n.id), p.view)}">${n.title}</a>` : w.noPrevious}</li>`;
  const main = html`<p class="status status-${p.status}">${w.status[p.status]}</p>
${p.supersededBy && html`<p class="notice-note"><a href="${href(noticePath(p.supersededBy), p.view)}">${w.supersededBy}</a></p>`}
${p.supersedes && html`<p class="notice-note"><a href="${href(noticePath(p.supersedes), p.view)}">${w.supersedes}</a></p>`}
${trusted(p.article)}
<div class="tools">
<p class="views">${w.views}${w.colon}<img src="${path}/views.svg" alt="${w.views}" width="64" height="20"></p>
<p class="print" data-label="${w.print}"><span class="print-hint">${w.printHint}</span></p>
<p class="pdf"><a href="${href(`${path}/notice.pdf`, { ...p.view, size: "m" })}" type="application/pdf">${w.pdf}</a></p>
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
      { label: w.results, path: "/portal/results" },
      { label: p.title },
    ],
    main,
    ...(footer ? { footer } : {}),
  });
}
