import { and, eq } from "drizzle-orm";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { bulletins } from "../../../db/schema/index.js";
import { appError } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { type Bulletin, bulletinNotFound } from "../service.js";

/** Withdraws a published bulletin: gone from the portal at once (its row and hashes kept), with the reason. */
export async function withdrawBulletin(
  props: CommandContext & { id: string; reason: string },
): Promise<Bulletin> {
  const { db, actor } = props;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(bulletins)
      .set({
        status: "withdrawn",
        withdrawnBy: actor.id,
        withdrawnAt: props.now(),
        withdrawReason: props.reason,
      })
      .where(and(eq(bulletins.id, props.id), eq(bulletins.status, "published")))
      .returning();
    if (!row) {
      const [now] = await tx
        .select({ status: bulletins.status })
        .from(bulletins)
        .where(eq(bulletins.id, props.id));
      if (!now) throw bulletinNotFound();
      throw now.status === "draft"
        ? appError(
            409,
            "BULLETIN_NOT_PUBLISHED",
            "该喜报/通报尚未发布，无需撤回",
            "the bulletin is not published; there is nothing to withdraw",
          )
        : appError(409, "BULLETIN_WITHDRAWN", "该喜报/通报已撤回", "the bulletin was already withdrawn");
    }
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "bulletin.withdraw",
      entity: "bulletin",
      entityId: props.id,
      after: { reason: props.reason },
    });
    return row;
  });
}
