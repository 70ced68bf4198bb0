import { type PlanStructure, valueProblem } from "../../../../engine/index.js";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { expertMarks } from "../../../db/schema/index.js";
import { AppError, appError } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { guardInForce } from "../../plans/superseded.js";

type Props = CommandContext & {
  planVersionId: string;
  structure: PlanStructure;
  unit: string;
  indicator: string;
  period: string;
  mark: number;
  note?: string | undefined;
};

/** Sets (or replaces) the acting reviewer's mark (评审打分) for one unit on an expert-marked indicator. */
export async function setMark(props: Props) {
  const { db, now, actor, planVersionId, structure, unit, indicator, period, mark } = props;
  const note = props.note ?? null;
  const node = structure.nodes[structure.byCode.get(indicator) ?? -1];
  if (node?.rule?.type !== "expert")
    throw appError(
      400,
      "NOT_EXPERT_MARKED",
      `${indicator} 不是评审打分指标`,
      `${indicator} is not marked by reviewers`,
      "indicator",
    );
  // The engine's one value rule: the mark's scale and the plan's precision, refused never capped.
  const u = structure.unitIndex.get(unit);
  const refused = u === undefined ? null : valueProblem(structure, node.index, u, mark);
  if (refused) throw new AppError(400, refused.code, refused.message, "mark");
  return db.transaction(async (tx) => {
    await guardInForce(tx, planVersionId);
    const [row] = await tx
      .insert(expertMarks)
      .values({
        planVersionId,
        unitCode: unit,
        indicator,
        period,
        reviewerId: actor.id,
        mark,
        note,
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
        set: { mark, note, markedAt: now() },
      })
      .returning();
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "mark.set",
      entity: "expert_mark",
      entityId: row!.id,
      after: { unit, indicator, period, mark },
    });
    return row!;
  });
}
