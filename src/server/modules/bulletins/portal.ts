import { and, count, desc, eq, lte, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Lang } from "../../../engine/errors.js";
import type { BulletinLink } from "../../../portal/pages/bulletin.js";
import type { Database } from "../../db/client.js";
import { bulletins } from "../../db/schema/index.js";
import { appError } from "../../errors.js";
import { matchesSealedEntry, type StoredPage } from "../portal/sealed-pages.js";

const pageIntegrityError = () =>
  appError(
    500,
    "INTEGRITY_VIOLATION",
    "喜报/通报页面与审计日志记录的哈希不符（可能在数据库中被篡改），已拒绝提供；请通知审计管理员运行 kaohe audit verify",
    "the bulletin page does not match the hashes the audit trail recorded (it may have been altered in the database) and is not served; ask the audit administrator to run kaohe audit verify",
  );

type Stored = StoredPage;

/**
 * What the portal shows of bulletins: the published ones whose embargo has passed, newest first; each
 * page checked against the sealed publish entry's hashes before it is served (as notices are).
 */
export function createBulletinPortal(deps: { db: Database; now: () => Date }) {
  const { db, now } = deps;
  const checked = new LRUCache<string, Stored>({ max: 256 });
  async function verified(id: string, row: Stored): Promise<Stored> {
    const known = checked.get(id);
    if (known) return known;
    const intact = await matchesSealedEntry(
      db,
      { action: "bulletin.publish", entity: "bulletin", entityId: id },
      row,
    );
    if (!intact) throw pageIntegrityError();
    checked.set(id, row);
    return row;
  }
  const visible = () => and(eq(bulletins.status, "published"), lte(bulletins.visibleFrom, now()));
  const link =
    (lang: Lang) =>
    (r: { id: string; titles: Record<string, string>; visibleFrom: Date | null }): BulletinLink => ({
      id: r.id,
      title: r.titles[lang] ?? r.titles["zh-CN"]!,
      publishedAt: r.visibleFrom!,
    });
  const linkColumns = { id: bulletins.id, titles: bulletins.titles, visibleFrom: bulletins.visibleFrom };
  const newestFirst = [desc(bulletins.visibleFrom), desc(bulletins.id)] as const;
  const stored = async (id: string) => {
    const [row] = await db
      .select({ ...linkColumns, articles: bulletins.articles, hashes: bulletins.hashes })
      .from(bulletins)
      .where(and(eq(bulletins.id, id), visible()));
    if (!row) return undefined;
    return { row, page: await verified(id, { articles: row.articles!, hashes: row.hashes! }) };
  };

  return {
    async list(lang: Lang, page: number, pageSize: number) {
      const [total] = await db.select({ n: count() }).from(bulletins).where(visible());
      const rows = await db
        .select(linkColumns)
        .from(bulletins)
        .where(visible())
        .orderBy(...newestFirst)
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return { items: rows.map(link(lang)), pages: Math.max(1, Math.ceil(total!.n / pageSize)) };
    },

    async page(id: string, lang: Lang) {
      const found = await stored(id);
      if (!found) return undefined;
      const { row, page } = found;
      const key = sql`(${bulletins.visibleFrom}, ${bulletins.id})`;
      const here = sql`(${row.visibleFrom!.toISOString()}::timestamptz, ${row.id}::uuid)`;
      const [previous] = await db
        .select(linkColumns)
        .from(bulletins)
        .where(and(visible(), sql`${key} < ${here}`))
        .orderBy(...newestFirst)
        .limit(1);
      const [next] = await db
        .select(linkColumns)
        .from(bulletins)
        .where(and(visible(), sql`${key} > ${here}`))
        .orderBy(bulletins.visibleFrom, bulletins.id)
        .limit(1);
      return {
        id,
        title: row.titles[lang] ?? row.titles["zh-CN"]!,
        article: page.articles[lang] ?? page.articles["zh-CN"]!,
        hashes: page.hashes[lang],
        previous: previous && link(lang)(previous),
        next: next && link(lang)(next),
      };
    },

    async article(id: string, lang: Lang) {
      const found = await stored(id);
      return found && (found.page.articles[lang] ?? found.page.articles["zh-CN"]);
    },

    async countView(id: string) {
      const [row] = await db
        .update(bulletins)
        .set({ views: sql`${bulletins.views} + 1` })
        .where(and(eq(bulletins.id, id), visible()))
        .returning({ views: bulletins.views });
      return row?.views;
    },

    /** The visible bulletin one of whose recorded hashes this is (either kind, either language); null when none. */
    async byHash(hash: string, lang: Lang) {
      const [row] = await db
        .select({ id: bulletins.id })
        .from(bulletins)
        .where(and(visible(), sql`${hash} = ANY(${bulletins.hashIndex})`))
        .limit(1);
      if (!row) return null;
      const found = await stored(row.id);
      if (!found) return null;
      const match = Object.entries(found.page.hashes).find(([, h]) => h.sm3 === hash || h.sha256 === hash);
      if (!match) return null;
      return {
        ...link(lang)(found.row),
        lang: match[0] as Lang,
        algorithm: match[1].sm3 === hash ? ("sm3" as const) : ("sha256" as const),
      };
    },
  };
}
export type BulletinPortal = ReturnType<typeof createBulletinPortal>;
