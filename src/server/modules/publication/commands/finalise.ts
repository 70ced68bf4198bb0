import { eq } from "drizzle-orm";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { publications } from "../../../db/schema/index.js";
import { appError } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { recordFinalPage } from "../../portal/record.js";
import { lockPublication, openObjections } from "../service.js";

type Props = CommandContext & { publicationId: string };

/**
 * Makes results under notice final: only once the notice is over and no objection is open. The portal
 * then shows the final results notice (通报), rendered and recorded here with its hashes, which the
 * sealed finalise audit entry carries (`after.pageHashes`), as the publish entry does the notice's.
 */
export async function finaliseResults({ db, now, actor, publicationId }: Props): Promise<void> {
  await db.transaction(async (tx) => {
    // Locked, so that no objection is filed between the count and the update.
    const p = await lockPublication(tx, publicationId);
    if (p.status !== "notice")
      throw appError(
        409,
        "NOT_IN_NOTICE",
        "只有公示中的结果可以定稿",
        "only results under notice can be finalised",
      );
    if (now() <= p.noticeUntil)
      throw appError(409, "NOTICE_RUNNING", "公示期尚未结束", "the notice period is not over yet");
    const open = await openObjections(tx, publicationId);
    if (open > 0)
      throw appError(
        409,
        "OPEN_OBJECTIONS",
        `还有 ${open} 条异议未处理`,
        `${open} objection(s) are still open`,
      );
    const finalisedAt = now();
    await tx
      .update(publications)
      .set({ status: "final", finalisedAt })
      .where(eq(publications.id, publicationId));
    const pageHashes = await recordFinalPage(tx, { publicationId, finalisedAt });
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "results.finalise",
      entity: "publication",
      entityId: publicationId,
      ...(pageHashes ? { after: { pageHashes } } : {}),
    });
  });
}
