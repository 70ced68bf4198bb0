import { and, desc, eq, inArray } from "drizzle-orm";
import { renderBulletinArticle } from "../../../../portal/pages/bulletin.js";
import { type PageHashes, pageHashes } from "../../../../portal/pages/hashes.js";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { bulletins, portalPages, publications } from "../../../db/schema/index.js";
import { appError } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { type Bulletin, bulletinNotFound, LANGS, refuseNotDraft } from "../service.js";

/**
 * Publishes a draft on the portal, as a notice is: the article rendered once per language, stored with
 * its SM3 and SHA-256, the hashes written into the (sealed) publish audit entry. A bulletin states
 * results, so its run must be the one of a publication in force, and it cannot appear before that
 * publication's page does. Safe twice: the update that publishes takes only a draft (the row is locked
 * first), so a second publish, at once or later, is 409 ALREADY_PUBLISHED and changes nothing.
 */
export async function publishBulletin(
  props: CommandContext & { id: string; visibleFrom?: Date | undefined },
): Promise<Bulletin> {
  const { db, actor, visibleFrom } = props;
  if (visibleFrom && visibleFrom < props.now())
    throw appError(
      400,
      "EMBARGO_IN_PAST",
      "定时发布的时间已过，请选择将来的时间或立即发布",
      "the time to make the bulletin public has passed; choose a later time or publish now",
      "visibleFrom",
    );
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(bulletins).where(eq(bulletins.id, props.id)).for("update");
    if (!row) throw bulletinNotFound();
    if (row.status !== "draft")
      return refuseNotDraft(tx, props.id, { zh: "再次发布", en: "published again" });
    const [results] = await tx
      .select({ visibleFrom: portalPages.visibleFrom })
      .from(publications)
      .innerJoin(portalPages, eq(portalPages.publicationId, publications.id))
      .where(and(eq(publications.runId, row.runId), inArray(publications.status, ["notice", "final"])))
      .orderBy(desc(publications.publishedAt))
      .limit(1);
    if (!results)
      throw appError(
        409,
        "RESULTS_NOT_PUBLISHED",
        "该喜报/通报所依据的计分结果尚未公示（或已被更正），不能发布",
        "the scoring run this bulletin states has not been published (or was corrected); it cannot be published",
      );
    const from = visibleFrom ?? props.now();
    if (from < results.visibleFrom)
      throw appError(
        409,
        "EMBARGO_BEFORE_RESULTS",
        "喜报/通报不能早于其所依据的结果公示之前出现，请将定时发布设在结果公示之后",
        "a bulletin cannot appear before the results it states; schedule it for after the results' notice appears",
        "visibleFrom",
      );
    const articles: Record<string, string> = {};
    const hashes: Record<string, PageHashes> = {};
    for (const l of LANGS) {
      articles[l] = renderBulletinArticle(
        {
          title: row.titles[l] ?? row.titles["zh-CN"]!,
          body: row.bodies[l] ?? "",
          source: row.draft.source[l],
          publishedAt: from,
        },
        l,
      );
      hashes[l] = pageHashes(articles[l]);
    }
    const [published] = await tx
      .update(bulletins)
      .set({
        status: "published",
        articles,
        hashes,
        hashIndex: Object.values(hashes).flatMap((h) => [h.sm3, h.sha256]),
        visibleFrom: from,
        publishedBy: actor.id,
        publishedAt: props.now(),
      })
      .where(and(eq(bulletins.id, props.id), eq(bulletins.status, "draft")))
      .returning();
    if (!published) return refuseNotDraft(tx, props.id, { zh: "再次发布", en: "published again" });
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "bulletin.publish",
      entity: "bulletin",
      entityId: props.id,
      after: {
        runId: row.runId,
        unit: row.unitCode,
        revision: row.revision,
        ...(visibleFrom ? { visibleFrom } : {}),
        pageHashes: hashes,
      },
    });
    return published;
  });
}
