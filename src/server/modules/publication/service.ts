import { and, count, desc, eq, inArray, ne, notExists, sql } from "drizzle-orm";
import { alias, QueryBuilder } from "drizzle-orm/pg-core";
import { LRUCache } from "lru-cache";
import type { UnitResult } from "../../../engine/index.js";
import { type Database, isoTimestamp, resultRows } from "../../db/client.js";
import {
  objectionEvidence,
  objections,
  plans,
  planVersions,
  portalPages,
  publications,
  scoringRuns,
} from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { type PageQuery, readPage, readPageOf } from "../../pagination.js";
import { scopeCondition, type UnitScope } from "../../policies.js";
import { type NoticeCheckpoint, verifiedPublicView } from "./integrity.js";

/**
 * Publication: results go up for public notice (公示) for the plan's number of days; units file
 * objections (异议) during the notice; the office resolves each with a reason; results become final
 * only when the notice is over and no objection is open. A new publication (a correction after an
 * accepted objection) supersedes the current one; every publication stays listed and readable.
 *
 * This file holds what the operations share and the reads; each write is a command in commands/
 * (publish, file-objection, attach-evidence, resolve-objection, finalise).
 */

export type Objection = typeof objections.$inferSelect;
/** A cell an objection concerns: one indicator and period of the objecting unit. */
export type Cell = { indicator: string; period: string };

/** An objection's evidence file as lists show it (its content is downloaded separately). */
export interface ObjectionFile {
  id: string;
  objectionId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
}

export const objectionFile = {
  id: objectionEvidence.id,
  objectionId: objectionEvidence.objectionId,
  filename: objectionEvidence.filename,
  contentType: objectionEvidence.contentType,
  size: objectionEvidence.size,
  sha256: objectionEvidence.sha256,
  uploadedAt: objectionEvidence.uploadedAt,
};

/** A publication is its plan's current one while no later publication supersedes it. */
export const successor = alias(publications, "successor");
export const notSuperseded = notExists(
  new QueryBuilder().select({ one: sql`1` }).from(successor).where(eq(successor.supersedes, publications.id)),
);
/** Only a plan version in force (published or frozen) has public results: a draft's never reach the public. */
export const inForce = ne(planVersions.status, "draft");

/**
 * A publication under embargo (its portal page visible only from a later moment) is invisible to the
 * public until then: `now` is a placeholder or a value, the caller's clock.
 */
export const notEmbargoed = (now: unknown) =>
  notExists(
    new QueryBuilder()
      .select({ one: sql`1` })
      .from(portalPages)
      .where(and(eq(portalPages.publicationId, publications.id), sql`${portalPages.visibleFrom} > ${now}`)),
  );

/**
 * A plan's run in force: the run of its current publication (公示 or final, not superseded, the latest
 * published; with `visibleAt`, only one the public can see then, not an embargoed one), else (unless
 * `publishedOnly`) its latest run. The one rule the history, the bulletin drafts and the trend charts read.
 */
export async function runInForce(
  db: Database,
  planId: string,
  options: { publishedOnly?: boolean; visibleAt?: Date } = {},
): Promise<{ runId: string; publicationId: string | null; source: "notice" | "final" | "run" } | undefined> {
  const versions = db
    .select({ id: planVersions.id })
    .from(planVersions)
    .where(eq(planVersions.planId, planId));
  const [pub] = await db
    .select({ id: publications.id, runId: publications.runId, status: publications.status })
    .from(publications)
    .where(
      and(
        inArray(publications.planVersionId, versions),
        inArray(publications.status, ["notice", "final"]),
        notSuperseded,
        options.visibleAt ? notEmbargoed(options.visibleAt) : undefined,
      ),
    )
    .orderBy(desc(publications.publishedAt))
    .limit(1);
  if (pub) return { runId: pub.runId, publicationId: pub.id, source: pub.status as "notice" | "final" };
  if (options.publishedOnly) return undefined;
  const [run] = await db
    .select({ id: scoringRuns.id })
    .from(scoringRuns)
    .where(inArray(scoringRuns.planVersionId, versions))
    .orderBy(desc(scoringRuns.createdAt), desc(scoringRuns.id))
    .limit(1);
  return run ? { runId: run.id, publicationId: null, source: "run" } : undefined;
}

/** Reads a publication and locks its row until the transaction ends. */
export async function lockPublication(tx: Database, publicationId: string) {
  const [p] = await tx.select().from(publications).where(eq(publications.id, publicationId)).for("update");
  if (!p) throw notFound("公示不存在", "publication not found");
  return p;
}

/** Refuses (409) a change to an objection once its notice is over; `message` says what is refused. */
export function refuseClosedNotice(
  p: { status: string; noticeUntil: Date },
  at: Date,
  message: [zh: string, en: string],
): void {
  if (p.status !== "notice" || at > p.noticeUntil) throw appError(409, "NOTICE_CLOSED", ...message);
}

/** The count of a publication's objections still open, read in the caller's transaction. */
export async function openObjections(tx: Database, publicationId: string): Promise<number> {
  const [open] = await tx
    .select({ n: count() })
    .from(objections)
    .where(and(eq(objections.publicationId, publicationId), eq(objections.status, "open")));
  return open!.n;
}

/** The reads of publications, objections and their files (the public page's prepared and cached). */
export function createPublicationService(deps: { db: Database; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  /** A publication's summary as lists show it, with what it supersedes and what superseded it. */
  const summary = {
    id: publications.id,
    version: planVersions.version,
    period: planVersions.periodKey,
    runId: publications.runId,
    status: publications.status,
    publishedAt: publications.publishedAt,
    noticeUntil: publications.noticeUntil,
    finalisedAt: publications.finalisedAt,
    supersedes: publications.supersedes,
    supersededBy: successor.id,
    objections:
      sql<number>`(SELECT count(*) FROM ${objections} WHERE ${objections.publicationId} = ${publications.id})`.mapWith(
        Number,
      ),
    openObjections:
      sql<number>`(SELECT count(*) FROM ${objections} WHERE ${objections.publicationId} = ${publications.id} AND ${objections.status} = 'open')`.mapWith(
        Number,
      ),
    // When its portal page became (or becomes, under an embargo) public.
    visibleFrom:
      sql<Date | null>`(SELECT min(${portalPages.visibleFrom}) FROM ${portalPages} WHERE ${portalPages.publicationId} = ${publications.id})`.mapWith(
        portalPages.visibleFrom,
      ),
  };
  const versionsOf = (planId: string, publicOnly: boolean) =>
    db
      .select({ id: planVersions.id })
      .from(planVersions)
      .where(and(eq(planVersions.planId, planId), publicOnly ? inForce : undefined));

  /** One page of a plan's publications, newest first by default (every one stays listed and readable). */
  const history = (planId: string, query: PageQuery, publicOnly: boolean) =>
    readPageOf(
      db,
      publications,
      query,
      {
        search: [publications.status],
        sort: { publishedAt: publications.publishedAt },
        unique: publications.id,
      },
      [
        inArray(publications.planVersionId, versionsOf(planId, publicOnly)),
        publicOnly ? notEmbargoed(now().toISOString()) : undefined,
      ],
      ({ where, orderBy, limit, offset }) =>
        db
          .select(summary)
          .from(publications)
          .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
          .leftJoin(successor, eq(successor.supersedes, publications.id))
          .where(where)
          .orderBy(...orderBy)
          .limit(limit)
          .offset(offset),
    );

  /** One publication of a plan (any of its versions), with its summary; 404 for another plan's. */
  const ofPlan = async (planId: string, publicationId: string, publicOnly = false) => {
    const [p] = await db
      .select(summary)
      .from(publications)
      .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
      .leftJoin(successor, eq(successor.supersedes, publications.id))
      .where(
        and(
          eq(publications.id, publicationId),
          eq(planVersions.planId, planId),
          publicOnly ? inForce : undefined,
        ),
      );
    if (!p) throw notFound("公示不存在", "publication not found");
    return p;
  };

  /** One page of a publication's objections a scope may see, filtered by unit or status. */
  const list = (
    publicationId: string,
    scope: UnitScope,
    query: PageQuery & { unit?: string | undefined; status?: Objection["status"] | undefined },
  ) =>
    readPage(
      db,
      objections,
      query,
      {
        search: [objections.unitCode, objections.reason],
        sort: { filedAt: objections.filedAt, unit: objections.unitCode },
        unique: objections.id,
      },
      [
        eq(objections.publicationId, publicationId),
        scopeCondition(objections.unitCode, scope),
        query.unit ? eq(objections.unitCode, query.unit) : undefined,
        query.status ? eq(objections.status, query.status) : undefined,
      ],
    );

  // The public page's queries, prepared once (planned once per connection, built once).
  const headColumns = {
    id: publications.id,
    plan: plans.name,
    period: planVersions.periodKey,
    status: publications.status,
    noticeUntil: isoTimestamp(publications.noticeUntil).mapWith(String),
    supersedes: publications.supersedes,
    supersededBy: successor.id,
  };
  // A publication's head: its plan, period, status and notice, and what superseded it.
  const heads = () =>
    db
      .select(headColumns)
      .from(publications)
      .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
      .innerJoin(plans, eq(plans.id, planVersions.planId))
      .leftJoin(successor, eq(successor.supersedes, publications.id));
  const publicationHead = heads()
    .where(
      and(
        eq(planVersions.planId, sql.placeholder("planId")),
        inArray(publications.status, ["notice", "final"]),
        inForce,
        notSuperseded,
        notEmbargoed(sql.placeholder("now")),
      ),
    )
    .orderBy(desc(publications.publishedAt))
    .limit(1)
    .prepare("publication_head");
  const publicationById = heads()
    .where(
      and(
        eq(planVersions.planId, sql.placeholder("planId")),
        eq(publications.id, sql.placeholder("id")),
        inForce,
        notEmbargoed(sql.placeholder("now")),
      ),
    )
    .prepare("publication_by_id");
  const publicViewById = db
    .select({ units: sql<string>`${publications.publicView}::text` })
    .from(publications)
    .where(eq(publications.id, sql.placeholder("id")))
    .prepare("publication_public_view");
  /**
   * Public views by publication id. Safe to keep in any number of processes: a publication's public view
   * is written once and never changed (a correction is a new publication), so no copy can be stale.
   */
  const publicViews = new LRUCache<string, { units: string; checkpoint: NoticeCheckpoint | null }>({
    max: 64,
  });

  return {
    history,
    ofPlan,

    /** Every plan with published results (its current publication), in one query; never a draft's. */
    async publishedPlans() {
      const result = await db.execute(sql`
        SELECT DISTINCT ON (pv.plan_id) pv.plan_id, pl.name, p.status,
               ${isoTimestamp(sql`p.notice_until`)} AS notice_until
        FROM publications p JOIN plan_versions pv ON pv.id = p.plan_version_id JOIN plans pl ON pl.id = pv.plan_id
        WHERE p.status IN ('notice', 'final') AND pv.status <> 'draft'
          AND NOT EXISTS (SELECT 1 FROM publications s WHERE s.supersedes = p.id)
          AND NOT EXISTS (SELECT 1 FROM portal_pages pp WHERE pp.publication_id = p.id AND pp.visible_from > ${now().toISOString()}::timestamptz)
        ORDER BY pv.plan_id, p.published_at DESC`);
      const rows = resultRows<{
        plan_id: string;
        name: string;
        status: "notice" | "final";
        notice_until: string;
      }>(result);
      return rows.map((r) => ({
        planId: r.plan_id,
        name: r.name,
        status: r.status,
        noticeUntil: r.notice_until,
      }));
    },

    /**
     * Published results for the public page, with the units as stored JSON text: the plan's current
     * publication, or a given one of its publications (a superseded one stays readable). The public page
     * is the busiest one in notice week: a small prepared query finds the publication and its status on
     * every request; its units, which never change once written, are read once.
     */
    async publicResults(planId: string, publicationId?: string) {
      const [head] = publicationId
        ? await publicationById.execute({ planId, id: publicationId, now: now().toISOString() })
        : await publicationHead.execute({ planId, now: now().toISOString() });
      if (!head) return undefined;
      let view = publicViews.get(head.id);
      if (view === undefined) {
        const [stored] = await publicViewById.execute({ id: head.id });
        // Checked against the audit trail before it is served or cached (integrity.ts).
        view = { units: stored!.units, checkpoint: await verifiedPublicView(db, head.id, stored!.units) };
        publicViews.set(head.id, view);
      }
      return { ...head, ...view };
    },

    /**
     * A unit's own results in a publication: its scores, rank, grade, adjustments and grade reasons,
     * read from the published run, with its traces if the run stored them (the route explains a run
     * stored without, from its frozen inputs). The route checks the unit is the caller's.
     */
    async unitResult(planId: string, publicationId: string, unit: string) {
      const p = await ofPlan(planId, publicationId);
      const [row] = await db
        .select({
          unit: sql<UnitResult | null>`jsonb_path_query_first(${scoringRuns.result}, '$.units[*] ? (@.unit == $u)', jsonb_build_object('u', ${unit}::text))`,
        })
        .from(scoringRuns)
        .where(eq(scoringRuns.id, p.runId));
      if (!row?.unit) throw notFound(`结果中没有单位 ${unit}`, `no unit ${unit} in these results`);
      return { publication: p, result: row.unit };
    },

    list,

    /** The evidence files (without content) of some objections, by objection id. */
    async files(objectionIds: string[]): Promise<Map<string, ObjectionFile[]>> {
      const rows = await db
        .select(objectionFile)
        .from(objectionEvidence)
        .where(inArray(objectionEvidence.objectionId, objectionIds))
        .orderBy(objectionEvidence.uploadedAt, objectionEvidence.id);
      const byObjection = new Map<string, ObjectionFile[]>();
      for (const r of rows) {
        const list = byObjection.get(r.objectionId) ?? [];
        list.push({ ...r, uploadedAt: r.uploadedAt.toISOString() });
        byObjection.set(r.objectionId, list);
      }
      return byObjection;
    },

    /** One evidence file of an objection of a publication, with its content and the objecting unit. */
    async file(publicationId: string, objectionId: string, fileId: string) {
      const [row] = await db
        .select({
          unit: objections.unitCode,
          filename: objectionEvidence.filename,
          contentType: objectionEvidence.contentType,
          content: objectionEvidence.content,
        })
        .from(objectionEvidence)
        .innerJoin(objections, eq(objections.id, objectionEvidence.objectionId))
        .where(
          and(
            eq(objectionEvidence.id, fileId),
            eq(objections.id, objectionId),
            eq(objections.publicationId, publicationId),
          ),
        );
      if (!row) throw notFound("佐证材料不存在", "evidence not found");
      return row;
    },
  };
}

export type PublicationService = ReturnType<typeof createPublicationService>;
