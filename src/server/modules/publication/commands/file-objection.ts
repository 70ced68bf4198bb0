import type { PlanStructure } from "../../../../engine/index.js";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { objections } from "../../../db/schema/index.js";
import { appError, forbidden, notFound } from "../../../errors.js";
import { inScope, type UnitScope } from "../../../policies.js";
import { appendAudit } from "../../audit/service.js";
import { type Cell, lockPublication, refuseClosedNotice } from "../service.js";

type Props = CommandContext & {
  /** The plan's current version's structure: the unit and the cells must be of it. */
  structure: PlanStructure;
  publicationId: string;
  /** The objecting unit, which must be in the actor's scope. */
  unit: string;
  scope: UnitScope;
  reason: string;
  /** The unit's cells the objection concerns (accepting it unlocks them); none for the results as a whole. */
  cells: Cell[];
};

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

/** A unit's objection (异议) to results under notice, filed by the unit's own people while the notice runs. */
export async function fileObjection(props: Props) {
  const { db, now, actor, structure, publicationId, unit, reason, cells } = props;
  if (!structure.unitIndex.has(unit))
    throw notFound(`方案中没有单位 ${unit}`, `no unit ${unit} in this plan`);
  if (!inScope(props.scope, unit))
    throw forbidden("只能为本单位提出异议", "you can only object for your own unit");
  checkCells(structure, cells);
  return db.transaction(async (tx) => {
    // The publication row is locked so that filing and finalising cannot interleave.
    const p = await lockPublication(tx, publicationId);
    refuseClosedNotice(p, now(), [
      "公示期已结束，不能再提出异议",
      "the notice period is over; objections are closed",
    ]);
    const [o] = await tx
      .insert(objections)
      .values({ publicationId, unitCode: unit, reason, cells, filedBy: actor.id, filedAt: now() })
      .returning();
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "objection.file",
      entity: "objection",
      entityId: o!.id,
      after: { publicationId, unit, reason, cells },
    });
    return o!;
  });
}
