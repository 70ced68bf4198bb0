import { and, eq } from "drizzle-orm";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { claims } from "../../../db/schema/index.js";
import { appError, notFound } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { guardInForce } from "../../plans/superseded.js";

type Props = CommandContext & {
  planVersionId: string;
  /** The claim, found within the version (another plan's claim is not found). */
  claimId: string;
  decision: "approved" | "rejected";
  reason: string;
};

/** Approves or rejects a unit's pending bonus claim, with the reason; a decided claim stays decided (409). */
export async function decideClaim({ db, now, actor, planVersionId, claimId, decision, reason }: Props) {
  await db.transaction(async (tx) => {
    await guardInForce(tx, planVersionId);
    const [c] = await tx
      .select()
      .from(claims)
      .where(and(eq(claims.id, claimId), eq(claims.planVersionId, planVersionId)))
      .for("update");
    if (!c) throw notFound("申报不存在", "claim not found");
    if (c.status !== "pending")
      throw appError(409, "ALREADY_DECIDED", "该申报已处理", "this claim is already decided");
    await tx
      .update(claims)
      .set({ status: decision, decisionReason: reason, decidedBy: actor.id, decidedAt: now() })
      .where(eq(claims.id, claimId));
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: `claim.${decision === "approved" ? "approve" : "reject"}`,
      entity: "claim",
      entityId: claimId,
      before: { status: "pending" },
      after: { status: decision, reason },
    });
  });
}
