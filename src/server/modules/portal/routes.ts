import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PORTAL_CSS, PORTAL_JS } from "../../../portal/pages/assets.js";
import { bulletinPage, bulletinPath, bulletinsPage } from "../../../portal/pages/bulletin.js";
import { bytesHashes, extractArticle, pageHashes } from "../../../portal/pages/hashes.js";
import { href, type View } from "../../../portal/pages/layout.js";
import { homePage, notFoundPage, resultsPage } from "../../../portal/pages/lists.js";
import { noticePage, noticePath } from "../../../portal/pages/notice.js";
import { verifyPage } from "../../../portal/pages/verify.js";
import { MAX_PAGE_BYTES } from "../../../portal/read-page.js";
import { acceptForms, type FormFile, readFormFile } from "../../plugins/multipart.js";
import type { BulletinPortal } from "../bulletins/portal.js";
import { type NoticePdfService, sendNoticePdf } from "./pdf.js";
import type { PortalService } from "./service.js";

/** How long a cache may keep a page before asking again (ETag): an embargo lifts at most this late there. */
const PAGE_CACHE = "public, max-age=60";
const ASSET_CACHE = "public, max-age=86400";
/**
 * A notice's article never changes once published (a correction is a new notice; the final results
 * notice is a new document at its own address).
 */
const IMMUTABLE = "public, max-age=31536000, immutable";
const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_HASH = /^[0-9a-f]{64}$/;

/** The view a query asks for: `lang=en` for English, `size=l|s` for large or small text. */
function viewOf(request: FastifyRequest): View {
  const q = request.query as Record<string, unknown>;
  return {
    lang: q.lang === "en" ? "en" : "zh-CN",
    size: q.size === "l" ? "l" : q.size === "s" ? "s" : "m",
  };
}

const etagOf = (body: string) => `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;

/** Whether If-None-Match names this ETag (weak comparison, RFC 9110 §13.1.2; `*` matches any). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === etag || t === "*");
}

/** Sends a body with its ETag and Cache-Control, or 304 when the caller's copy is this one. */
function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string,
  type: string,
  cache: string,
  status = 200,
) {
  const etag = etagOf(body);
  reply.header("etag", etag).header("cache-control", cache);
  if (status === 200 && matches(request.headers["if-none-match"], etag)) return reply.status(304).send();
  return reply.status(status).type(type).send(body);
}

const HTML = "text/html; charset=utf-8";

const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString("latin1") === "%PDF-";

/** The views image: the count drawn as SVG text (the page around it stays cacheable). */
const viewsSvg = (views: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="20" viewBox="0 0 64 20" role="img"><title>${views}</title><text x="0" y="15" font-family="sans-serif" font-size="14" fill="#1f1f1f">${views}</text></svg>`;

/**
 * The public portal (docs/portal.md): server-rendered pages under /portal, no sign-in, no JavaScript
 * needed. Every page has an ETag and Cache-Control (304 on If-None-Match), so a CDN or nginx in front
 * can carry result day; only the view counter image is never cached.
 */
export const portalRoutes =
  (deps: { portal: PortalService; bulletins: BulletinPortal; pdfs: NoticePdfService }) =>
  async (app: FastifyInstance): Promise<void> => {
    const open = { schema: { hide: true }, config: { anonymous: true, noCsrf: true } };
    const notFound = (request: FastifyRequest, reply: FastifyReply) =>
      sendCached(request, reply, notFoundPage(viewOf(request)), HTML, PAGE_CACHE, 404);
    const base = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
    /** A published page with this hash: a notice's, else a bulletin's (its link then names its own path). */
    const byHash = async (hash: string, lang: View["lang"]) => {
      const notice = await deps.portal.byHash(hash, lang);
      if (notice) return notice;
      const bulletin = await deps.bulletins.byHash(hash, lang);
      return bulletin && { ...bulletin, status: "final" as const, path: bulletinPath(bulletin.id) };
    };

    app.get("/portal/portal.css", open, (request, reply) =>
      sendCached(request, reply, PORTAL_CSS, "text/css; charset=utf-8", ASSET_CACHE),
    );
    app.get("/portal/portal.js", open, (request, reply) =>
      sendCached(request, reply, PORTAL_JS, "text/javascript; charset=utf-8", ASSET_CACHE),
    );

    app.get("/portal", open, async (request, reply) => {
      const view = viewOf(request);
      const { items } = await deps.portal.list(view.lang, 1, 10);
      const { items: bulletins } = await deps.bulletins.list(view.lang, 1, 10);
      return sendCached(request, reply, homePage(view, items, bulletins), HTML, PAGE_CACHE);
    });

    app.get("/portal/bulletins", open, async (request, reply) => {
      const view = viewOf(request);
      const asked = Number((request.query as Record<string, unknown>).page ?? 1);
      const at = Number.isInteger(asked) && asked >= 1 && asked <= 10_000 ? asked : 1;
      const { items, pages } = await deps.bulletins.list(view.lang, at, PAGE_SIZE);
      if (at > pages) return notFound(request, reply);
      return sendCached(request, reply, bulletinsPage(view, items, { page: at, pages }), HTML, PAGE_CACHE);
    });

    app.get<{ Params: { id: string } }>("/portal/bulletins/:id", open, async (request, reply) => {
      const view = viewOf(request);
      const { id } = request.params;
      const found = UUID.test(id) ? await deps.bulletins.page(id, view.lang) : undefined;
      if (!found) return notFound(request, reply);
      const body = bulletinPage({
        view,
        ...found,
        shareUrl: `${base(request)}${href(bulletinPath(id), { ...view, size: "m" })}`,
      });
      return sendCached(request, reply, body, HTML, PAGE_CACHE);
    });

    app.get<{ Params: { id: string } }>(
      "/portal/bulletins/:id/article.html",
      open,
      async (request, reply) => {
        const { id } = request.params;
        const article = UUID.test(id) ? await deps.bulletins.article(id, viewOf(request).lang) : undefined;
        if (article === undefined) return notFound(request, reply);
        return sendCached(request, reply, article, "text/plain; charset=utf-8", IMMUTABLE);
      },
    );

    app.get<{ Params: { id: string } }>("/portal/bulletins/:id/views.svg", open, async (request, reply) => {
      const { id } = request.params;
      const views =
        UUID.test(id) && request.method === "GET" ? await deps.bulletins.countView(id) : undefined;
      if (views === undefined) return notFound(request, reply);
      return reply.header("cache-control", "no-store").type("image/svg+xml").send(viewsSvg(views));
    });

    app.get("/portal/results", open, async (request, reply) => {
      const view = viewOf(request);
      const asked = Number((request.query as Record<string, unknown>).page ?? 1);
      const at = Number.isInteger(asked) && asked >= 1 && asked <= 10_000 ? asked : 1;
      const { items, pages } = await deps.portal.list(view.lang, at, PAGE_SIZE);
      if (at > pages) return notFound(request, reply);
      return sendCached(request, reply, resultsPage(view, items, { page: at, pages }), HTML, PAGE_CACHE);
    });

    app.get<{ Params: { id: string } }>("/portal/notices/:id", open, async (request, reply) => {
      const view = viewOf(request);
      const { id } = request.params;
      const notice = UUID.test(id) ? await deps.portal.notice(id, view.lang) : undefined;
      if (!notice) return notFound(request, reply);
      const body = noticePage({
        view,
        ...notice,
        shareUrl: `${base(request)}${href(noticePath(id), { ...view, size: "m" })}`,
      });
      return sendCached(request, reply, body, HTML, PAGE_CACHE);
    });

    // The bytes the recorded hashes are of, as plain text: `curl … | sha256sum` checks them. Each
    // edition has its own address, so each address's bytes never change (the public notice's stay
    // at article.html after finalisation; the final notice's are at final-article.html).
    for (const [file, edition] of [
      ["article.html", "notice"],
      ["final-article.html", "final"],
    ] as const)
      app.get<{ Params: { id: string } }>(`/portal/notices/:id/${file}`, open, async (request, reply) => {
        const { id } = request.params;
        const article = UUID.test(id)
          ? await deps.portal.article(id, viewOf(request).lang, edition)
          : undefined;
        if (article === undefined) return notFound(request, reply);
        return sendCached(request, reply, article, "text/plain; charset=utf-8", IMMUTABLE);
      });

    // The notice as PDF, made on first request and recorded (portal/pdf.ts); anyone asking first is
    // "public". The public notice's at notice.pdf, the final notice's at final.pdf, each immutable.
    for (const [file, edition] of [
      ["notice.pdf", "notice"],
      ["final.pdf", "final"],
    ] as const)
      app.get<{ Params: { id: string } }>(`/portal/notices/:id/${file}`, open, async (request, reply) => {
        const { id } = request.params;
        const lang = viewOf(request).lang;
        const pdf = UUID.test(id)
          ? await deps.pdfs.pdf(id, lang, { actor: "public", ip: request.ip }, true, edition)
          : undefined;
        if (!pdf) return notFound(request, reply);
        return sendNoticePdf(request, reply, pdf, { id, lang, cache: IMMUTABLE });
      });

    app.get<{ Params: { id: string } }>("/portal/notices/:id/views.svg", open, async (request, reply) => {
      const { id } = request.params;
      // A HEAD (or a prefetch that only asks) is not a view.
      const views = UUID.test(id) && request.method === "GET" ? await deps.portal.countView(id) : undefined;
      if (views === undefined) return notFound(request, reply);
      return reply.header("cache-control", "no-store").type("image/svg+xml").send(viewsSvg(views));
    });

    app.get("/portal/verify", open, async (request, reply) => {
      const view = viewOf(request);
      const raw = (request.query as Record<string, unknown>).hash;
      const hash = typeof raw === "string" && raw.trim() !== "" ? raw.trim().toLowerCase() : undefined;
      const found =
        hash === undefined ? undefined : HEX_HASH.test(hash) ? await byHash(hash, view.lang) : null;
      const asked = hash === undefined ? undefined : { hash, found: found ?? null };
      return sendCached(request, reply, verifyPage(view, asked), HTML, PAGE_CACHE);
    });

    // A saved page (or its article) uploaded: is it, byte for byte, what was published?
    await acceptForms(app, MAX_PAGE_BYTES);
    app.post("/portal/verify", open, async (request, reply) => {
      const view = viewOf(request);
      let file: FormFile;
      try {
        if (!request.isMultipart()) throw new Error("not a form");
        file = await readFormFile(request);
      } catch {
        const body = verifyPage(view, { problem: "form" });
        return reply.status(400).header("cache-control", "no-store").type(HTML).send(body);
      }
      // A PDF is hashed as its bytes; a page as its article's UTF-8 text (or the whole file without one).
      const text = file.body.toString("utf8");
      const { sha256 } = isPdf(file.body) ? bytesHashes(file.body) : pageHashes(extractArticle(text) ?? text);
      const found = file.truncated ? null : await byHash(sha256, view.lang);
      const body = verifyPage(view, { file: file.filename || "—", found, tooLarge: file.truncated });
      return reply.header("cache-control", "no-store").type(HTML).send(body);
    });

    // Any other path under /portal is the portal's 404, not the web app's page.
    app.get("/portal/*", open, (request, reply) => notFound(request, reply));
  };
