import { and, eq, getTableColumns, or } from "drizzle-orm";
import { type Actor, auditedBy, type CommandContext } from "../../../actor.js";
import type { Database } from "../../../db/client.js";
import { objections, planVersions, publications, reportedValues } from "../../../db/schema/index.js";
import { appError, notFound } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { lockUnitValues } from "../../values/service.js";
import { reopenUnit } from "../../workflow/service.js";
import type { Cell, Objection } from "../service.js";

type Props = CommandContext & {
  planId: string;
  publicationId: string;
  objectionId: string;
  /** The plan's current version, whose cells an accepted objection unlocks. */
  planVersionId: string;
  decision: "accepted" | "rejected";
  resolution: string;
  /** Accepting: reporting reopens for the unit until then (default: 7 days from now). */
  until?: Date | undefined;
};

/**
 * Accepts or rejects an objection with the reason. The objection is found within its publication
 * and that publication within the plan (another plan's or publication's objection is not found),
 * and locked. Accepting it unlocks the approved cells it concerns in the plan's current version
 * (`planVersionId`) for the unit to correct, and reopens reporting for the unit until `until`.
 */
export async function resolveObjection(props: Props): Promise<Objection & { unlocked: Cell[] }> {
  const { db, now, actor, decision, resolution } = props;
  return db.transaction(async (tx) => {
    const [o] = await tx
      .select(getTableColumns(objections))
      .from(objections)
      .innerJoin(publications, eq(publications.id, objections.publicationId))
      .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
      .where(
        and(
          eq(objections.id, props.objectionId),
          eq(objections.publicationId, props.publicationId),
          eq(planVersions.planId, props.planId),
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
      ...auditedBy(actor),
      action: `objection.${decision === "accepted" ? "accept" : "reject"}`,
      entity: "objection",
      entityId: o.id,
      before: { status: "open" },
      after: { status: decision, resolution, publicationId: o.publicationId, cells: o.cells },
    });
    const until = props.until ?? new Date(now().getTime() + 7 * 86_400_000);
    const unlocked =
      decision === "accepted"
        ? await unlockCells(tx, {
            objection: resolved!,
            planVersionId: props.planVersionId,
            until,
            actor,
            now,
          })
        : [];
    return { ...resolved!, unlocked };
  });
}

/**
 * Unlocks the approved cells an accepted objection concerns so that the unit can correct them (they
 * become returned, naming the objection), and reopens reporting for the unit until `until`.
 */
async function unlockCells(
  tx: Database,
  props: { objection: Objection; planVersionId: string; until: Date; actor: Actor; now: () => Date },
): Promise<Cell[]> {
  const { objection: o, planVersionId, until, actor } = props;
  if (o.cells.length === 0) return [];
  await lockUnitValues(tx, planVersionId, o.unitCode);
  const unlocked = await tx
    .update(reportedValues)
    .set({
      status: "returned",
      returnReason: `异议已受理，请更正并重新提交（异议 ${o.id}）：${o.resolution ?? ""}`,
      updatedAt: props.now(),
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
    .returning({ id: reportedValues.id, indicator: reportedValues.indicator, period: reportedValues.period });
  for (const v of unlocked)
    await appendAudit(tx, {
      ...auditedBy(actor),
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
  await reopenUnit(tx, { planVersionId, unit: o.unitCode, until, reason, actor, objection: o.id });
  return unlocked.map((v) => ({ indicator: v.indicator, period: v.period }));
}
