import { and, eq } from "drizzle-orm";
import type { DataRow } from "../../../engine/index.js";
import type { Database } from "../../db/client.js";
import { claims, expertMarks } from "../../db/schema/index.js";
import { type PageQuery, readPage } from "../../pagination.js";
import { scopeCondition, type UnitScope } from "../../policies.js";

export type Claim = typeof claims.$inferSelect;
export type ExpertMark = typeof expertMarks.$inferSelect;

/**
 * The assessments that do not come from a unit's own reporting: reviewers' marks (评审打分) for
 * expert-marked indicators, and bonus, penalty and veto items (加分/扣分/一票否决). Runs score the
 * marks and the approved items together with the approved values. This file holds the reads; each
 * write is a command in commands/ (set-mark, record-claim, decide-claim).
 */
export function createAssessmentService(deps: { db: Database }) {
  const { db } = deps;

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
