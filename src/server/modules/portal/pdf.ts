import { and, eq } from "drizzle-orm";
import type { FastifyReply, FastifyRequest } from "fastify";
import { LRUCache } from "lru-cache";
import type { Lang } from "../../../engine/errors.js";
import type { Plan } from "../../../engine/index.js";
import type { PublicUnit } from "../../../portal/pages/article.js";
import { bytesHashes, type PageHashes } from "../../../portal/pages/hashes.js";
import { NOTO_CJK, pdfFontsInstalled } from "../../../portal/pdf/fonts.js";
import type { Database } from "../../db/client.js";
import { noticePdfs } from "../../db/schema/index.js";
import { appError } from "../../errors.js";
import { appendAudit, firstSealedEntry } from "../audit/service.js";
import { noticeContentOf } from "./record.js";
import { type Edition, type PortalService, pdfEntityId } from "./service.js";

/** A notice's PDF: its bytes and their hashes (SHA-256 and SM3, hex). */
export interface NoticePdf extends PageHashes {
  content: Buffer;
}

/** Who asked for a PDF first (the audit entry that records its hashes names them). */
export interface PdfRequester {
  actor: string;
  ip: string | null;
}

const pdfIntegrityError = () =>
  appError(
    500,
    "INTEGRITY_VIOLATION",
    "公示 PDF 与记录的哈希不符（可能在数据库中被篡改），已拒绝提供；请通知审计管理员运行 kaohe audit verify",
    "the notice PDF does not match its recorded hashes (it may have been altered in the database) and is not served; ask the audit administrator to run kaohe audit verify",
  );

const fontsMissing = () =>
  appError(
    503,
    "PDF_FONTS_MISSING",
    `服务器缺少生成 PDF 所需的中文字体（${NOTO_CJK.regular}），请安装 fonts-noto-cjk`,
    `the server lacks the Chinese fonts the PDF needs (${NOTO_CJK.regular}); install fonts-noto-cjk`,
  );

/**
 * Notices as PDF (docs/portal.md). A notice's PDF is made the first time it is asked for in a language
 * and stored with its hashes, which a sealed audit entry (`results.notice_pdf`) records: it is served
 * from the store ever after, byte for byte, and the portal's verify knows its hashes. Making it is
 * deterministic (renderNoticePdf), so two first requests at once make the same file and one row wins;
 * the publishing transaction does none of this work.
 */
export function createNoticePdfService(deps: { db: Database; portal: PortalService }) {
  const { db, portal } = deps;
  /** Checked PDFs (they never change); and the ones being made, so a crowd asking at once makes one. */
  const cache = new LRUCache<string, NoticePdf>({
    max: 32,
    maxSize: 64 << 20,
    sizeCalculation: (p) => p.content.length,
  });
  const making = new Map<string, Promise<NoticePdf>>();

  async function stored(id: string, lang: Lang, edition: Edition): Promise<NoticePdf | undefined> {
    const [row] = await db
      .select({ content: noticePdfs.content, sha256: noticePdfs.sha256, sm3: noticePdfs.sm3 })
      .from(noticePdfs)
      .where(
        and(eq(noticePdfs.publicationId, id), eq(noticePdfs.edition, edition), eq(noticePdfs.lang, lang)),
      );
    if (!row) return undefined;
    // The bytes must be those whose hashes the sealed audit entry recorded (a row's hashes changed to
    // match forged bytes do not count), as for the portal's pages.
    const actual = bytesHashes(row.content);
    const entry = await firstSealedEntry(db, {
      action: "results.notice_pdf",
      entity: "notice_pdf",
      entityId: pdfEntityId(id, lang, edition),
    });
    const recorded = entry?.after as Partial<PageHashes> | null | undefined;
    const same = (h: Partial<PageHashes> | null | undefined) =>
      h?.sha256 === actual.sha256 && h?.sm3 === actual.sm3;
    if (!same(row) || !same(recorded)) throw pdfIntegrityError();
    return row;
  }

  type Source = NonNullable<Awaited<ReturnType<PortalService["source"]>>>;
  async function make(
    id: string,
    lang: Lang,
    edition: Edition,
    by: PdfRequester,
    source: Source,
  ): Promise<NoticePdf> {
    const existing = await stored(id, lang, edition);
    if (existing) return existing;
    if (!pdfFontsInstalled()) throw fontsMissing();
    // Loaded when a PDF is first made, not at start-up (pdfkit and its font engine are large).
    const { renderNoticePdf } = await import("../../../portal/pdf/notice-pdf.js");
    const plan = source.plan as Plan;
    const articleHashes = edition === "final" ? source.finalHashes! : source.hashes;
    const content = await renderNoticePdf({
      id,
      lang,
      content: noticeContentOf({
        plan,
        noticeUntil: source.noticeUntil,
        visibleFrom: source.visibleFrom,
        ...(edition === "final" ? { finalisedAt: source.finalisedAt! } : {}),
        units: source.publicView as PublicUnit[],
      }),
      articleHashes: articleHashes[lang] ?? articleHashes["zh-CN"]!,
    });
    const hashes = bytesHashes(content);
    return db.transaction(async (tx) => {
      const inserted = await tx
        .insert(noticePdfs)
        .values({ publicationId: id, edition, lang, content, ...hashes })
        .onConflictDoNothing()
        .returning({ lang: noticePdfs.lang });
      // Another process made it meanwhile: the stored one is the one whose hashes were recorded.
      if (inserted.length === 0) return (await stored(id, lang, edition))!;
      await appendAudit(tx, {
        ...by,
        action: "results.notice_pdf",
        entity: "notice_pdf",
        entityId: pdfEntityId(id, lang, edition),
        after: {
          publicationId: id,
          ...(edition === "final" ? { edition } : {}),
          lang,
          bytes: content.length,
          ...hashes,
        },
      });
      return { content, ...hashes };
    });
  }

  return {
    /**
     * A notice's PDF in a language and edition (by default the current one: the final notice's once
     * finalised), made and recorded on first request; undefined when there is no such notice or
     * edition (or, with `visibleOnly`, none the public may see yet).
     */
    async pdf(id: string, lang: Lang, by: PdfRequester, visibleOnly: boolean, asked?: Edition) {
      // Asked each time: the public may not see a notice under embargo, or one its plan took back.
      const source = await portal.source(id, visibleOnly);
      if (!source) return undefined;
      const edition = asked ?? (source.finalHashes ? "final" : "notice");
      if (edition === "final" && (!source.finalHashes || !source.finalisedAt)) return undefined;
      const key = `${id}/${edition}/${lang}`;
      const known = cache.get(key);
      if (known) return { ...known, edition };
      let pending = making.get(key);
      if (!pending) {
        pending = make(id, lang, edition, by, source).finally(() => making.delete(key));
        making.set(key, pending);
      }
      const pdf = await pending;
      cache.set(key, pdf);
      return { ...pdf, edition };
    },
  };
}

export type NoticePdfService = ReturnType<typeof createNoticePdfService>;

/**
 * Sends a notice's PDF: inline (a browser shows it; saving keeps the bytes), named by the notice, with
 * its SHA-256 as a strong ETag (304 on If-None-Match) and its hashes in headers for scripts.
 */
export function sendNoticePdf(
  request: FastifyRequest,
  reply: FastifyReply,
  pdf: NoticePdf & { edition: Edition },
  how: { id: string; lang: Lang; cache: string },
) {
  const etag = `"${pdf.sha256}"`;
  const name = `${pdf.edition === "final" ? "final" : "notice"}-${how.id}${how.lang === "en" ? "-en" : ""}.pdf`;
  reply
    .header("etag", etag)
    .header("cache-control", how.cache)
    .header("x-content-sha256", pdf.sha256)
    .header("x-content-sm3", pdf.sm3);
  const asked = request.headers["if-none-match"];
  if (asked?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return reply.status(304).send();
  return reply
    .type("application/pdf")
    .header("content-disposition", `inline; filename="${name}"`)
    .send(pdf.content);
}
