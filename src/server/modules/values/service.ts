import { and, eq, sql } from "drizzle-orm";
import { type DataRow, indexPlanData, type PlanStructure } from "../../../engine/index.js";
import type { Database } from "../../db/client.js";
import { reportedValues } from "../../db/schema/index.js";
import { AppError, appError } from "../../errors.js";
import { appendAudit } from "../audit/service.js";

export interface ValueInput {
  indicator: string;
  period: string;
  value: number;
  note?: string | undefined;
  source?: string | undefined;
  /** The revision the writer read; omitted (or 0) when creating the cell. */
  revision?: number | undefined;
}

export type ReportedValue = typeof reportedValues.$inferSelect;
type Actor = { id: string; username: string };

/** Checks one value against the plan with the engine's own data rules; errors name the field. */
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
  if (node?.spec.dataType === "rank" && !(Number.isInteger(input.value) && input.value >= 1)) {
    throw appError(400, "BAD_RANK", "位次必须是正整数", "a rank must be a positive whole number", "value");
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

/** Creates or updates one draft value within a transaction, checking its status and revision. */
async function apply(
  tx: Database,
  planVersionId: string,
  unit: string,
  input: ValueInput,
  actor: Actor,
  ip: string,
): Promise<ReportedValue> {
  const cell = and(
    eq(reportedValues.planVersionId, planVersionId),
    eq(reportedValues.unitCode, unit),
    eq(reportedValues.indicator, input.indicator),
    eq(reportedValues.period, input.period),
  );
  // Locked, so that a concurrent writer waits and then sees (and is told) the value as it now stands.
  const [before] = await tx.select().from(reportedValues).where(cell).for("update");
  if (before && (before.status === "submitted" || before.status === "approved")) {
    throw appError(
      409,
      "LOCKED",
      "已提交或已审核的数据不能修改",
      "submitted or approved values cannot be changed",
      "indicator",
    );
  }
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
        returnReason: null,
        revision: sql`${reportedValues.revision} + 1`,
        updatedBy: actor.id,
        updatedAt: new Date(),
      })
      .where(and(cell, eq(reportedValues.revision, input.revision)))
      .returning();
    if (!saved) throw conflict(before);
  }
  await appendAudit(tx, {
    actor: actor.username,
    ip,
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
      revision: saved!.revision,
    },
  });
  return saved!;
}

export function createValueService(deps: { db: Database }) {
  const { db } = deps;
  return {
    list(planVersionId: string, unit: string): Promise<ReportedValue[]> {
      return db
        .select()
        .from(reportedValues)
        .where(and(eq(reportedValues.planVersionId, planVersionId), eq(reportedValues.unitCode, unit)));
    },

    /**
     * Saves a draft value with optimistic concurrency: the update only applies to the revision the
     * writer read, so of two concurrent writers the second gets a conflict and nothing is lost.
     */
    async save(
      planVersionId: string,
      structure: PlanStructure,
      unit: string,
      input: ValueInput,
      actor: Actor,
      ip: string,
    ): Promise<ReportedValue> {
      checkValue(structure, unit, input);
      return db.transaction((tx) => apply(tx, planVersionId, unit, input, actor, ip));
    },

    /** Saves many checked values in one transaction: all of them, or none if any conflicts or is locked. */
    saveAll(
      planVersionId: string,
      unit: string,
      inputs: ValueInput[],
      actor: Actor,
      ip: string,
    ): Promise<ReportedValue[]> {
      return db.transaction(async (tx) => {
        const saved: ReportedValue[] = [];
        for (const [index, input] of inputs.entries()) {
          try {
            saved.push(await apply(tx, planVersionId, unit, input, actor, ip));
          } catch (e) {
            // Say which input failed; the transaction rolls back, so nothing is half-written.
            if (e instanceof AppError)
              throw new AppError(e.status, e.code, e.messages, e.field, { ...e.extra, index });
            throw e;
          }
        }
        return saved;
      });
    },
  };
}

export type ValueService = ReturnType<typeof createValueService>;
