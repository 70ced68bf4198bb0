import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { type DataRow, indexPlanData, type PlanStructure } from "../../../engine/index.js";
import { type Actor, auditedBy } from "../../actor.js";
import { type Database, isoTimestamp } from "../../db/client.js";
import { planVersions, reportedValues, unitValueStamps } from "../../db/schema/index.js";
import { AppError, appError, eachInput, notFound } from "../../errors.js";
import { appendAudit, appendAuditMany } from "../audit/service.js";
import { assertCell, assertEditable } from "../plans/reporting-window.js";
import { guardInForce, refuseSuperseded } from "../plans/superseded.js";

export interface ValueInput {
  indicator: string;
  period: string;
  value: number;
  note?: string | undefined;
  source?: string | undefined;
  /** The unit's answer to the reason a value was returned, if it resubmits the value unchanged. */
  response?: string | undefined;
  /** The revision the writer read; omitted (or 0) when creating the cell. */
  revision?: number | undefined;
}

export type ReportedValue = typeof reportedValues.$inferSelect;

/**
 * Checks one value against the plan with the engine's own data rules (its value rule: range, decimals,
 * ranks, yes/no); errors name the unit, the indicator and the field.
 */
export function checkValue(structure: PlanStructure, unit: string, input: ValueInput): void {
  const node = structure.nodes[structure.byCode.get(input.indicator) ?? -1];
  if (node?.rule?.type === "expert") {
    throw appError(
      400,
      "EXPERT_MARK",
      `${input.indicator} 由评审专家打分，单位不能填报`,
      `${input.indicator} is marked by reviewers, not reported by units`,
      "indicator",
    );
  }
  const row: DataRow = { unit, indicator: input.indicator, period: input.period, value: input.value };
  const checked = indexPlanData(structure, [row]);
  if (!checked.ok) {
    const field = checked.error.code === "UNKNOWN_INDICATOR" ? "indicator" : "value";
    throw new AppError(400, checked.error.code, checked.error.message, field);
  }
}

/** A stale write: the problem carries the value as it now stands, so the writer loses nothing. */
export const conflict = (current: ReportedValue | undefined) =>
  new AppError(
    409,
    "CONFLICT",
    {
      "zh-CN": "该数据已被他人修改，请刷新后再改",
      en: "someone else changed this value; reload and try again",
    },
    "revision",
    {
      current: current
        ? {
            value: current.value,
            note: current.note,
            revision: current.revision,
            updatedAt: current.updatedAt.toISOString(),
          }
        : null,
    },
  );

const isUniqueViolation = (e: unknown) =>
  (e as { code?: string }).code === "23505" || (e as { cause?: { code?: string } }).cause?.code === "23505";

/**
 * Locks a unit's values for the rest of the transaction. Every transaction that writes a unit's values
 * calls this first, before touching any cell: writers of one unit then queue in one order (unit, then
 * cells, then the audit chain) and cannot deadlock, e.g. an upload and a single save of the same cells.
 * It first shares the plan version's row and refuses a version no longer in force (`guardInForce`),
 * so that no write commits after a concurrent freeze; a revision, which holds that row itself and may
 * revise a draft, passes `inForce: false`.
 */
export async function lockUnitValues(
  tx: Database,
  planVersionId: string,
  unit: string,
  options: { inForce?: boolean } = {},
): Promise<void> {
  if (options.inForce !== false) await guardInForce(tx, planVersionId);
  await tx
    .insert(unitValueStamps)
    .values({ planVersionId, unitCode: unit })
    .onConflictDoUpdate({
      target: [unitValueStamps.planVersionId, unitValueStamps.unitCode],
      set: { stamp: sql`gen_random_uuid()` },
    });
  await refuseSuperseded(tx, planVersionId);
}

/**
 * Locks the unit (in the order lockUnitValues gives) and then one cell's row, for a change that decides
 * on the value as it stands (review, delete); 404 when the cell has no value. Returns the row and the
 * condition that names it.
 */
export async function lockCell(
  tx: Database,
  planVersionId: string,
  unit: string,
  cell: { indicator: string; period: string },
) {
  await lockUnitValues(tx, planVersionId, unit);
  const where = and(
    eq(reportedValues.planVersionId, planVersionId),
    eq(reportedValues.unitCode, unit),
    eq(reportedValues.indicator, cell.indicator),
    eq(reportedValues.period, cell.period),
  );
  const [row] = await tx.select().from(reportedValues).where(where).for("update");
  if (!row) throw notFound("没有这项数据", "no such value");
  return { row, where };
}

/** Creates or updates one draft value within a transaction, checking its status and revision. */
async function apply(
  tx: Database,
  {
    planVersionId,
    unit,
    input,
    actor,
  }: { planVersionId: string; unit: string; input: ValueInput; actor: Actor },
): Promise<ReportedValue> {
  const cell = and(
    eq(reportedValues.planVersionId, planVersionId),
    eq(reportedValues.unitCode, unit),
    eq(reportedValues.indicator, input.indicator),
    eq(reportedValues.period, input.period),
  );
  // Locked, so that a concurrent writer waits and then sees (and is told) the value as it now stands.
  const [before] = await tx.select().from(reportedValues).where(cell).for("update");
  assertEditable(before?.status);
  const response = input.response?.trim() || undefined;
  if (before?.status === "returned" && before.value === input.value && !response)
    throw appError(
      409,
      "RETURN_UNANSWERED",
      "退回的数据须修改数值，或写明对退回理由的答复",
      "a returned value needs a changed value or a written response to the reason it was returned",
      "response",
    );
  let saved: ReportedValue | undefined;
  if (!before) {
    if (input.revision) throw conflict(undefined);
    try {
      [saved] = await tx
        .insert(reportedValues)
        .values({
          planVersionId,
          unitCode: unit,
          indicator: input.indicator,
          period: input.period,
          value: input.value,
          note: input.note ?? null,
          source: input.source ?? null,
          response: response ?? null,
          updatedBy: actor.id,
        })
        .returning();
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(undefined);
      throw e;
    }
  } else {
    if (input.revision !== before.revision) throw conflict(before);
    [saved] = await tx
      .update(reportedValues)
      .set({
        value: input.value,
        note: input.note ?? null,
        source: input.source ?? null,
        status: "draft",
        // The return reason stays beside the answer (or the changed value) until the value is approved.
        response: response ?? (before.status === "returned" ? null : before.response),
        revision: sql`${reportedValues.revision} + 1`,
        updatedBy: actor.id,
        updatedAt: new Date(),
      })
      .where(and(cell, eq(reportedValues.revision, input.revision)))
      .returning();
    if (!saved) throw conflict(before);
  }
  await appendAudit(tx, {
    ...auditedBy(actor),
    action: "value.save",
    entity: "value",
    entityId: saved!.id,
    before: before ? { value: before.value, note: before.note, revision: before.revision } : null,
    after: {
      unit,
      indicator: input.indicator,
      period: input.period,
      value: saved!.value,
      note: saved!.note,
      ...(saved!.response ? { response: saved!.response } : {}),
      revision: saved!.revision,
    },
  });
  return saved!;
}

/** One value of an office import: a unit's cell, with the row of the file it came from. */
export interface ImportedValue {
  unit: string;
  indicator: string;
  period: string;
  value: number;
  note?: string | undefined;
}

const cellKey = (v: { unitCode?: string; unit?: string; indicator: string; period: string }) =>
  `${v.unitCode ?? v.unit}\u0000${v.indicator}\u0000${v.period}`;

export function createValueService(deps: { db: Database }) {
  const { db } = deps;
  const v = reportedValues;
  // Prepared once (planned once per connection, built once): the data-entry page is the busiest read.
  // json_agg of a row with the API's field names is about a third cheaper than json_build_object.
  const page = db
    .select({
      indicator: v.indicator,
      period: v.period,
      value: v.value,
      note: v.note,
      source: v.source,
      status: v.status,
      returnReason: sql`${v.returnReason}`.as("returnReason"),
      response: v.response,
      revision: v.revision,
      updatedAt: isoTimestamp(v.updatedAt).as("updatedAt"),
    })
    .from(v)
    .where(
      and(eq(v.planVersionId, sql.placeholder("planVersionId")), eq(v.unitCode, sql.placeholder("unit"))),
    )
    .as("page");
  const row = sql.identifier("page");
  const valuesPage = db
    .select({
      items: sql<string>`coalesce(json_agg(${row} ORDER BY ${row}.indicator, ${row}.period), '[]')::text`,
    })
    .from(page)
    .prepare("values_page");
  const pageHead = db
    .select({
      id: planVersions.id,
      status: planVersions.status,
      version: planVersions.version,
      hasUnit: sql<boolean>`${sql.placeholder("unit")} = ANY(${planVersions.unitCodes})`,
      stamp: sql<string | null>`(SELECT ${unitValueStamps.stamp} FROM ${unitValueStamps}
        WHERE ${unitValueStamps.planVersionId} = ${planVersions.id} AND ${unitValueStamps.unitCode} = ${sql.placeholder("unit")})`,
    })
    .from(planVersions)
    .where(eq(planVersions.planId, sql.placeholder("planId")))
    .orderBy(desc(planVersions.version))
    .limit(1)
    .prepare("values_page_head");
  /**
   * Data-entry pages by plan version, unit and stamp. Safe in any number of processes: the database
   * gives the unit a new stamp with every change to its values, so a cached page is never served for
   * data it does not show (it may only be newer than its stamp, which the next change replaces).
   */
  const pages = new LRUCache<string, string>({ max: 1000 });
  return {
    list(planVersionId: string, unit: string): Promise<ReportedValue[]> {
      return db
        .select()
        .from(reportedValues)
        .where(and(eq(reportedValues.planVersionId, planVersionId), eq(reportedValues.unitCode, unit)));
    },

    /**
     * What a data-entry page needs first, in one prepared query: the plan's current version (as
     * `PlanService.head`) and the unit's values stamp (null before its first value).
     */
    async pageHead(planId: string, unit: string) {
      const [row] = await pageHead.execute({ planId, unit });
      if (!row) throw notFound("方案不存在", "plan not found");
      const { stamp, ...head } = row;
      return { head, stamp };
    },

    /** A unit's values as its data-entry page's JSON text, read once per stamp: pages are read far more often than values change. */
    async pageJson(planVersionId: string, unit: string, stamp: string | null): Promise<string> {
      const key = `${planVersionId}/${unit}/${stamp}`;
      let page = pages.get(key);
      if (page === undefined) {
        // The JSON text of the page (`[{ indicator, period, value, ... }]`), built by the database:
        // no mapping, validating and re-serialising of every row in the app.
        page = (await valuesPage.execute({ planVersionId, unit }))[0]!.items;
        pages.set(key, page);
      }
      return page;
    },

    /**
     * Saves a draft value with optimistic concurrency: the update only applies to the revision the
     * writer read, so of two concurrent writers the second gets a conflict and nothing is lost.
     */
    async save(props: {
      planVersionId: string;
      structure: PlanStructure;
      unit: string;
      input: ValueInput;
      actor: Actor;
    }): Promise<ReportedValue> {
      const { planVersionId, structure, unit, input } = props;
      checkValue(structure, unit, input);
      assertCell(structure, input.indicator, input.period);
      return db.transaction(async (tx) => {
        await lockUnitValues(tx, planVersionId, unit);
        return apply(tx, props);
      });
    },

    /**
     * Imports checked values of many units for the office, all or nothing: each lands as submitted
     * (awaiting review, like a unit's own submission), and a cell already submitted or approved is not
     * overwritten: the import is refused, naming those inputs (`extra.indexes`). Bulk statements, one
     * audit entry per value.
     */
    async importAll({
      planVersionId,
      inputs,
      actor,
      within,
    }: {
      planVersionId: string;
      inputs: ImportedValue[];
      actor: Actor;
      /** More work of the same transaction, given the counts (a job's end: see FinishWithin). */
      within?: (tx: Database, saved: { created: number; updated: number }) => Promise<void>;
    }): Promise<{ created: number; updated: number }> {
      const at = new Date();
      return db.transaction(async (tx) => {
        const units = [...new Set(inputs.map((i) => i.unit))].sort();
        for (const unit of units) await lockUnitValues(tx, planVersionId, unit);
        const existing = new Map(
          (
            await tx
              .select()
              .from(reportedValues)
              .where(
                and(eq(reportedValues.planVersionId, planVersionId), inArray(reportedValues.unitCode, units)),
              )
              .for("update")
          ).map((e) => [cellKey(e), e]),
        );
        const locked = inputs.flatMap((input, index) => {
          const status = existing.get(cellKey(input))?.status;
          return status === "submitted" || status === "approved" ? [index] : [];
        });
        if (locked.length > 0)
          throw new AppError(
            409,
            "LOCKED",
            {
              "zh-CN": `有 ${locked.length} 项数据已提交或已审核，不能导入覆盖；未导入任何数据`,
              en: `${locked.length} value(s) are already submitted or approved and cannot be overwritten; nothing was imported`,
            },
            undefined,
            { indexes: locked },
          );
        let created = 0;
        for (let k = 0; k < inputs.length; k += 1000) {
          const saved = await tx
            .insert(reportedValues)
            .values(
              inputs.slice(k, k + 1000).map((i) => ({
                planVersionId,
                unitCode: i.unit,
                indicator: i.indicator,
                period: i.period,
                value: i.value,
                note: i.note ?? null,
                status: "submitted" as const,
                updatedBy: actor.id,
                updatedAt: at,
              })),
            )
            .onConflictDoUpdate({
              target: [
                reportedValues.planVersionId,
                reportedValues.unitCode,
                reportedValues.indicator,
                reportedValues.period,
              ],
              set: {
                value: sql`excluded.value`,
                note: sql`excluded.note`,
                status: "submitted",
                returnReason: null,
                response: null,
                revision: sql`${reportedValues.revision} + 1`,
                updatedBy: actor.id,
                updatedAt: at,
              },
            })
            .returning();
          await appendAuditMany(
            tx,
            saved.map((s) => {
              const before = existing.get(cellKey(s));
              if (!before) created++;
              return {
                ...auditedBy(actor),
                action: "value.import",
                entity: "value",
                entityId: s.id,
                before: before
                  ? {
                      value: before.value,
                      note: before.note,
                      status: before.status,
                      revision: before.revision,
                    }
                  : null,
                after: {
                  unit: s.unitCode,
                  indicator: s.indicator,
                  period: s.period,
                  value: s.value,
                  note: s.note,
                  status: s.status,
                  revision: s.revision,
                },
              };
            }),
          );
        }
        const saved = { created, updated: inputs.length - created };
        await within?.(tx, saved);
        return saved;
      });
    },

    /**
     * Deletes (withdraws) one value before it is submitted: a draft or returned value of the revision
     * the writer read, never one under review or approved. Audited with what it was.
     */
    async remove({
      planVersionId,
      unit,
      cell,
      actor,
    }: {
      planVersionId: string;
      unit: string;
      cell: { indicator: string; period: string; revision: number };
      actor: Actor;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        const { row: before, where } = await lockCell(tx, planVersionId, unit, cell);
        assertEditable(before.status);
        if (before.revision !== cell.revision) throw conflict(before);
        await tx.delete(reportedValues).where(where);
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "value.delete",
          entity: "value",
          entityId: before.id,
          before: {
            unit,
            indicator: before.indicator,
            period: before.period,
            value: before.value,
            note: before.note,
            status: before.status,
            revision: before.revision,
          },
        });
      });
    },

    /** Saves many checked values in one transaction: all of them, or none if any conflicts or is locked. */
    saveAll({
      planVersionId,
      unit,
      inputs,
      actor,
    }: {
      planVersionId: string;
      unit: string;
      inputs: ValueInput[];
      actor: Actor;
    }): Promise<ReportedValue[]> {
      return db.transaction(async (tx) => {
        await lockUnitValues(tx, planVersionId, unit);
        return eachInput(inputs, (input) => apply(tx, { planVersionId, unit, input, actor }));
      });
    },
  };
}

export type ValueService = ReturnType<typeof createValueService>;
