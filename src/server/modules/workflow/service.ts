import { and, count, eq, inArray, ne, notExists, type SQL, sql } from "drizzle-orm";
import type { PlanStructure } from "../../../engine/index.js";
import { type Actor, auditedBy } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { evidence, planVersions, reopenings, reportedValues } from "../../db/schema/index.js";
import { AppError, appError, notFound } from "../../errors.js";
import { type PageQuery, readPage } from "../../pagination.js";
import { allows, reviewScope } from "../../policies.js";
import { appendAudit, appendAuditMany } from "../audit/service.js";
import type { Session } from "../auth/service.js";
import { guardVersion, refuseSuperseded } from "../plans/superseded.js";
import { lockCell, lockUnitValues, type ReportedValue } from "../values/service.js";

/** One value of a unit: the cell a review or a batch approval names. */
export interface UnitCell {
  unit: string;
  indicator: string;
  period: string;
}

/** The indicators whose values need at least one evidence file (佐证材料) to be submitted or approved. */
const evidenceCache = new WeakMap<PlanStructure, Set<string>>();
export function evidenceRequired(structure: PlanStructure): Set<string> {
  let codes = evidenceCache.get(structure);
  if (!codes) {
    codes = new Set(structure.nodes.filter((n) => n.spec.evidence?.required).map((n) => n.code));
    evidenceCache.set(structure, codes);
  }
  return codes;
}

const cellName = (c: { indicator: string; period: string }) => `${c.indicator}（${c.period}）`;

/**
 * Refuses the approval of a value that is not submitted, or whose indicator needs evidence and has
 * none (an imported value stays incomplete until a file is attached): the rule of every approval,
 * one by one or in a batch.
 */
function checkApprovable(before: ReportedValue | undefined, needsFile: boolean, hasFile: boolean): void {
  if (!before) throw notFound("没有这项数据", "no such value");
  if (before.status !== "submitted")
    throw appError(409, "NOT_SUBMITTED", "只能审核已提交的数据", "only submitted values can be reviewed");
  if (needsFile && !hasFile)
    throw new AppError(
      409,
      "EVIDENCE_MISSING",
      {
        "zh-CN": `${cellName(before)} 须有佐证材料才能审核通过`,
        en: `${before.indicator} (${before.period}) needs an evidence file before it can be approved`,
      },
      "evidence",
      { missing: [{ indicator: before.indicator, period: before.period }] },
    );
}

const cellKey = (c: { unit?: string; unitCode?: string; indicator: string; period: string }) =>
  `${c.unit ?? c.unitCode}\u0000${c.indicator}\u0000${c.period}`;

/** Which of the cells have at least one evidence file (their keys). */
async function filesOf(tx: Database, planVersionId: string, cells: UnitCell[]): Promise<Set<string>> {
  const units = [...new Set(cells.map((c) => c.unit))];
  const rows = await tx
    .selectDistinct({ unitCode: evidence.unitCode, indicator: evidence.indicator, period: evidence.period })
    .from(evidence)
    .where(
      and(
        eq(evidence.planVersionId, planVersionId),
        inArray(evidence.unitCode, units),
        inArray(evidence.indicator, [...new Set(cells.map((c) => c.indicator))]),
      ),
    );
  return new Set(rows.map(cellKey));
}

/** A reported value (of the query's `reported_values`) with no evidence file for its cell. */
const withoutEvidence = (q: Database) =>
  notExists(
    q
      .select({ one: sql`1` })
      .from(evidence)
      .where(
        and(
          eq(evidence.planVersionId, reportedValues.planVersionId),
          eq(evidence.unitCode, reportedValues.unitCode),
          eq(evidence.indicator, reportedValues.indicator),
          eq(evidence.period, reportedValues.period),
        ),
      ),
  );

/**
 * Refuses (409 EVIDENCE_MISSING, listing them) the submission of a unit's draft or returned values whose
 * indicator asks for evidence and has no file: read in the submitting transaction, under the unit's lock.
 */
async function requireEvidence(
  tx: Database,
  planVersionId: string,
  structure: PlanStructure,
  unit: string,
): Promise<void> {
  const needs = [...evidenceRequired(structure)];
  if (needs.length === 0) return;
  const v = reportedValues;
  const missing = (
    await tx
      .select({ indicator: v.indicator, period: v.period })
      .from(v)
      .where(
        and(
          eq(v.planVersionId, planVersionId),
          eq(v.unitCode, unit),
          inArray(v.status, ["draft", "returned"]),
          inArray(v.indicator, needs),
          withoutEvidence(tx),
        ),
      )
  ).sort((a, b) => a.indicator.localeCompare(b.indicator) || b.period.localeCompare(a.period));
  if (missing.length === 0) return;
  const key = structure.plan.period.key;
  const cell = (m: { indicator: string; period: string }) =>
    m.period === key ? m.indicator : `${m.indicator}（${m.period}）`;
  throw new AppError(
    409,
    "EVIDENCE_MISSING",
    {
      "zh-CN": `以下数据须上传佐证材料后才能提交：${missing.map(cell).join("、")}`,
      en: `these values need evidence before submitting: ${missing.map(cell).join(", ")}`,
    },
    "evidence",
    { missing },
  );
}

/**
 * What of the review queue a session may see (as `reviewScope` decides), with an optional lead
 * department filter: a department's reviewer, the indicators it leads in the other units; a lead filter
 * and that scope together, the indicators both name (none if they differ). The queue and the workbench
 * (agenda) both count with it.
 */
export function reviewLimits(
  structure: PlanStructure,
  session: Session,
  lead?: string,
): { indicators?: string[] | undefined; exceptUnit?: string | undefined } {
  const ledBy = (org: string) =>
    structure.leaves
      .map((i) => structure.nodes[i]!)
      .filter((n) => n.lead === org)
      .map((n) => n.code);
  const scope = reviewScope(session);
  const leads = new Set([lead, scope === "all" ? undefined : scope.lead].filter((l) => l !== undefined));
  return {
    indicators: leads.size === 0 ? undefined : leads.size > 1 ? [] : ledBy([...leads][0]!),
    exceptUnit: scope === "all" ? undefined : scope.exceptUnit,
  };
}

/**
 * The reporting workflow: deadlines and reopening, submission by the unit leader, and review by the
 * office or a lead department (approve locks a value; return sends it back with a reason).
 */
/**
 * Opens reporting again for one unit until `until` (after the deadline too), audited as `unit.reopen`.
 * The office sets the date as it says; a correction after an accepted objection (`objection`) only ever
 * extends an earlier reopening, never shortens it.
 */
export async function reopenUnit(
  tx: Database,
  props: {
    planVersionId: string;
    unit: string;
    until: Date;
    reason: string;
    actor: Actor;
    objection?: string;
  },
): Promise<void> {
  const { planVersionId, unit, until, reason, actor, objection } = props;
  await tx
    .insert(reopenings)
    .values({ planVersionId, unitCode: unit, until, reason })
    .onConflictDoUpdate({
      target: [reopenings.planVersionId, reopenings.unitCode],
      set: { until: objection ? sql`greatest(${reopenings.until}, excluded.until)` : until, reason },
    });
  await appendAudit(tx, {
    ...auditedBy(actor),
    action: "unit.reopen",
    entity: "plan_version",
    entityId: planVersionId,
    after: objection ? { unit, until, reason, objection } : { unit, until, reason },
  });
}

export function createWorkflowService(deps: { db: Database; now: () => Date }) {
  const { db, now } = deps;

  return {
    /** Sets the version's reporting deadline, audited with the one it replaces. */
    async setDeadline({
      planVersionId,
      deadline,
      actor,
    }: {
      planVersionId: string;
      deadline: Date;
      actor: Actor;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        const [before] = await tx
          .select({ deadline: planVersions.deadline })
          .from(planVersions)
          .where(eq(planVersions.id, planVersionId));
        await tx.update(planVersions).set({ deadline }).where(eq(planVersions.id, planVersionId));
        // The update waited for a revision in progress, if any: then the deadline belongs to the new version.
        await refuseSuperseded(tx, planVersionId);
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "plan.deadline",
          entity: "plan_version",
          entityId: planVersionId,
          before: { deadline: before?.deadline ?? null },
          after: { deadline },
        });
      });
    },

    /** The office reopens reporting for one unit (补报) until `until`. */
    async reopen(props: {
      planVersionId: string;
      unit: string;
      until: Date;
      reason: string;
      actor: Actor;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        await guardVersion(tx, props.planVersionId);
        await reopenUnit(tx, props);
      });
    },

    /**
     * The unit leader submits every draft value of the unit for review. A returned value must first be
     * changed or answered (saved again): one left as it was returned refuses the submission.
     */
    async submit({
      planVersionId,
      structure,
      unit,
      actor,
    }: {
      planVersionId: string;
      structure: PlanStructure;
      unit: string;
      actor: Actor;
    }): Promise<number> {
      return db.transaction(async (tx) => {
        await lockUnitValues(tx, planVersionId, unit);
        // Under the unit's lock, which deleting a file takes too: a file withdrawn while this runs is
        // either still there or seen missing (checked before the lock, a value went in without its file).
        await requireEvidence(tx, planVersionId, structure, unit);
        const unanswered = await tx
          .select({ indicator: reportedValues.indicator, period: reportedValues.period })
          .from(reportedValues)
          .where(
            and(
              eq(reportedValues.planVersionId, planVersionId),
              eq(reportedValues.unitCode, unit),
              eq(reportedValues.status, "returned"),
            ),
          )
          .orderBy(reportedValues.indicator, reportedValues.period);
        if (unanswered.length > 0)
          throw new AppError(
            409,
            "RETURN_UNANSWERED",
            {
              "zh-CN": `以下退回的数据须修改数值或答复退回理由后才能再次提交：${unanswered.map(cellName).join("、")}`,
              en: `these returned values need a changed value or an answer to the return reason before resubmitting: ${unanswered.map((c) => `${c.indicator} (${c.period})`).join(", ")}`,
            },
            "response",
            { unanswered },
          );
        const rows = await tx
          .update(reportedValues)
          .set({ status: "submitted", updatedAt: now() })
          .where(
            and(
              eq(reportedValues.planVersionId, planVersionId),
              eq(reportedValues.unitCode, unit),
              eq(reportedValues.status, "draft"),
            ),
          )
          .returning({ id: reportedValues.id, indicator: reportedValues.indicator });
        if (rows.length === 0)
          throw appError(409, "NOTHING_TO_SUBMIT", "没有待提交的数据", "there are no draft values to submit");
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "unit.submit",
          entity: "plan_version",
          entityId: planVersionId,
          after: { unit, indicators: rows.map((r) => r.indicator) },
        });
        return rows.length;
      });
    },

    /**
     * Approves (and so locks) or returns one submitted value; a return needs a reason. Only the office
     * may return an already approved value (a correction, e.g. after an accepted objection).
     */
    async review(props: {
      planVersionId: string;
      structure: PlanStructure;
      unit: string;
      cell: { indicator: string; period: string };
      decision: "approve" | "return";
      reason: string | undefined;
      actor: Actor;
    }): Promise<void> {
      const { planVersionId, structure, unit, cell, decision, reason, actor } = props;
      if (decision === "return" && !reason?.trim())
        throw appError(400, "REASON_REQUIRED", "退回必须写明理由", "a return needs a reason", "reason");
      await db.transaction(async (tx) => {
        const { row: before, where } = await lockCell(tx, planVersionId, unit, cell);
        const correcting =
          before.status === "approved" && decision === "return" && allows(actor.roles, "values.correct");
        if (decision === "approve") {
          const needsFile = evidenceRequired(structure).has(cell.indicator);
          const files = needsFile ? await filesOf(tx, planVersionId, [{ unit, ...cell }]) : new Set();
          checkApprovable(before, needsFile, files.has(cellKey({ unit, ...cell })));
        } else if (before.status !== "submitted" && !correcting) {
          checkApprovable(before, false, false);
        }
        await tx
          .update(reportedValues)
          .set({
            status: decision === "approve" ? "approved" : "returned",
            returnReason: decision === "return" ? reason!.trim() : null,
            ...(decision === "return" ? { response: null } : {}),
            updatedAt: now(),
          })
          .where(and(where, eq(reportedValues.status, before.status)));
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: decision === "approve" ? "value.approve" : "value.return",
          entity: "value",
          entityId: before.id,
          before: { status: before.status },
          after: {
            unit,
            ...cell,
            status: decision === "approve" ? "approved" : "returned",
            reason: reason ?? null,
          },
        });
      });
    },

    /**
     * Approves many submitted values at once, all or nothing: each cell is checked as a single approval
     * would be (submitted, evidence where needed), under the same locks (the units' rows in order, then
     * the cells), and audited one entry per value. Of two batches naming the same cells, the second
     * waits for the first and is refused: no value is approved or audited twice. A refusal names the
     * cell (`extra.index`).
     */
    async approveAll({
      planVersionId,
      structure,
      cells,
      actor,
    }: {
      planVersionId: string;
      structure: PlanStructure;
      cells: UnitCell[];
      actor: Actor;
    }): Promise<number> {
      return db.transaction(async (tx) => {
        const units = [...new Set(cells.map((c) => c.unit))].sort();
        for (const unit of units) await lockUnitValues(tx, planVersionId, unit);
        const rows = new Map(
          (
            await tx
              .select()
              .from(reportedValues)
              .where(
                and(
                  eq(reportedValues.planVersionId, planVersionId),
                  inArray(reportedValues.unitCode, units),
                  inArray(reportedValues.indicator, [...new Set(cells.map((c) => c.indicator))]),
                ),
              )
              .for("update")
          ).map((r) => [cellKey(r), r]),
        );
        const needs = evidenceRequired(structure);
        const files = await filesOf(
          tx,
          planVersionId,
          cells.filter((c) => needs.has(c.indicator)),
        );
        const approved: ReportedValue[] = [];
        for (const [index, cell] of cells.entries()) {
          const before = rows.get(cellKey(cell));
          try {
            checkApprovable(before, needs.has(cell.indicator), files.has(cellKey(cell)));
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            throw new AppError(e.status, e.code, e.messages, e.field, { ...e.extra, index, cell });
          }
          approved.push(before!);
        }
        const at = now();
        const ids = approved.map((r) => r.id);
        for (let k = 0; k < ids.length; k += 1000) {
          await tx
            .update(reportedValues)
            .set({ status: "approved", returnReason: null, updatedAt: at })
            .where(
              and(inArray(reportedValues.id, ids.slice(k, k + 1000)), eq(reportedValues.status, "submitted")),
            );
        }
        await appendAuditMany(
          tx,
          approved.map((r) => ({
            ...auditedBy(actor),
            action: "value.approve",
            entity: "value",
            entityId: r.id,
            before: { status: r.status },
            after: {
              unit: r.unitCode,
              indicator: r.indicator,
              period: r.period,
              status: "approved",
              reason: null,
              batch: true,
            },
          })),
        );
        return approved.length;
      });
    },

    /**
     * How far each unit is (填报进度): its values by status, and how many of its submitted or approved
     * values still lack the evidence their indicator needs (incomplete: they cannot be approved).
     */
    async progress(planVersionId: string, structure: PlanStructure) {
      const v = reportedValues;
      const counts = await db
        .select({ unit: v.unitCode, status: v.status, n: count() })
        .from(v)
        .where(eq(v.planVersionId, planVersionId))
        .groupBy(v.unitCode, v.status);
      const needs = [...evidenceRequired(structure)];
      const missing = await db
        .select({ unit: v.unitCode, n: count() })
        .from(v)
        .where(
          and(
            eq(v.planVersionId, planVersionId),
            inArray(v.indicator, needs),
            inArray(v.status, ["submitted", "approved"]),
            withoutEvidence(db),
          ),
        )
        .groupBy(v.unitCode);
      return { counts, missing: new Map(missing.map((m) => [m.unit, m.n])) };
    },

    /**
     * One page of the values awaiting review (or of any status) across units, filtered by unit,
     * indicator, status or a set of indicators (a lead department's), within what the session may review.
     */
    queue(
      planVersionId: string,
      query: PageQuery & {
        status?: ReportedValue["status"] | undefined;
        unit?: string | undefined;
        indicator?: string | undefined;
      },
      limits: { indicators?: string[] | undefined; exceptUnit?: string | undefined },
    ) {
      const v = reportedValues;
      const conditions: (SQL | undefined)[] = [
        eq(v.planVersionId, planVersionId),
        query.status ? eq(v.status, query.status) : undefined,
        query.unit ? eq(v.unitCode, query.unit) : undefined,
        query.indicator ? eq(v.indicator, query.indicator) : undefined,
        limits.indicators ? inArray(v.indicator, limits.indicators) : undefined,
        limits.exceptUnit ? ne(v.unitCode, limits.exceptUnit) : undefined,
      ];
      return readPage(
        db,
        v,
        query,
        {
          search: [v.unitCode, v.indicator, v.note],
          sort: { updatedAt: v.updatedAt, unit: v.unitCode, indicator: v.indicator },
          unique: v.id,
        },
        conditions,
      );
    },
  };
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;
