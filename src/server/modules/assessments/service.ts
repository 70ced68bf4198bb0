import { and, eq } from "drizzle-orm";
import type { DataRow, Plan, PlanStructure } from "../../../engine/index.js";
import type { Database } from "../../db/client.js";
import { claims, expertMarks } from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { type PageQuery, readPage } from "../../pagination.js";
import { scopeCondition, type UnitScope } from "../../policies.js";
import { appendAudit } from "../audit/service.js";
import { guardInForce } from "../plans/superseded.js";

type Actor = { id: string; username: string };
export type Claim = typeof claims.$inferSelect;
export type ExpertMark = typeof expertMarks.$inferSelect;

/**
 * The assessments that do not come from a unit's own reporting: reviewers' marks (评审打分) for
 * expert-marked indicators, and bonus, penalty and veto items (加分/扣分/一票否决). Runs score the
 * marks and the approved items together with the approved values.
 */
export function createAssessmentService(deps: { db: Database; now: () => Date }) {
  const { db, now } = deps;

  const marks = (planVersionId: string) => {
    return db
      .select()
      .from(expertMarks)
      .where(eq(expertMarks.planVersionId, planVersionId))
      .orderBy(expertMarks.unitCode, expertMarks.indicator, expertMarks.markedAt);
  };

  /** The approved bonus, penalty and veto items: the only ones a run scores. */
  const approvedClaims = (planVersionId: string) =>
    db
      .select()
      .from(claims)
      .where(and(eq(claims.planVersionId, planVersionId), eq(claims.status, "approved")))
      .orderBy(claims.createdAt);

  return {
    /** Sets (or replaces) a reviewer's mark for one unit on an expert-marked indicator. */
    async mark(
      planVersionId: string,
      structure: PlanStructure,
      unit: string,
      input: { indicator: string; period: string; mark: number; note?: string | undefined },
      actor: Actor,
      ip: string,
    ) {
      const node = structure.nodes[structure.byCode.get(input.indicator) ?? -1];
      if (node?.rule?.type !== "expert")
        throw appError(
          400,
          "NOT_EXPERT_MARKED",
          `${input.indicator} 不是评审打分指标`,
          `${input.indicator} is not marked by reviewers`,
          "indicator",
        );
      const max = node.rule.markMax ?? node.points;
      if (!(input.mark >= 0 && input.mark <= max))
        throw appError(
          400,
          "MARK_RANGE",
          `评分须在 0 到 ${max} 之间`,
          `the mark must be between 0 and ${max}`,
          "mark",
        );
      return db.transaction(async (tx) => {
        await guardInForce(tx, planVersionId);
        const [row] = await tx
          .insert(expertMarks)
          .values({
            planVersionId,
            unitCode: unit,
            indicator: input.indicator,
            period: input.period,
            reviewerId: actor.id,
            mark: input.mark,
            note: input.note ?? null,
            markedAt: now(),
          })
          .onConflictDoUpdate({
            target: [
              expertMarks.planVersionId,
              expertMarks.unitCode,
              expertMarks.indicator,
              expertMarks.period,
              expertMarks.reviewerId,
            ],
            set: { mark: input.mark, note: input.note ?? null, markedAt: now() },
          })
          .returning();
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "mark.set",
          entity: "expert_mark",
          entityId: row!.id,
          after: { unit, indicator: input.indicator, period: input.period, mark: input.mark },
        });
        return row!;
      });
    },

    /** One page of the reviewers' marks, filtered by unit, indicator or reviewer. */
    marksPage(
      planVersionId: string,
      query: PageQuery & {
        unit?: string | undefined;
        indicator?: string | undefined;
        reviewer?: string | undefined;
      },
    ) {
      const m = expertMarks;
      return readPage(
        db,
        m,
        query,
        {
          search: [m.unitCode, m.indicator],
          sort: { unit: m.unitCode, indicator: m.indicator, markedAt: m.markedAt },
          unique: m.id,
        },
        [
          eq(m.planVersionId, planVersionId),
          query.unit ? eq(m.unitCode, query.unit) : undefined,
          query.indicator ? eq(m.indicator, query.indicator) : undefined,
          query.reviewer ? eq(m.reviewerId, query.reviewer) : undefined,
        ],
      );
    },

    /**
     * Records a bonus, penalty or veto item for a unit. Units may only claim bonuses (pending until the
     * office decides); items the office records itself are approved at once.
     */
    async claim(
      planVersionId: string,
      plan: Plan,
      unit: string,
      input: {
        item: string;
        level?: string | undefined;
        ref?: string | undefined;
        value?: number | undefined;
        note?: string | undefined;
      },
      actor: Actor & { decides: boolean; penalises: boolean },
      ip: string,
    ) {
      const bonus = plan.bonus?.find((b) => b.code === input.item);
      const other = [...(plan.penalties ?? []), ...(plan.vetoes ?? [])].find((p) => p.code === input.item);
      if (!bonus && !other)
        throw appError(
          400,
          "UNKNOWN_ITEM",
          `${input.item} 不是方案中的加分、扣分或否决项`,
          `${input.item} is not a bonus, penalty or veto item of the plan`,
          "item",
        );
      if (!bonus && !actor.penalises)
        throw appError(
          403,
          "FORBIDDEN",
          "扣分和否决项由考核办记录",
          "penalties and vetoes are recorded by the office",
        );
      if (bonus && (input.level === undefined || !(input.level in bonus.levels))) {
        throw appError(
          400,
          "BAD_LEVEL",
          `级别须为 ${Object.keys(bonus.levels).join("、")} 之一`,
          `the level must be one of ${Object.keys(bonus.levels).join(", ")}`,
          "level",
        );
      }
      const value = input.value ?? 1;
      if (!(Number.isFinite(value) && value >= 0))
        throw appError(400, "BAD_VALUE", "数量须为非负数", "the count must be non-negative", "value");
      return db.transaction(async (tx) => {
        await guardInForce(tx, planVersionId);
        const [row] = await tx
          .insert(claims)
          .values({
            planVersionId,
            unitCode: unit,
            item: input.item,
            level: input.level ?? null,
            ref: input.ref ?? null,
            value,
            note: input.note ?? null,
            status: actor.decides ? "approved" : "pending",
            createdBy: actor.id,
            createdAt: now(),
            ...(actor.decides ? { decidedBy: actor.id, decidedAt: now() } : {}),
          })
          .returning();
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: "claim.create",
          entity: "claim",
          entityId: row!.id,
          after: {
            unit,
            item: input.item,
            level: input.level ?? null,
            ref: input.ref ?? null,
            value,
            status: row!.status,
          },
        });
        return row!;
      });
    },

    /** One page of the bonus, penalty and veto items a scope may see, filtered by unit, item or status. */
    claimsPage(
      planVersionId: string,
      scope: UnitScope,
      query: PageQuery & {
        unit?: string | undefined;
        item?: string | undefined;
        status?: Claim["status"] | undefined;
      },
    ) {
      return readPage(
        db,
        claims,
        query,
        {
          search: [claims.unitCode, claims.item, claims.ref],
          sort: { createdAt: claims.createdAt, unit: claims.unitCode, item: claims.item },
          unique: claims.id,
        },
        [
          eq(claims.planVersionId, planVersionId),
          scopeCondition(claims.unitCode, scope),
          query.unit ? eq(claims.unitCode, query.unit) : undefined,
          query.item ? eq(claims.item, query.item) : undefined,
          query.status ? eq(claims.status, query.status) : undefined,
        ],
      );
    },

    async decide(
      planVersionId: string,
      id: string,
      decision: "approved" | "rejected",
      reason: string,
      actor: Actor,
      ip: string,
    ) {
      await db.transaction(async (tx) => {
        await guardInForce(tx, planVersionId);
        const [c] = await tx
          .select()
          .from(claims)
          .where(and(eq(claims.id, id), eq(claims.planVersionId, planVersionId)))
          .for("update");
        if (!c) throw notFound("申报不存在", "claim not found");
        if (c.status !== "pending")
          throw appError(409, "ALREADY_DECIDED", "该申报已处理", "this claim is already decided");
        await tx
          .update(claims)
          .set({ status: decision, decisionReason: reason, decidedBy: actor.id, decidedAt: now() })
          .where(eq(claims.id, id));
        await appendAudit(tx, {
          actor: actor.username,
          ip,
          action: `claim.${decision === "approved" ? "approve" : "reject"}`,
          entity: "claim",
          entityId: id,
          before: { status: "pending" },
          after: { status: decision, reason },
        });
      });
    },

    /** The marks and approved items as data rows for the engine, next to the approved values. */
    async rows(planVersionId: string, period: string): Promise<DataRow[]> {
      const given = await marks(planVersionId);
      const approved = await approvedClaims(planVersionId);
      return [
        ...given.map((m) => ({
          unit: m.unitCode,
          indicator: m.indicator,
          period: m.period,
          value: m.mark,
          reviewer: m.reviewerId,
        })),
        ...approved.map((c) => ({
          unit: c.unitCode,
          indicator: c.item,
          period,
          value: c.value,
          ...(c.level ? { level: c.level } : {}),
          ...(c.ref ? { ref: c.ref } : {}),
        })),
      ];
    },
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
