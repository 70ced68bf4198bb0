import { and, eq } from "drizzle-orm";
import { auditedBy, type CommandContext } from "../../../actor.js";
import type { Database } from "../../../db/client.js";
import { planVersions } from "../../../db/schema/index.js";
import { appError } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { refuseSuperseded } from "../superseded.js";

export type Step = "published" | "frozen";

/** The two steps of a version's life after its draft: what each needs, how it is audited, why it is refused. */
const steps = {
  published: {
    from: "draft",
    action: "plan.publish",
    refusal: ["NOT_DRAFT", "只有草稿可以发布", "only a draft can be published"],
  },
  frozen: {
    from: "published",
    action: "plan.freeze",
    refusal: ["NOT_PUBLISHED", "只有已发布的方案可以冻结", "only a published plan can be frozen"],
  },
} as const;

export type MoveProps = CommandContext & {
  planId: string;
  /** The plan's current version as just read (`PlanService.head`). */
  version: { id: string; status: string; version: number };
};

/**
 * Moves the latest version one step (draft → published → frozen), audited; 409 from any other state.
 * `check` runs the step's own rule in the transaction, after the update has waited for writers.
 */
export async function moveVersion(
  { db, now, actor, planId, version: v }: MoveProps,
  to: Step,
  check?: (tx: Database) => Promise<void>,
): Promise<void> {
  const { from, action, refusal } = steps[to];
  if (v.status !== from) throw appError(409, refusal[0], refusal[1], refusal[2]);
  await db.transaction(async (tx) => {
    // Conditional on the state just read, so that of two concurrent calls only one moves it.
    const moved = await tx
      .update(planVersions)
      .set(to === "published" ? { status: to, publishedAt: now() } : { status: to })
      .where(and(eq(planVersions.id, v.id), eq(planVersions.status, from)))
      .returning({ id: planVersions.id });
    if (moved.length === 0) throw appError(409, refusal[0], refusal[1], refusal[2]);
    // The update waited for a revision in progress, if any: the step then belongs to the new version.
    await refuseSuperseded(tx, v.id);
    await check?.(tx);
    await appendAudit(tx, {
      ...auditedBy(actor),
      action,
      entity: "plan",
      entityId: planId,
      before: { status: from },
      after: { status: to, version: v.version },
    });
  });
}
