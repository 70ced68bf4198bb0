import { and, count, desc, eq, getTableColumns, inArray, ne, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { LRUCache } from "lru-cache";
import type { Plan, PlanStructure, ScoringRun, UnitResult } from "../../../engine/index.js";
import { defaultEvidence, type EvidenceSettings } from "../../config.js";
import { type Database, isoTimestamp, resultRows } from "../../db/client.js";
import {
  objectionEvidence,
  objections,
  organisations,
  plans,
  planVersions,
  publications,
  reportedValues,
  scoringRuns,
} from "../../db/schema/index.js";
import { appError, forbidden, notFound } from "../../errors.js";
import { type PageQuery, readPage, readPageOf } from "../../pagination.js";
import { inScope, scopeCondition, type UnitScope } from "../../policies.js";
import { appendAudit } from "../audit/service.js";
import { checkFile } from "../evidence/file.js";
import { lockUnitValues } from "../values/service.js";
import { reopenUnit } from "../workflow/service.js";
import {
  assertRunUnchanged,
  type NoticeCheckpoint,
  publicationSeal,
  verifiedPublicView,
} from "./integrity.js";

type Actor = { id: string; username: string };
export type Shown = "total" | "rank" | "grade" | "titles" | "scores";

export type Objection = typeof objections.$inferSelect;
/** A cell an objection concerns: one indicator and period of the objecting unit. */
export type Cell = { indicator: string; period: string };

/** A number as published pages show it: rounded to the plan's display precision (default 2 decimals). */
const rounder = (decimals: number) => {
  const factor = 10 ** decimals;
  return (x: number) => (Number.isFinite(x) ? Math.round(x * factor) / factor : x);
};

/**
 * What the public sees of a run: only the fields the plan allows (by default grades and titles), the
 * units sorted by rank within each category (in the plan's category order; unranked units last), names
 * in both languages where an English name is known (the plan's, else the organisation's), numbers
 * rounded to the plan's `publication.decimals`. Built once at publication and never changed.
 */
export function publicViewOf(
  plan: Plan,
  run: ScoringRun,
  englishNames: ReadonlyMap<string, string> = new Map(),
) {
  const show = new Set<Shown>(plan.publication?.show ?? ["grade", "titles"]);
  const round = rounder(plan.publication?.decimals ?? 2);
  const unitEn = new Map(plan.units.map((u) => [u.code, u.nameEn ?? englishNames.get(u.code)]));
  const categoryEn = new Map(plan.categories.map((c) => [c.name, c.nameEn]));
  const order = new Map(plan.categories.map((c, i) => [c.name, i]));
  const position = (u: UnitResult) =>
    u.categoryName === null ? plan.categories.length : order.get(u.categoryName)!;
  const units = [...run.units].sort(
    (a, b) =>
      position(a) - position(b) ||
      (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) ||
      a.unit.localeCompare(b.unit),
  );
  return units.map((u) => {
    const nameEn = unitEn.get(u.unit);
    const catEn = u.categoryName === null ? undefined : categoryEn.get(u.categoryName);
    return {
      unit: u.unit,
      name: u.name,
      ...(nameEn ? { nameEn } : {}),
      category: u.categoryName,
      ...(catEn ? { categoryEn: catEn } : {}),
      ...(show.has("total") ? { total: round(u.total) } : {}),
      ...(show.has("rank") ? { rank: u.rank } : {}),
      ...(show.has("grade") ? { grade: u.grade } : {}),
      ...(show.has("titles") ? { titles: u.titles } : {}),
      ...(show.has("scores")
        ? { scores: Object.fromEntries(Object.entries(u.scores).map(([k, v]) => [k, round(v)])) }
        : {}),
    };
  });
}

/** Refuses cells an objection cannot concern: unknown or non-leaf indicators, periods not of the plan. */
export function checkCells(structure: PlanStructure, cells: Cell[]): void {
  const periods = new Set([structure.plan.period.key, structure.plan.period.previous].filter(Boolean));
  const leaves = new Set(structure.leaves.map((i) => structure.nodes[i]!.code));
  cells.forEach((c, i) => {
    if (!leaves.has(c.indicator))
      throw appError(
        400,
        "UNKNOWN_INDICATOR",
        `方案中没有末级指标 ${c.indicator}`,
        `no leaf indicator ${c.indicator} in this plan`,
        `cells[${i}].indicator`,
      );
    if (!periods.has(c.period))
      throw appError(
        400,
        "UNKNOWN_PERIOD",
        `方案的考核期没有 ${c.period}`,
        `${c.period} is not a period of this plan`,
        `cells[${i}].period`,
      );
  });
}

/**
 * Publication: results go up for public notice (公示) for the plan's number of days; units file
 * objections (异议) during the notice; the office resolves each with a reason; results become final
 * only when the notice is over and no objection is open. A new publication (a correction after an
 * accepted objection) supersedes the current one; every publication stays listed and readable.
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

  /** A publication is its plan's current one while no later publication supersedes it. */
  const successor = alias(publications, "successor");
  const notSuperseded = notExists(
    db.select({ one: sql`1` }).from(successor).where(eq(successor.supersedes, publications.id)),
  );
  /** Only a plan version in force (published or frozen) has public results: a draft's never reach the public. */
  const inForce = ne(planVersions.status, "draft");

  /** Reads a publication and locks its row until the transaction ends. */
  const lockPublication = async (tx: Database, publicationId: string) => {
    const [p] = await tx.select().from(publications).where(eq(publications.id, publicationId)).for("update");
    if (!p) throw notFound("公示不存在", "publication not found");
    return p;
  };

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
      [inArray(publications.planVersionId, versionsOf(planId, publicOnly))],
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

  /**
   * Unlocks the approved cells an accepted objection concerns so that the unit can correct them (they
   * become returned, naming the objection), and reopens reporting for the unit until `until`.
   */
  async function unlockCells(
    tx: Database,
    o: Objection,
    planVersionId: string,
    until: Date,
    actor: Actor,
    ip: string,
  ): Promise<Cell[]> {
    if (o.cells.length === 0) return [];
    await lockUnitValues(tx, planVersionId, o.unitCode);
    const unlocked = await tx
      .update(reportedValues)
      .set({
        status: "returned",
        returnReason: `异议已受理，请更正并重新提交（异议 ${o.id}）：${o.resolution ?? ""}`,
        updatedAt: now(),
      })
      .where(
        and(
          eq(reportedValues.planVersionId, planVersionId),
          eq(reportedValues.unitCode, o.unitCode),
          eq(reportedValues.status, "approved"),
          or(
            ...o.cells.map((c) =>
              and(eq(reportedValues.indicator, c.indicator), eq(reportedValues.period, c.period)),
            ),
          ),
        ),
      )
      .returning({
        id: reportedValues.id,
        indicator: reportedValues.indicator,
        period: reportedValues.period,
      });
    for (const v of unlocked)
      await appendAudit(tx, {
        actor: actor.username,
        ip,
        action: "value.unlock",
        entity: "value",
        entityId: v.id,
        before: { status: "approved" },
        after: {
          unit: o.unitCode,
          indicator: v.indicator,
          period: v.period,
          status: "returned",
          objection: o.id,
        },
      });
    // Reporting opens again for the unit (after the deadline too) until the correction is due, also for
    // a named cell that has no value yet (the objection may be that it is missing).
    const reason = `更正已受理的异议 ${o.id}`;
    await reopenUnit(tx, { planVersionId, unit: o.unitCode, until, reason, actor, ip, objection: o.id });
    return unlocked.map((v) => ({ indicator: v.indicator, period: v.period }));
  }

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
        ? await publicationById.execute({ planId, id: publicationId })
        : await publicationHead.execute({ planId });
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
     * Puts a run up for public notice. Only a plan version in force (published or frozen) can be
     * published. The plan's current publication, if any, is superseded (withdrawn, its row and view
     * kept as they are; the new row names it), once its objections are all resolved; the notice
     * restarts, or continues to the superseded one's end when the plan says
     * `publication.republish: "continue"`.
     */
    async publish(planVersionId: string, plan: Plan, runId: string, actor: Actor, ip: string) {
      const [run] = await db
        .select({
          id: scoringRuns.id,
          planVersionId: scoringRuns.planVersionId,
          inputs: scoringRuns.inputs,
          result: scoringRuns.result,
        })
        .from(scoringRuns)
        .where(eq(scoringRuns.id, runId));
      if (!run || run.planVersionId !== planVersionId)
        throw notFound("计分结果不存在", "scoring run not found");
      await assertRunUnchanged(db, runId, run);
      const english = await db
        .select({ code: organisations.code, nameEn: organisations.nameEn })
        .from(organisations)
        .where(
          inArray(
            organisations.code,
            plan.units.map((u) => u.code),
          ),
        );
      const englishNames = new Map(english.flatMap((o) => (o.nameEn ? [[o.code, o.nameEn] as const] : [])));
      return db.transaction(async (tx) => {
        // The version cannot leave or enter draft meanwhile; publications of one plan queue on its row.
        const [version] = await tx
          .select({ planId: planVersions.planId, status: planVersions.status })
          .from(planVersions)
          .where(eq(planVersions.id, planVersionId))
          .for("share");
        if (!version) throw notFound("方案不存在", "plan not found");
        if (version.status === "draft")
          throw appError(
            409,
            "PLAN_NOT_IN_FORCE",
            "方案尚未发布（草稿），其结果不能公示",
            "the plan is still a draft; only a plan in force can have its results published",
          );
        await tx.select({ id: plans.id }).from(plans).where(eq(plans.id, version.planId)).for("update");
        const [previous] = await tx
          .select({
            id: publications.id,
            runId: publications.runId,
            status: publications.status,
            noticeUntil: publications.noticeUntil,
          })
          .from(publications)
          .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
          .where(
            and(
              eq(planVersions.planId, version.planId),
              inArray(publications.status, ["notice", "final"]),
              notSuperseded,
            ),
          )
          .orderBy(desc(publications.publishedAt))
          .limit(1)
          .for("update", { of: publications });
        // Under the plan's lock: a double click, or two at once, would chain identical publications.
        if (previous?.runId === runId)
          throw appError(
            409,
            "ALREADY_PUBLISHED",
            "该计分结果已是当前公示的结果",
            "this run's results are already the plan's current publication",
          );
        if (previous) {
          // Objections are settled before their publication is replaced, so none is left open on it.
          const [open] = await tx
            .select({ n: count() })
            .from(objections)
            .where(and(eq(objections.publicationId, previous.id), eq(objections.status, "open")));
          if (open!.n > 0)
            throw appError(
              409,
              "OPEN_OBJECTIONS",
              `当前公示还有 ${open!.n} 条异议未处理，处理后才能发布新的结果`,
              `${open!.n} objection(s) to the current publication are still open; resolve them before publishing again`,
            );
        }
        const days = plan.publication?.noticeDays ?? 5;
        const noticeUntil =
          previous && plan.publication?.republish === "continue"
            ? previous.noticeUntil
            : new Date(now().getTime() + days * 86_400_000);
        if (previous)
          await tx.update(publications).set({ status: "withdrawn" }).where(eq(publications.id, previous.id));
        const publicView = publicViewOf(plan, run.result as ScoringRun, englishNames);
        const [p] = await tx
          .insert(publications)
          .values({
            planVersionId,
            runId,
            noticeUntil,
            publishedBy: actor.id,
            publishedAt: now(),
            publicView,
            supersedes: previous?.id ?? null,
          })
          .returning();
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "results.publish",
          entity: "publication",
          entityId: p!.id,
          after: {
            runId,
            noticeUntil,
            supersedes: previous?.id ?? null,
            ...(previous ? { supersededStatus: previous.status } : {}),
            ...(await publicationSeal(tx, publicView)),
          },
        });
        return p!;
      });
    },

    /**
     * A unit's own results in a publication: its scores, rank, grade and the full explanation (the
     * run's traces, adjustments and grade reasons), read from the published run. The route checks the
     * unit is the caller's.
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

    async fileObjection(
      publicationId: string,
      unit: string,
      reason: string,
      cells: Cell[],
      actor: Actor,
      ip: string,
    ) {
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
          .values({ publicationId, unitCode: unit, reason, cells, filedBy: actor.id, filedAt: now() })
          .returning();
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "objection.file",
          entity: "objection",
          entityId: o!.id,
          after: { publicationId, unit, reason, cells },
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

    /**
     * Accepts or rejects an objection with the reason. The objection is found within its publication
     * and that publication within the plan (another plan's or publication's objection is not found),
     * and locked. Accepting it unlocks the approved cells it concerns in the plan's current version
     * (`planVersionId`) for the unit to correct, and reopens reporting for the unit until `until`.
     */
    async resolve(
      target: { planId: string; publicationId: string; objectionId: string; planVersionId: string },
      decision: "accepted" | "rejected",
      resolution: string,
      until: Date | undefined,
      actor: Actor,
      ip: string,
    ): Promise<Objection & { unlocked: Cell[] }> {
      return db.transaction(async (tx) => {
        const [o] = await tx
          .select(getTableColumns(objections))
          .from(objections)
          .innerJoin(publications, eq(publications.id, objections.publicationId))
          .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
          .where(
            and(
              eq(objections.id, target.objectionId),
              eq(objections.publicationId, target.publicationId),
              eq(planVersions.planId, target.planId),
            ),
          )
          .for("update", { of: objections });
        if (!o) throw notFound("异议不存在", "objection not found");
        if (o.status !== "open")
          throw appError(409, "ALREADY_RESOLVED", "该异议已处理", "this objection is already resolved");
        const [resolved] = await tx
          .update(objections)
          .set({ status: decision, resolution, resolvedBy: actor.id, resolvedAt: now() })
          .where(and(eq(objections.id, o.id), eq(objections.status, "open")))
          .returning();
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: `objection.${decision === "accepted" ? "accept" : "reject"}`,
          entity: "objection",
          entityId: o.id,
          before: { status: "open" },
          after: { status: decision, resolution, publicationId: o.publicationId, cells: o.cells },
        });
        const unlocked =
          decision === "accepted"
            ? await unlockCells(
                tx,
                resolved!,
                target.planVersionId,
                until ?? new Date(now().getTime() + 7 * 86_400_000),
                actor,
                ip,
              )
            : [];
        return { ...resolved!, unlocked };
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
