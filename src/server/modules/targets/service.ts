import { and, eq, inArray } from "drizzle-orm";
import type { Plan, PlanStructure } from "../../../engine/index.js";
import { type Actor, auditedBy } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { targetAdjustments } from "../../db/schema/index.js";
import { appError, eachInput, notFound } from "../../errors.js";
import { type PageQuery, readPage } from "../../pagination.js";
import { inScope, scopeCondition, type UnitScope } from "../../policies.js";
import { appendAudit } from "../audit/service.js";
import { guardInForce } from "../plans/superseded.js";
import type { TargetMatrix } from "./schema.js";

export type TargetAdjustment = typeof targetAdjustments.$inferSelect;

/** A unit's current target for an indicator in the plan document (NaN when it has none). */
function originalTarget(structure: PlanStructure, unit: string, indicator: string): number {
  const { byCode, leaves, targets, unitIndex } = structure;
  const k = leaves.indexOf(byCode.get(indicator) ?? -1);
  const u = unitIndex.get(unit);
  return k < 0 || u === undefined ? Number.NaN : (targets[k]![u] as number);
}

/** The plan as scored: the document with every approved target adjustment applied (the original is untouched). */
export function withAdjustedTargets(plan: Plan, approved: readonly TargetAdjustment[]): Plan {
  if (approved.length === 0) return plan;
  const targets: Record<string, Record<string, number>> = structuredClone(plan.targets ?? {});
  for (const a of approved) targets[a.indicator] = { ...targets[a.indicator], [a.unitCode]: a.requested };
  return { ...plan, targets };
}

/** What a unit asks for: a new target for one indicator, and why. */
export interface TargetRequest {
  indicator: string;
  target: number;
  reason: string;
}

const pendingError = () =>
  appError(
    409,
    "PENDING_ADJUSTMENT",
    "该指标已有待审批的目标调整申请",
    "a target adjustment for this indicator is already pending",
    "indicator",
  );

const isUniqueViolation = (e: unknown) =>
  (e as { code?: string }).code === "23505" || (e as { cause?: { code?: string } }).cause?.code === "23505";

/** Records one adjustment request within a transaction, refusing indicators without a target or with one pending. */
async function requestIn(
  tx: Database,
  { planVersionId, structure, unit, actor }: Omit<RequestProps, "input">,
  input: TargetRequest,
  at: Date,
): Promise<TargetAdjustment> {
  const original = originalTarget(structure, unit, input.indicator);
  if (Number.isNaN(original)) {
    throw appError(
      400,
      "NO_TARGET",
      `指标 ${input.indicator} 没有本单位的目标值，无需调整`,
      `indicator ${input.indicator} has no target for this unit`,
      "indicator",
    );
  }
  const [open] = await tx
    .select({ id: targetAdjustments.id })
    .from(targetAdjustments)
    .where(
      and(
        eq(targetAdjustments.planVersionId, planVersionId),
        eq(targetAdjustments.unitCode, unit),
        eq(targetAdjustments.indicator, input.indicator),
        eq(targetAdjustments.status, "pending"),
      ),
    );
  if (open) throw pendingError();
  let row: TargetAdjustment | undefined;
  try {
    [row] = await tx
      .insert(targetAdjustments)
      .values({
        planVersionId,
        unitCode: unit,
        indicator: input.indicator,
        original,
        requested: input.target,
        reason: input.reason,
        requestedBy: actor.id,
        requestedAt: at,
      })
      .returning();
  } catch (e) {
    // A concurrent request got there first: the partial unique index holds one pending request.
    if (isUniqueViolation(e)) throw pendingError();
    throw e;
  }
  await appendAudit(tx, {
    ...auditedBy(actor),
    action: "target.request",
    entity: "target_adjustment",
    entityId: row!.id,
    after: {
      unit,
      indicator: input.indicator,
      original,
      requested: input.target,
      reason: input.reason,
    },
  });
  return row!;
}

/** Who asks to adjust which unit's targets, in which version of the plan. */
interface RequestProps {
  planVersionId: string;
  structure: PlanStructure;
  unit: string;
  input: TargetRequest;
  actor: Actor;
}

/**
 * The units × indicators matrix: every leaf with a target, and for each unit in scope its baseline,
 * the target as set in the plan, the target now in force (the latest approved adjustment) and the
 * request waiting for a decision. Units out of scope are left out here, where the matrix is built.
 */
export function targetMatrix(
  structure: PlanStructure,
  scope: UnitScope,
  adjustments: readonly TargetAdjustment[],
): TargetMatrix {
  const { plan, nodes, leaves, targets, units } = structure;
  const withTargets = leaves
    .map((i, k) => ({ node: nodes[i]!, row: targets[k]! }))
    .filter(({ row }) => row.some((t) => !Number.isNaN(t)));
  const latest = new Map<string, TargetAdjustment>();
  const pending = new Map<string, TargetAdjustment>();
  // Approved adjustments in the order they were decided: the last one is the target in force.
  const approved = adjustments
    .filter((a) => a.status === "approved")
    .sort((a, b) => (a.decidedAt?.getTime() ?? 0) - (b.decidedAt?.getTime() ?? 0));
  for (const a of approved) latest.set(`${a.unitCode}\u0000${a.indicator}`, a);
  for (const a of adjustments)
    if (a.status === "pending") pending.set(`${a.unitCode}\u0000${a.indicator}`, a);
  const names = new Map(plan.units.map((u) => [u.code, u.name]));
  return {
    indicators: withTargets.map(({ node }) => ({
      code: node.code,
      name: node.name,
      measure: node.spec.unit ?? "",
    })),
    items: units
      .map((unit, u) => ({ unit, u }))
      .filter(({ unit }) => inScope(scope, unit))
      .map(({ unit, u }) => ({
        unit,
        name: names.get(unit) ?? unit,
        cells: withTargets.flatMap(({ node, row }) => {
          const original = row[u]!;
          if (Number.isNaN(original)) return [];
          const key = `${unit}\u0000${node.code}`;
          const open = pending.get(key);
          return [
            {
              indicator: node.code,
              baseline: plan.baselines?.[node.code]?.[unit] ?? null,
              original,
              current: latest.get(key)?.requested ?? original,
              pending: open ? { id: open.id, requested: open.requested } : null,
            },
          ];
        }),
      })),
  };
}

export function createTargetService(deps: { db: Database; now: () => Date }) {
  const { db, now } = deps;
  return {
    /** A unit asks to adjust one of its targets (目标调整); the office decides. */
    request(props: RequestProps): Promise<TargetAdjustment> {
      return db.transaction(async (tx) => {
        await guardInForce(tx, props.planVersionId);
        return requestIn(tx, props, props.input, now());
      });
    },

    /**
     * Several requests at once (an uploaded target template): all of them or, if any is refused, none;
     * the error says which input (`extra.index`).
     */
    requestAll(
      props: Omit<RequestProps, "input"> & { inputs: TargetRequest[] },
    ): Promise<TargetAdjustment[]> {
      return db.transaction(async (tx) => {
        await guardInForce(tx, props.planVersionId);
        return eachInput(props.inputs, (input) => requestIn(tx, props, input, now()));
      });
    },

    /** One page of the adjustments a scope may see, filtered by unit, indicator or status. */
    list(
      planVersionId: string,
      scope: UnitScope,
      query: PageQuery & {
        unit?: string | undefined;
        indicator?: string | undefined;
        status?: TargetAdjustment["status"] | undefined;
      },
    ) {
      const t = targetAdjustments;
      return readPage(
        db,
        t,
        query,
        {
          search: [t.unitCode, t.indicator, t.reason],
          sort: { requestedAt: t.requestedAt, unit: t.unitCode, indicator: t.indicator },
          unique: t.id,
        },
        [
          eq(t.planVersionId, planVersionId),
          scopeCondition(t.unitCode, scope),
          query.unit ? eq(t.unitCode, query.unit) : undefined,
          query.indicator ? eq(t.indicator, query.indicator) : undefined,
          query.status ? eq(t.status, query.status) : undefined,
        ],
      );
    },

    /** The matrix of targets for the units in scope (see `targetMatrix`). */
    async matrix(planVersionId: string, structure: PlanStructure, scope: UnitScope) {
      const t = targetAdjustments;
      const rows = await db
        .select()
        .from(t)
        .where(
          and(
            eq(t.planVersionId, planVersionId),
            inArray(t.status, ["approved", "pending"]),
            scopeCondition(t.unitCode, scope),
          ),
        );
      return targetMatrix(structure, scope, rows);
    },

    approved(planVersionId: string) {
      return db
        .select()
        .from(targetAdjustments)
        .where(
          and(eq(targetAdjustments.planVersionId, planVersionId), eq(targetAdjustments.status, "approved")),
        )
        .orderBy(targetAdjustments.decidedAt);
    },

    /** Approves or rejects a pending adjustment with the reason; a decided one stays decided (409). */
    async decide({
      planVersionId,
      id,
      decision,
      reason,
      actor,
    }: {
      planVersionId: string;
      id: string;
      decision: "approved" | "rejected";
      reason: string;
      actor: Actor;
    }) {
      await db.transaction(async (tx) => {
        await guardInForce(tx, planVersionId);
        const [a] = await tx
          .select()
          .from(targetAdjustments)
          .where(and(eq(targetAdjustments.id, id), eq(targetAdjustments.planVersionId, planVersionId)))
          .for("update");
        if (!a) throw notFound("目标调整申请不存在", "target adjustment not found");
        if (a.status !== "pending")
          throw appError(409, "ALREADY_DECIDED", "该申请已处理", "this request is already decided");
        await tx
          .update(targetAdjustments)
          .set({ status: decision, decisionReason: reason, decidedBy: actor.id, decidedAt: now() })
          .where(eq(targetAdjustments.id, id));
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: `target.${decision === "approved" ? "approve" : "reject"}`,
          entity: "target_adjustment",
          entityId: id,
          before: { status: "pending", target: a.original },
          after: { status: decision, target: decision === "approved" ? a.requested : a.original, reason },
        });
      });
    },
  };
}

export type TargetService = ReturnType<typeof createTargetService>;
