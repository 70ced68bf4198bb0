import { and, eq, sql } from "drizzle-orm";
import type { Lang } from "../../../../engine/errors.js";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { bulletins } from "../../../db/schema/index.js";
import { AppError, appError } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { sanitiseBody, sanitiseTitle } from "../sanitise.js";
import { type Bulletin, bulletinNotFound, LANGS, refuseNotDraft } from "../service.js";

/**
 * The office's edit of a draft: title and body per language, the body kept to the allow-list. The edit
 * names the revision it started from; a later one saved meanwhile makes it 409 STALE_REVISION.
 */
export async function editBulletin(
  props: CommandContext & {
    id: string;
    revision: number;
    titles?: Partial<Record<Lang, string>> | undefined;
    bodies?: Partial<Record<Lang, string>> | undefined;
  },
): Promise<Bulletin> {
  const { db, actor } = props;
  const [current] = await db.select().from(bulletins).where(eq(bulletins.id, props.id));
  if (!current) throw bulletinNotFound();
  const titles = { ...current.titles };
  const bodies = { ...current.bodies };
  for (const l of LANGS) {
    const t = props.titles?.[l];
    if (t !== undefined) {
      titles[l] = sanitiseTitle(t);
      if (titles[l] === "")
        throw appError(400, "EMPTY_TITLE", "标题不能为空", "the title cannot be empty", `titles.${l}`);
    }
    const b = props.bodies?.[l];
    if (b !== undefined) bodies[l] = sanitiseBody(b);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(bulletins)
      .set({
        titles,
        bodies,
        revision: sql`${bulletins.revision} + 1`,
        updatedBy: actor.id,
        updatedAt: props.now(),
      })
      .where(
        and(
          eq(bulletins.id, props.id),
          eq(bulletins.status, "draft"),
          eq(bulletins.revision, props.revision),
        ),
      )
      .returning();
    if (!row) {
      const [now] = await tx
        .select({ status: bulletins.status, revision: bulletins.revision })
        .from(bulletins)
        .where(eq(bulletins.id, props.id));
      if (now?.status === "draft")
        throw new AppError(
          409,
          "STALE_REVISION",
          {
            "zh-CN": "该喜报/通报已被他人修改，请刷新后再编辑",
            en: "the bulletin was changed meanwhile; reload it, then edit",
          },
          "revision",
          { revision: now.revision },
        );
      return refuseNotDraft(tx, props.id, { zh: "修改", en: "edited" });
    }
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "bulletin.edit",
      entity: "bulletin",
      entityId: props.id,
      after: { revision: row.revision },
    });
    return row;
  });
}
