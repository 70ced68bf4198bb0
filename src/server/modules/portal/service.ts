import { and, count, desc, eq, lte, ne, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Lang } from "../../../engine/errors.js";
import type { PageHashes } from "../../../portal/pages/hashes.js";
import type { NoticeLink } from "../../../portal/pages/notice.js";
import type { Database } from "../../db/client.js";
import { noticePdfs, planVersions, portalPages, publications } from "../../db/schema/index.js";
import { appError } from "../../errors.js";
import { firstSealedEntry } from "../audit/service.js";
import { successor } from "../publication/service.js";
import { matchesSealedEntry, type StoredPage, sameHashes } from "./sealed-pages.js";

/** A publication's two documents: its public notice (公示) and, once finalised, its final results notice (通报). */
export type Edition = "notice" | "final";

/** The audit entry's entity id of a notice's PDF in a language (the final notice's names its edition). */
export const pdfEntityId = (publicationId: string, lang: string, edition: Edition = "notice") =>
  edition === "final" ? `${publicationId}/final/${lang}` : `${publicationId}/${lang}`;

/** A notice's page as stored: the public notice's articles, and the final notice's once finalised. */
type Stored = StoredPage & {
  finalArticles: Record<string, string> | null;
  finalHashes: Record<string, PageHashes> | null;
};

/** The final notice's articles as a stored page, where there is one. */
const finalPage = (row: Stored): StoredPage | null =>
  row.finalArticles && row.finalHashes ? { articles: row.finalArticles, hashes: row.finalHashes } : null;

const pageIntegrityError = () =>
  appError(
    500,
    "INTEGRITY_VIOLATION",
    "公示页面与审计日志记录的哈希不符（可能在数据库中被篡改），已拒绝提供；请通知审计管理员运行 kaohe audit verify",
    "the notice page does not match the hashes the audit trail recorded (it may have been altered in the database) and is not served; ask the audit administrator to run kaohe audit verify",
  );

/**
 * The portal's reads: notices visible now (their embargo passed, their plan version in force), newest
 * first by the time they became visible; and its one write, a page's view count.
 */
export function createPortalService(deps: { db: Database; now: () => Date }) {
  const { db, now } = deps;
  /**
   * Pages checked against the sealed audit entry that published them, kept as checked: a page is
   * written once and never changed, so a copy cannot go stale, and one changed in the database later
   * never reaches the public from a process that already checked it.
   */
  const checked = new LRUCache<string, Stored>({ max: 256 });
  /**
   * A stored page, once its articles' hashes are those its row and the publish audit entry recorded,
   * and the final notice's (where there is one) those the finalise entry recorded. A copy checked
   * before finalisation is checked again once the row has a final notice.
   */
  async function verified(id: string, row: Stored): Promise<Stored> {
    const known = checked.get(id);
    if (known && (known.finalArticles !== null || row.finalArticles === null)) return known;
    const final = finalPage(row);
    const intact =
      (await matchesSealedEntry(
        db,
        { action: "results.publish", entity: "publication", entityId: id },
        row,
      )) &&
      (final === null ||
        (await matchesSealedEntry(
          db,
          { action: "results.finalise", entity: "publication", entityId: id },
          final,
        )));
    if (!intact) throw pageIntegrityError();
    checked.set(id, row);
    return row;
  }
  const storedColumns = {
    articles: portalPages.articles,
    hashes: portalPages.hashes,
    finalArticles: portalPages.finalArticles,
    finalHashes: portalPages.finalHashes,
  };
  const visible = () => and(lte(portalPages.visibleFrom, now()), ne(planVersions.status, "draft"));
  const linkColumns = {
    id: portalPages.publicationId,
    titles: portalPages.titles,
    finalTitles: portalPages.finalTitles,
    visibleFrom: portalPages.visibleFrom,
    status: publications.status,
  };
  const links = () =>
    db
      .select(linkColumns)
      .from(portalPages)
      .innerJoin(publications, eq(publications.id, portalPages.publicationId))
      .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId));
  type Row = {
    id: string;
    titles: Record<string, string>;
    finalTitles: Record<string, string> | null;
    visibleFrom: Date;
    status: NoticeLink["status"];
  };
  /** A notice as lists name it: by its final notice's title once finalised (`edition` to name the other). */
  const link =
    (lang: Lang, edition?: Edition) =>
    (r: Row): NoticeLink => {
      const titles =
        (edition ?? (r.finalTitles ? "final" : "notice")) === "final" ? r.finalTitles! : r.titles;
      return {
        id: r.id,
        title: titles[lang] ?? titles["zh-CN"]!,
        publishedAt: r.visibleFrom,
        status: r.status,
      };
    };
  /** A visible notice's PDF with this hash; only one whose hashes its sealed audit entry recorded counts. */
  async function pdfByHash(hash: string, lang: Lang) {
    const [row] = await links()
      .innerJoin(noticePdfs, eq(noticePdfs.publicationId, portalPages.publicationId))
      .where(and(visible(), sql`(${noticePdfs.sha256} = ${hash} OR ${noticePdfs.sm3} = ${hash})`))
      .limit(1);
    if (!row) return null;
    const [pdf] = await db
      .select({
        lang: noticePdfs.lang,
        edition: noticePdfs.edition,
        sha256: noticePdfs.sha256,
        sm3: noticePdfs.sm3,
      })
      .from(noticePdfs)
      .where(
        and(
          eq(noticePdfs.publicationId, row.id),
          sql`(${noticePdfs.sha256} = ${hash} OR ${noticePdfs.sm3} = ${hash})`,
        ),
      );
    const entry = await firstSealedEntry(db, {
      action: "results.notice_pdf",
      entity: "notice_pdf",
      entityId: pdfEntityId(row.id, pdf!.lang, pdf!.edition),
    });
    if (!sameHashes(entry?.after as PageHashes | undefined, pdf!)) return null;
    return {
      ...link(lang, pdf!.edition)(row),
      kind: "pdf" as const,
      edition: pdf!.edition,
      lang: pdf!.lang as Lang,
      algorithm: pdf!.sm3 === hash ? ("sm3" as const) : ("sha256" as const),
    };
  }
  /** Newest first; ties (one transaction's pages) by id, so previous/next agree with the list. */
  const newestFirst = [desc(portalPages.visibleFrom), desc(portalPages.publicationId)] as const;

  return {
    /** One page of the visible notices, newest first, with the number of pages. */
    async list(lang: Lang, page: number, pageSize: number) {
      const [total] = await db
        .select({ n: count() })
        .from(portalPages)
        .innerJoin(publications, eq(publications.id, portalPages.publicationId))
        .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
        .where(visible());
      const rows = await links()
        .where(visible())
        .orderBy(...newestFirst)
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return { items: rows.map(link(lang)), pages: Math.max(1, Math.ceil(total!.n / pageSize)) };
    },

    /**
     * A visible notice's page: its stored article and hashes — the final notice's once finalised, with
     * `earlier` saying the public notice's stay available — status, corrections and neighbours.
     */
    async notice(id: string, lang: Lang) {
      const [row] = await db
        .select({
          ...linkColumns,
          ...storedColumns,
          supersedes: publications.supersedes,
          supersededBy: successor.id,
        })
        .from(portalPages)
        .innerJoin(publications, eq(publications.id, portalPages.publicationId))
        .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
        .leftJoin(successor, eq(successor.supersedes, publications.id))
        .where(and(eq(portalPages.publicationId, id), visible()));
      if (!row) return undefined;
      const stored = await verified(row.id, row);
      const { articles, hashes } = finalPage(stored) ?? stored;
      const key = sql`(${portalPages.visibleFrom}, ${portalPages.publicationId})`;
      const here = sql`(${row.visibleFrom.toISOString()}::timestamptz, ${row.id}::uuid)`;
      const [previous] = await links()
        .where(and(visible(), sql`${key} < ${here}`))
        .orderBy(...newestFirst)
        .limit(1);
      const [next] = await links()
        .where(and(visible(), sql`${key} > ${here}`))
        .orderBy(portalPages.visibleFrom, portalPages.publicationId)
        .limit(1);
      // A correction or corrected notice still under embargo is not linked.
      const shown = async (other: string | null) => {
        if (!other) return null;
        const found = await db
          .select({ id: portalPages.publicationId })
          .from(portalPages)
          .where(and(eq(portalPages.publicationId, other), lte(portalPages.visibleFrom, now())));
        return found.length > 0 ? other : null;
      };
      return {
        id: row.id,
        title: link(lang)(row).title,
        article: articles[lang] ?? articles["zh-CN"]!,
        hashes: hashes[lang] as PageHashes | undefined,
        edition: (stored.finalArticles ? "final" : "notice") as Edition,
        status: row.status,
        supersedes: await shown(row.supersedes),
        supersededBy: await shown(row.supersededBy),
        previous: previous && link(lang)(previous),
        next: next && link(lang)(next),
      };
    },

    /**
     * The stored article of a visible notice (the bytes its hashes are of): the public notice's, or
     * the final notice's (undefined before finalisation).
     */
    async article(id: string, lang: Lang, edition: Edition = "notice") {
      const [row] = await db
        .select(storedColumns)
        .from(portalPages)
        .innerJoin(publications, eq(publications.id, portalPages.publicationId))
        .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
        .where(and(eq(portalPages.publicationId, id), visible()));
      if (!row) return undefined;
      const stored = await verified(id, row);
      const articles = edition === "final" ? stored.finalArticles : stored.articles;
      return articles ? (articles[lang] ?? articles["zh-CN"]) : undefined;
    },

    /** Counts one view of a visible notice; its new count, or undefined when there is no such page. */
    async countView(id: string) {
      const [row] = await db
        .update(portalPages)
        .set({ views: sql`${portalPages.views} + 1` })
        .where(and(eq(portalPages.publicationId, id), lte(portalPages.visibleFrom, now())))
        .returning({ views: portalPages.views });
      return row?.views;
    },

    /**
     * What a notice's PDF is made of (portal/pdf.ts): its plan version's document, public view, notice
     * period and visibility, when it was finalised, and its articles' hashes (the final notice's too,
     * once there is one) as checked against the audit trail. `visibleOnly`
     * for the public (the office's own download reaches a notice under embargo or withdrawn too).
     */
    async source(id: string, visibleOnly: boolean) {
      const [row] = await db
        .select({
          ...storedColumns,
          visibleFrom: portalPages.visibleFrom,
          noticeUntil: publications.noticeUntil,
          finalisedAt: publications.finalisedAt,
          publicView: publications.publicView,
          plan: planVersions.document,
        })
        .from(portalPages)
        .innerJoin(publications, eq(publications.id, portalPages.publicationId))
        .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
        .where(and(eq(portalPages.publicationId, id), visibleOnly ? visible() : undefined));
      if (!row) return undefined;
      const { hashes, finalHashes } = await verified(id, row);
      return { ...row, hashes, finalHashes };
    },

    /**
     * The visible notice one of whose recorded hashes (SM3 or SHA-256, either language, its public
     * notice's or its final notice's) this is, with which edition and language's article — or PDF
     * (portal/pdf.ts) — and which algorithm it is of; null when none.
     */
    async byHash(hash: string, lang: Lang) {
      const [row] = await links()
        .where(and(visible(), sql`${hash} = ANY(${portalPages.hashIndex})`))
        .limit(1);
      if (!row) return pdfByHash(hash, lang);
      const [stored] = await db
        .select(storedColumns)
        .from(portalPages)
        .where(eq(portalPages.publicationId, row.id));
      // Only a hash the audit trail recorded counts (a row's hashes changed to match a forgery do not).
      const found = await verified(row.id, stored!);
      const editions: [Edition, Record<string, PageHashes> | null][] = [
        ["notice", found.hashes],
        ["final", found.finalHashes],
      ];
      const match = editions.flatMap(([edition, all]) =>
        Object.entries(all ?? {})
          .filter(([, h]) => h.sm3 === hash || h.sha256 === hash)
          .map(([of, hashes]) => ({ edition, of, hashes })),
      )[0];
      if (!match) return null;
      const { edition, of, hashes } = match;
      return {
        ...link(lang, edition)(row),
        kind: "article" as const,
        edition,
        lang: of as Lang,
        algorithm: hashes.sm3 === hash ? ("sm3" as const) : ("sha256" as const),
      };
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
