import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { planVersions, reopenings, reportedValues } from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { appendAudit } from "../audit/service.js";
import { guardVersion, refuseSuperseded } from "../plans/superseded.js";
import { lockUnitValues } from "../values/service.js";

type Actor = { id: string; username: string };

/**
 * The reporting workflow: deadlines and reopening, submission by the unit leader, and review by the
 * office or a lead department (approve locks a value; return sends it back with a reason).
 */
export function createWorkflowService(deps: { db: Database; now: () => Date }) {
  const { db, now } = deps;

  return {
    /** Whether a unit may still report: before the deadline, or reopened for it until later. */
    async reportingOpen(version: { id: string; deadline: Date | null }, unit: string): Promise<boolean> {
      if (!version.deadline || now() <= version.deadline) return true;
      const [r] = await db
        .select()
        .from(reopenings)
        .where(and(eq(reopenings.planVersionId, version.id), eq(reopenings.unitCode, unit)));
      return Boolean(r && now() <= r.until);
    },

    async setDeadline(planVersionId: string, deadline: Date, actor: Actor, ip: string): Promise<void> {
      await db.transaction(async (tx) => {
        const [before] = await tx
          .select({ deadline: planVersions.deadline })
          .from(planVersions)
          .where(eq(planVersions.id, planVersionId));
        await tx.update(planVersions).set({ deadline }).where(eq(planVersions.id, planVersionId));
        // The update waited for a revision in progress, if any: then the deadline belongs to the new version.
        await refuseSuperseded(tx, planVersionId);
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "plan.deadline",
          entity: "plan_version",
          entityId: planVersionId,
          before: { deadline: before?.deadline ?? null },
          after: { deadline },
        });
      });
    },

    async reopen(
      planVersionId: string,
      unit: string,
      until: Date,
      reason: string,
      actor: Actor,
      ip: string,
    ): Promise<void> {
      await db.transaction(async (tx) => {
        await guardVersion(tx, planVersionId);
        await tx
          .insert(reopenings)
          .values({ planVersionId, unitCode: unit, until, reason })
          .onConflictDoUpdate({
            target: [reopenings.planVersionId, reopenings.unitCode],
            set: { until, reason },
          });
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "unit.reopen",
          entity: "plan_version",
          entityId: planVersionId,
          after: { unit, until, reason },
        });
      });
    },

    /** The unit leader submits every draft or returned value of the unit for review. */
    async submit(planVersionId: string, unit: string, actor: Actor, ip: string): Promise<number> {
      return db.transaction(async (tx) => {
        await lockUnitValues(tx, planVersionId, unit);
        const rows = await tx
          .update(reportedValues)
          .set({ status: "submitted", updatedAt: now() })
          .where(
            and(
              eq(reportedValues.planVersionId, planVersionId),
              eq(reportedValues.unitCode, unit),
              inArray(reportedValues.status, ["draft", "returned"]),
            ),
          )
          .returning({ id: reportedValues.id, indicator: reportedValues.indicator });
        if (rows.length === 0)
          throw appError(409, "NOTHING_TO_SUBMIT", "没有待提交的数据", "there are no draft values to submit");
        await appendAudit(tx, {
          actor: actor.username,
          ip,
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
    async review(
      planVersionId: string,
      unit: string,
      cell: { indicator: string; period: string },
      decision: "approve" | "return",
      reason: string | undefined,
      actor: Actor & { office: boolean },
      ip: string,
    ): Promise<void> {
      if (decision === "return" && !reason?.trim())
        throw appError(400, "REASON_REQUIRED", "退回必须写明理由", "a return needs a reason", "reason");
      await db.transaction(async (tx) => {
        await lockUnitValues(tx, planVersionId, unit);
        const where = and(
          eq(reportedValues.planVersionId, planVersionId),
          eq(reportedValues.unitCode, unit),
          eq(reportedValues.indicator, cell.indicator),
          eq(reportedValues.period, cell.period),
        );
        const [before] = await tx.select().from(reportedValues).where(where).for("update");
        if (!before) throw notFound("没有这项数据", "no such value");
        const correcting = before.status === "approved" && decision === "return" && actor.office;
        if (before.status !== "submitted" && !correcting) {
          throw appError(
            409,
            "NOT_SUBMITTED",
            "只能审核已提交的数据",
            "only submitted values can be reviewed",
          );
        }
        await tx
          .update(reportedValues)
          .set({
            status: decision === "approve" ? "approved" : "returned",
            returnReason: decision === "return" ? reason!.trim() : null,
            updatedAt: now(),
          })
          .where(and(where, eq(reportedValues.status, before.status)));
        await appendAudit(tx, {
          actor: actor.username,
          ip,
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
  };
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;
