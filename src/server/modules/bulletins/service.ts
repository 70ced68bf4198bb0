import { and, count, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { draftBulletin } from "../../../bulletins/draft.js";
import { BulletinInputError } from "../../../bulletins/index.js";
import { bulletinBodyHtml } from "../../../bulletins/render.js";
import type { Lang } from "../../../engine/errors.js";
import { type BulletinLink, renderBulletinArticle } from "../../../portal/pages/bulletin.js";
import { type PageHashes, pageHashes } from "../../../portal/pages/hashes.js";
import { auditedBy, type CommandContext } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { bulletins, portalPages, publications } from "../../db/schema/index.js";
import { AppError, appError, notFound } from "../../errors.js";
import { appendAudit, firstSealedEntry } from "../audit/service.js";
import { bulletinInputOf } from "./draft-input.js";
import { sanitiseBody, sanitiseTitle } from "./sanitise.js";

export const LANGS = ["zh-CN", "en"] as const;
export type Bulletin = typeof bulletins.$inferSelect;

const bulletinNotFound = () => notFound("喜报/通报不存在", "bulletin not found");

/** Why a write that needs a draft found none: not there, or no longer a draft. */
async function refuseNotDraft(db: Database, id: string, verb: { zh: string; en: string }): Promise<never> {
  const [row] = await db.select({ status: bulletins.status }).from(bulletins).where(eq(bulletins.id, id));
  if (!row) throw bulletinNotFound();
  if (row.status === "published")
    throw appError(
      409,
      "ALREADY_PUBLISHED",
      `该喜报/通报已发布，不能${verb.zh}`,
      `the bulletin is already published and cannot be ${verb.en}`,
    );
  throw appError(
    409,
    "BULLETIN_WITHDRAWN",
    `该喜报/通报已撤回，不能${verb.zh}`,
    `the bulletin was withdrawn and cannot be ${verb.en}`,
  );
}

/** A drafted bulletin: the core's draft of a unit in a run, its title and body per language (sanitised). */
export async function draftNewBulletin(
  props: CommandContext & { planId: string; unit: string; runId?: string | undefined },
): Promise<Bulletin> {
  const { db, actor } = props;
  let drafted: Awaited<ReturnType<typeof bulletinInputOf>>;
  let bulletin: ReturnType<typeof draftBulletin>;
  try {
    drafted = await bulletinInputOf(db, { ...props, now: props.now() });
    bulletin = draftBulletin(drafted.input);
  } catch (e) {
    if (!(e instanceof BulletinInputError)) throw e;
    throw new AppError(422, "BULLETIN_INPUT", e.messages);
  }
  const titles = Object.fromEntries(LANGS.map((l) => [l, sanitiseTitle(bulletin.title[l])]));
  const bodies = Object.fromEntries(LANGS.map((l) => [l, sanitiseBody(bulletinBodyHtml(bulletin, l))]));
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(bulletins)
      .values({
        planId: props.planId,
        runId: drafted.runId,
        unitCode: props.unit,
        titles,
        bodies,
        draft: bulletin,
        createdBy: actor.id,
        updatedBy: actor.id,
        createdAt: props.now(),
        updatedAt: props.now(),
      })
      .returning();
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "bulletin.draft",
      entity: "bulletin",
      entityId: row!.id,
      after: { planId: props.planId, runId: drafted.runId, unit: props.unit },
    });
    return row!;
  });
}

/**
 * The office's edit of a draft: title and body per language, the body kept to the allow-list. The edit
 * names the revision it started from; a later one saved meanwhile makes it 409 STALE_REVISION.
 */
export async function editBulletin(
  props: CommandContext & {
    id: string;
    revision: number;
    titles?: Partial<Record<Lang, string>> | undefined;
    bodies?: Partial<Record<Lang, string>> | undefined;
  },
): Promise<Bulletin> {
  const { db, actor } = props;
  const [current] = await db.select().from(bulletins).where(eq(bulletins.id, props.id));
  if (!current) throw bulletinNotFound();
  const titles = { ...current.titles };
  const bodies = { ...current.bodies };
  for (const l of LANGS) {
    const t = props.titles?.[l];
    if (t !== undefined) {
      titles[l] = sanitiseTitle(t);
      if (titles[l] === "")
        throw appError(400, "EMPTY_TITLE", "标题不能为空", "the title cannot be empty", `titles.${l}`);
    }
    const b = props.bodies?.[l];
    if (b !== undefined) bodies[l] = sanitiseBody(b);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(bulletins)
      .set({
        titles,
        bodies,
        revision: sql`${bulletins.revision} + 1`,
        updatedBy: actor.id,
        updatedAt: props.now(),
      })
      .where(
        and(
          eq(bulletins.id, props.id),
          eq(bulletins.status, "draft"),
          eq(bulletins.revision, props.revision),
        ),
      )
      .returning();
    if (!row) {
      const [now] = await tx
        .select({ status: bulletins.status, revision: bulletins.revision })
        .from(bulletins)
        .where(eq(bulletins.id, props.id));
      if (now?.status === "draft")
        throw new AppError(
          409,
          "STALE_REVISION",
          {
            "zh-CN": "该喜报/通报已被他人修改，请刷新后再编辑",
            en: "the bulletin was changed meanwhile; reload it, then edit",
          },
          "revision",
          { revision: now.revision },
        );
      return refuseNotDraft(tx, props.id, { zh: "修改", en: "edited" });
    }
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "bulletin.edit",
      entity: "bulletin",
      entityId: props.id,
      after: { revision: row.revision },
    });
    return row;
  });
}

/**
 * Publishes a draft on the portal, as a notice is: the article rendered once per language, stored with
 * its SM3 and SHA-256, the hashes written into the (sealed) publish audit entry. A bulletin states
 * results, so its run must be the one of a publication in force, and it cannot appear before that
 * publication's page does. Safe twice: the update that publishes takes only a draft (the row is locked
 * first), so a second publish, at once or later, is 409 ALREADY_PUBLISHED and changes nothing.
 */
export async function publishBulletin(
  props: CommandContext & { id: string; visibleFrom?: Date | undefined },
): Promise<Bulletin> {
  const { db, actor, visibleFrom } = props;
  if (visibleFrom && visibleFrom < props.now())
    throw appError(
      400,
      "EMBARGO_IN_PAST",
      "定时发布的时间已过，请选择将来的时间或立即发布",
      "the time to make the bulletin public has passed; choose a later time or publish now",
      "visibleFrom",
    );
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(bulletins).where(eq(bulletins.id, props.id)).for("update");
    if (!row) throw bulletinNotFound();
    if (row.status !== "draft")
      return refuseNotDraft(tx, props.id, { zh: "再次发布", en: "published again" });
    const [results] = await tx
      .select({ visibleFrom: portalPages.visibleFrom })
      .from(publications)
      .innerJoin(portalPages, eq(portalPages.publicationId, publications.id))
      .where(and(eq(publications.runId, row.runId), inArray(publications.status, ["notice", "final"])))
      .orderBy(desc(publications.publishedAt))
      .limit(1);
    if (!results)
      throw appError(
        409,
        "RESULTS_NOT_PUBLISHED",
        "该喜报/通报所依据的计分结果尚未公示（或已被更正），不能发布",
        "the scoring run this bulletin states has not been published (or was corrected); it cannot be published",
      );
    const from = visibleFrom ?? props.now();
    if (from < results.visibleFrom)
      throw appError(
        409,
        "EMBARGO_BEFORE_RESULTS",
        "喜报/通报不能早于其所依据的结果公示之前出现，请将定时发布设在结果公示之后",
        "a bulletin cannot appear before the results it states; schedule it for after the results' notice appears",
        "visibleFrom",
      );
    const articles: Record<string, string> = {};
    const hashes: Record<string, PageHashes> = {};
    for (const l of LANGS) {
      articles[l] = renderBulletinArticle(
        {
          title: row.titles[l] ?? row.titles["zh-CN"]!,
          body: row.bodies[l] ?? "",
          source: row.draft.source[l],
          publishedAt: from,
        },
        l,
      );
      hashes[l] = pageHashes(articles[l]);
    }
    const [published] = await tx
      .update(bulletins)
      .set({
        status: "published",
        articles,
        hashes,
        hashIndex: Object.values(hashes).flatMap((h) => [h.sm3, h.sha256]),
        visibleFrom: from,
        publishedBy: actor.id,
        publishedAt: props.now(),
      })
      .where(and(eq(bulletins.id, props.id), eq(bulletins.status, "draft")))
      .returning();
    if (!published) return refuseNotDraft(tx, props.id, { zh: "再次发布", en: "published again" });
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "bulletin.publish",
      entity: "bulletin",
      entityId: props.id,
      after: {
        runId: row.runId,
        unit: row.unitCode,
        revision: row.revision,
        ...(visibleFrom ? { visibleFrom } : {}),
        pageHashes: hashes,
      },
    });
    return published;
  });
}

/** Withdraws a published bulletin: gone from the portal at once (its row and hashes kept), with the reason. */
export async function withdrawBulletin(
  props: CommandContext & { id: string; reason: string },
): Promise<Bulletin> {
  const { db, actor } = props;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(bulletins)
      .set({
        status: "withdrawn",
        withdrawnBy: actor.id,
        withdrawnAt: props.now(),
        withdrawReason: props.reason,
      })
      .where(and(eq(bulletins.id, props.id), eq(bulletins.status, "published")))
      .returning();
    if (!row) {
      const [now] = await tx
        .select({ status: bulletins.status })
        .from(bulletins)
        .where(eq(bulletins.id, props.id));
      if (!now) throw bulletinNotFound();
      throw now.status === "draft"
        ? appError(
            409,
            "BULLETIN_NOT_PUBLISHED",
            "该喜报/通报尚未发布，无需撤回",
            "the bulletin is not published; there is nothing to withdraw",
          )
        : appError(409, "BULLETIN_WITHDRAWN", "该喜报/通报已撤回", "the bulletin was already withdrawn");
    }
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "bulletin.withdraw",
      entity: "bulletin",
      entityId: props.id,
      after: { reason: props.reason },
    });
    return row;
  });
}

/** The office's reads: bulletins of a plan (or all), newest first; one with everything. */
export function createBulletinService(deps: { db: Database }) {
  const { db } = deps;
  return {
    async list(planId?: string) {
      return db
        .select()
        .from(bulletins)
        .where(planId ? eq(bulletins.planId, planId) : undefined)
        .orderBy(desc(bulletins.createdAt), desc(bulletins.id))
        .limit(500);
    },
    async get(id: string) {
      const [row] = await db.select().from(bulletins).where(eq(bulletins.id, id));
      if (!row) throw bulletinNotFound();
      return row;
    },
  };
}
export type BulletinService = ReturnType<typeof createBulletinService>;

const pageIntegrityError = () =>
  appError(
    500,
    "INTEGRITY_VIOLATION",
    "喜报/通报页面与审计日志记录的哈希不符（可能在数据库中被篡改），已拒绝提供；请通知审计管理员运行 kaohe audit verify",
    "the bulletin page does not match the hashes the audit trail recorded (it may have been altered in the database) and is not served; ask the audit administrator to run kaohe audit verify",
  );

type Stored = { articles: Record<string, string>; hashes: Record<string, PageHashes> };
const same = (a: PageHashes | undefined, b: PageHashes) => a?.sm3 === b.sm3 && a?.sha256 === b.sha256;

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
    const entry = await firstSealedEntry(db, {
      action: "bulletin.publish",
      entity: "bulletin",
      entityId: id,
    });
    const recorded = (entry?.after as { pageHashes?: Record<string, PageHashes> } | null | undefined)
      ?.pageHashes;
    const langs = Object.keys(row.articles);
    const intact =
      recorded !== undefined &&
      langs.length === Object.keys(recorded).length &&
      langs.every((l) => {
        const actual = pageHashes(row.articles[l]!);
        return same(recorded[l], actual) && same(row.hashes[l], actual);
      });
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
