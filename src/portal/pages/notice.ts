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
  /**
   * The stored article (renderNoticeArticle at publication, or the final notice's at finalisation),
   * inserted byte for byte.
   */
  article: string;
  /** Which document the article is: the public notice (公示), or the final results notice (通报) that follows it. */
  edition: "notice" | "final";
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

/** Where a notice's article and PDF are, by edition (each address's bytes never change). */
const files = {
  notice: { article: "article.html", pdf: "notice.pdf" },
  final: { article: "final-article.html", pdf: "final.pdf" },
} as const;

/**
 * A results notice (公示) page, or once finalised the final results notice (通报): the status, the stored article, view count (an image counted and drawn
 * by the server, so the page itself stays cacheable), print, share link, previous/next, and the
 * article's hashes in the footer with a link to check them. A final notice also links the public
 * notice it follows (its original and PDF), whose hashes verify as before.
 */
export function noticePage(p: NoticePageProps): string {
  const w = words[p.view.lang];
  const path = noticePath(p.id);
  const own = files[p.edition];
  const earlier =
    p.edition === "final" &&
    html`<p class="earlier">${w.earlier}<a href="${href(`${path}/${files.notice.article}`, p.view)}">${w.earlierArticle}</a> · <a href="${href(`${path}/${files.notice.pdf}`, { ...p.view, size: "m" })}" type="application/pdf">${w.earlierPdf}</a></p>`;
  const neighbour = (label: string, n: NoticeLink | undefined) =>
    html`<li><span>${label}${w.colon}</span>${n ? html`<a href="${href(noticePath(n.id), p.view)}">${n.title}</a>` : w.noPrevious}</li>`;
  const main = html`<p class="status status-${p.status}">${w.status[p.status]}</p>
${p.supersededBy && html`<p class="notice-note"><a href="${href(noticePath(p.supersededBy), p.view)}">${w.supersededBy}</a></p>`}
${p.supersedes && html`<p class="notice-note"><a href="${href(noticePath(p.supersedes), p.view)}">${w.supersedes}</a></p>`}
${trusted(p.article)}
<div class="tools">
<p class="views">${w.views}${w.colon}<img src="${path}/views.svg" alt="${w.views}" width="64" height="20"></p>
<p class="print" data-label="${w.print}"><span class="print-hint">${w.printHint}</span></p>
<p class="pdf"><a href="${href(`${path}/${own.pdf}`, { ...p.view, size: "m" })}" type="application/pdf">${w.pdf}</a></p>
${earlier}
<p class="share">${w.share}${w.colon}<a href="${p.shareUrl}">${p.shareUrl}</a></p>
</div>
<nav class="neighbours" aria-label="${w.previous} / ${w.next}"><ul>
${neighbour(w.previous, p.previous)}
${neighbour(w.next, p.next)}
</ul></nav>`;
  const hashesLabel = p.edition === "final" ? w.finalHashes : w.hashes;
  const footer =
    p.hashes &&
    html`<section class="hashes" aria-label="${hashesLabel}"><p>${hashesLabel}${w.colon}</p>
<p>SM3: <code>${p.hashes.sm3}</code></p>
<p>SHA-256: <code>${p.hashes.sha256}</code></p>
<p class="hash-links"><a href="${href("/portal/verify", p.view, { hash: p.hashes.sm3 })}">${w.verify}</a> · <a href="${href(`${path}/${own.article}`, p.view)}">${w.original}</a></p></section>`;
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
