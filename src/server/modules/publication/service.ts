import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Plan, ScoringRun } from "../../../engine/index.js";
import { defaultEvidence, type EvidenceSettings } from "../../config.js";
import { type Database, isoTimestamp, resultRows } from "../../db/client.js";
import {
  objectionEvidence,
  objections,
  plans,
  planVersions,
  publications,
  scoringRuns,
} from "../../db/schema/index.js";
import { appError, forbidden, notFound } from "../../errors.js";
import { type PageQuery, readPage } from "../../pagination.js";
import { inScope, scopeCondition, type UnitScope } from "../../policies.js";
import { appendAudit } from "../audit/service.js";
import { checkFile } from "../evidence/file.js";

type Actor = { id: string; username: string };
export type Shown = "total" | "rank" | "grade" | "titles" | "scores";

/** What the public sees of a run: only the fields the plan allows (by default grades and titles). */
export type Objection = typeof objections.$inferSelect;

export function publicViewOf(plan: Plan, run: ScoringRun) {
  const show = new Set<Shown>(plan.publication?.show ?? ["grade", "titles"]);
  return run.units.map((u) => ({
    unit: u.unit,
    name: u.name,
    category: u.categoryName,
    ...(show.has("total") ? { total: u.total } : {}),
    ...(show.has("rank") ? { rank: u.rank } : {}),
    ...(show.has("grade") ? { grade: u.grade } : {}),
    ...(show.has("titles") ? { titles: u.titles } : {}),
    ...(show.has("scores") ? { scores: u.scores } : {}),
  }));
}

/**
 * Publication: results go up for public notice (公示) for the plan's number of days; units file
 * objections (异议) during the notice; the office resolves each with a reason; results become final
 * only when the notice is over and no objection is open. A new publication supersedes the last.
 */
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

const objectionFile = {
  id: objectionEvidence.id,
  objectionId: objectionEvidence.objectionId,
  filename: objectionEvidence.filename,
  contentType: objectionEvidence.contentType,
  size: objectionEvidence.size,
  sha256: objectionEvidence.sha256,
  uploadedAt: objectionEvidence.uploadedAt,
};

export function createPublicationService(deps: {
  db: Database;
  now: () => Date;
  /** Checks for objections' evidence files (the value evidence settings by default). */
  evidence?: EvidenceSettings;
}) {
  const { db, now } = deps;
  const evidenceSettings = deps.evidence ?? defaultEvidence;

  const current = async (planVersionId: string) => {
    const [p] = await db
      .select()
      .from(publications)
      .where(
        and(eq(publications.planVersionId, planVersionId), inArray(publications.status, ["notice", "final"])),
      )
      .orderBy(desc(publications.publishedAt))
      .limit(1);
    return p;
  };

  /** Reads a publication and locks its row until the transaction ends. */
  const lockPublication = async (tx: Database, publicationId: string) => {
    const [p] = await tx.select().from(publications).where(eq(publications.id, publicationId)).for("update");
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

  // The public page's two queries, prepared once (planned once per connection, built once).
  const publicationHead = db
    .select({
      id: publications.id,
      plan: plans.name,
      period: planVersions.periodKey,
      status: publications.status,
      noticeUntil: isoTimestamp(publications.noticeUntil).mapWith(String),
    })
    .from(publications)
    .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .where(
      and(
        eq(planVersions.planId, sql.placeholder("planId")),
        inArray(publications.status, ["notice", "final"]),
      ),
    )
    .orderBy(desc(publications.publishedAt))
    .limit(1)
    .prepare("publication_head");
  const publicViewById = db
    .select({ units: sql<string>`${publications.publicView}::text` })
    .from(publications)
    .where(eq(publications.id, sql.placeholder("id")))
    .prepare("publication_public_view");
  /**
   * Public views by publication id. Safe to keep in any number of processes: a publication's public view
   * is written once and never changed (a correction is a new publication), so no copy can be stale.
   */
  const publicViews = new LRUCache<string, string>({ max: 64 });

  return {
    current,

    /** Every plan with published results (its latest publication), in one query. */
    async publishedPlans() {
      const result = await db.execute(sql`
        SELECT DISTINCT ON (pv.plan_id) pv.plan_id, pl.name, p.status,
               ${isoTimestamp(sql`p.notice_until`)} AS notice_until
        FROM publications p JOIN plan_versions pv ON pv.id = p.plan_version_id JOIN plans pl ON pl.id = pv.plan_id
        WHERE p.status IN ('notice', 'final')
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
     * The latest published results of a plan for the public page, with the units as stored JSON text.
     * The public page is the busiest one in notice week: a small prepared query finds the publication
     * and its status on every request; its units, which never change once written, are read once.
     */
    async publicResults(planId: string) {
      const [head] = await publicationHead.execute({ planId });
      if (!head) return undefined;
      let units = publicViews.get(head.id);
      if (units === undefined) {
        const [view] = await publicViewById.execute({ id: head.id });
        units = view!.units;
        publicViews.set(head.id, units);
      }
      return { ...head, units };
    },

    async publish(planVersionId: string, plan: Plan, runId: string, actor: Actor, ip: string) {
      const [run] = await db
        .select({ id: scoringRuns.id, planVersionId: scoringRuns.planVersionId, result: scoringRuns.result })
        .from(scoringRuns)
        .where(eq(scoringRuns.id, runId));
      if (!run || run.planVersionId !== planVersionId)
        throw notFound("计分结果不存在", "scoring run not found");
      const days = plan.publication?.noticeDays ?? 5;
      const noticeUntil = new Date(now().getTime() + days * 86_400_000);
      return db.transaction(async (tx) => {
        const superseded = await tx
          .update(publications)
          .set({ status: "withdrawn" })
          .where(and(eq(publications.planVersionId, planVersionId), eq(publications.status, "notice")))
          .returning({ id: publications.id });
        const publicView = publicViewOf(plan, run.result as ScoringRun);
        const [p] = await tx
          .insert(publications)
          .values({
            planVersionId,
            runId,
            noticeUntil,
            publishedBy: actor.id,
            publishedAt: now(),
            publicView,
          })
          .returning();
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "results.publish",
          entity: "publication",
          entityId: p!.id,
          after: { runId, noticeUntil, superseded: superseded.map((s) => s.id) },
        });
        return p!;
      });
    },

    async fileObjection(publicationId: string, unit: string, reason: string, actor: Actor, ip: string) {
      return db.transaction(async (tx) => {
        // The publication row is locked so that filing and finalising cannot interleave.
        const p = await lockPublication(tx, publicationId);
        if (p.status !== "notice" || now() > p.noticeUntil)
          throw appError(
            409,
            "NOTICE_CLOSED",
            "公示期已结束，不能再提出异议",
            "the notice period is over; objections are closed",
          );
        const [o] = await tx
          .insert(objections)
          .values({ publicationId, unitCode: unit, reason, filedBy: actor.id, filedAt: now() })
          .returning();
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "objection.file",
          entity: "objection",
          entityId: o!.id,
          after: { unit, reason },
        });
        return o!;
      });
    },

    list,

    /**
     * Attaches an evidence file to an open objection while the notice runs; only the objecting unit's
     * people (scope) may. The file is checked like any evidence before anything is stored.
     */
    async attach(
      publicationId: string,
      objectionId: string,
      scope: UnitScope,
      filename: string,
      declared: string,
      data: Buffer | undefined,
      actor: Actor,
      ip: string,
    ): Promise<ObjectionFile> {
      // Whose objection it is comes first: another unit learns nothing about the file it sent.
      const [filed] = await db
        .select({ unit: objections.unitCode })
        .from(objections)
        .where(and(eq(objections.id, objectionId), eq(objections.publicationId, publicationId)));
      if (!filed) throw notFound("异议不存在", "objection not found");
      if (!inScope(scope, filed.unit))
        throw forbidden(
          "只能为本单位的异议提供佐证",
          "you can only add evidence to your own unit's objection",
        );
      if (!data) throw appError(415, "FILE_TYPE", "请上传文件内容", "send the file as the request body");
      const file = checkFile(data, declared, evidenceSettings);
      return db.transaction(async (tx) => {
        const p = await lockPublication(tx, publicationId);
        const [o] = await tx
          .select()
          .from(objections)
          .where(and(eq(objections.id, objectionId), eq(objections.publicationId, publicationId)))
          .for("update");
        if (!o) throw notFound("异议不存在", "objection not found");
        if (p.status !== "notice" || now() > p.noticeUntil)
          throw appError(409, "NOTICE_CLOSED", "公示期已结束", "the notice period is over");
        if (o.status !== "open")
          throw appError(409, "ALREADY_RESOLVED", "该异议已处理", "this objection is already resolved");
        const [row] = await tx
          .insert(objectionEvidence)
          .values({ objectionId, filename, ...file, content: data, uploadedBy: actor.id, uploadedAt: now() })
          .returning(objectionFile);
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "objection.evidence",
          entity: "objection",
          entityId: objectionId,
          after: { unit: o.unitCode, filename, size: file.size, sha256: file.sha256 },
        });
        return { ...row!, uploadedAt: row!.uploadedAt.toISOString() };
      });
    },

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

    async resolve(
      objectionId: string,
      decision: "accepted" | "rejected",
      resolution: string,
      actor: Actor,
      ip: string,
    ) {
      await db.transaction(async (tx) => {
        const [o] = await tx.select().from(objections).where(eq(objections.id, objectionId)).for("update");
        if (!o) throw notFound("异议不存在", "objection not found");
        if (o.status !== "open")
          throw appError(409, "ALREADY_RESOLVED", "该异议已处理", "this objection is already resolved");
        await tx
          .update(objections)
          .set({ status: decision, resolution, resolvedBy: actor.id, resolvedAt: now() })
          .where(eq(objections.id, objectionId));
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: `objection.${decision === "accepted" ? "accept" : "reject"}`,
          entity: "objection",
          entityId: objectionId,
          before: { status: "open" },
          after: { status: decision, resolution },
        });
      });
    },

    async finalise(publicationId: string, actor: Actor, ip: string) {
      await db.transaction(async (tx) => {
        const p = await lockPublication(tx, publicationId);
        if (p.status !== "notice")
          throw appError(
            409,
            "NOT_IN_NOTICE",
            "只有公示中的结果可以定稿",
            "only results under notice can be finalised",
          );
        if (now() <= p.noticeUntil)
          throw appError(409, "NOTICE_RUNNING", "公示期尚未结束", "the notice period is not over yet");
        const [open] = await tx
          .select({ n: count() })
          .from(objections)
          .where(and(eq(objections.publicationId, publicationId), eq(objections.status, "open")));
        if (open!.n > 0)
          throw appError(
            409,
            "OPEN_OBJECTIONS",
            `还有 ${open!.n} 条异议未处理`,
            `${open!.n} objection(s) are still open`,
          );
        await tx
          .update(publications)
          .set({ status: "final", finalisedAt: now() })
          .where(eq(publications.id, publicationId));
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "results.finalise",
          entity: "publication",
          entityId: publicationId,
        });
      });
    },
  };
}

export type PublicationService = ReturnType<typeof createPublicationService>;
