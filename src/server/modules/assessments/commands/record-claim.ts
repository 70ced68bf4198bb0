import { claimableItems, claimProblem, type Plan } from "../../../../engine/index.js";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { claims } from "../../../db/schema/index.js";
import { appError } from "../../../errors.js";
import { allows } from "../../../policies.js";
import { appendAudit } from "../../audit/service.js";
import type { ReportingWindow, WindowVersion } from "../../plans/reporting-window.js";
import { guardInForce } from "../../plans/superseded.js";

type Props = CommandContext & {
  /** The plan's current version, the unit's access to it already checked. */
  version: WindowVersion & { plan: Plan };
  window: ReportingWindow;
  unit: string;
  /** The plan's bonus, penalty or veto item (its code), and for a bonus its level. */
  item: string;
  level?: string | undefined;
  ref?: string | undefined;
  /** How many times the item counts (default 1). */
  value?: number | undefined;
  note?: string | undefined;
};

/**
 * Records a bonus, penalty or veto item (加分/扣分/一票否决) for a unit. Units may only claim bonuses,
 * within their reporting window, pending until the office decides; who decides claims records them
 * approved at once, while the plan is in force; penalties and vetoes only by their policy.
 */
export async function recordClaim(props: Props) {
  const { db, now, actor, version, unit, item } = props;
  const decides = allows(actor.roles, "claims.decide");
  if (decides) props.window.assertInForce(version);
  else await props.window.assertUnitOpen(version, unit);
  const claimable = claimableItems(version.plan);
  const claimed = claimable.get(item);
  if (!claimed)
    throw appError(
      400,
      "UNKNOWN_ITEM",
      `${item} 不是方案中的加分、扣分或否决项`,
      `${item} is not a bonus, penalty or veto item of the plan`,
      "item",
    );
  if (claimed.kind !== "bonus" && !allows(actor.roles, "claims.penalty"))
    throw appError(
      403,
      "FORBIDDEN",
      "扣分和否决项由考核办记录",
      "penalties and vetoes are recorded by the office",
    );
  const value = props.value ?? 1;
  if (!(Number.isFinite(value) && value >= 0))
    throw appError(400, "BAD_VALUE", "数量须为非负数", "the count must be non-negative", "value");
  // The engine's own check of a claim, which every scoring run makes again: a count or rating it
  // would refuse is refused here, not stored to fail every later run of the plan.
  const problem = claimProblem(claimable, item, props.level, value);
  if (problem) throw appError(400, problem.code, problem.zh, problem.en, problem.field);
  const level = props.level ?? null;
  const ref = props.ref ?? null;
  return db.transaction(async (tx) => {
    await guardInForce(tx, version.id);
    const [row] = await tx
      .insert(claims)
      .values({
        planVersionId: version.id,
        unitCode: unit,
        item,
        level,
        ref,
        value,
        note: props.note ?? null,
        status: decides ? "approved" : "pending",
        createdBy: actor.id,
        createdAt: now(),
        ...(decides ? { decidedBy: actor.id, decidedAt: now() } : {}),
      })
      .returning();
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "claim.create",
      entity: "claim",
      entityId: row!.id,
      after: { unit, item, level, ref, value, status: row!.status },
    });
    return row!;
  });
}
