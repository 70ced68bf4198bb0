import { draftBulletin } from "../../../../bulletins/draft.js";
import { BulletinInputError } from "../../../../bulletins/index.js";
import { bulletinBodyHtml } from "../../../../bulletins/render.js";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { bulletins } from "../../../db/schema/index.js";
import { AppError } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { bulletinInputOf } from "../draft-input.js";
import { sanitiseBody, sanitiseTitle } from "../sanitise.js";
import { type Bulletin, LANGS } from "../service.js";

/** A drafted bulletin: the core's draft of a unit in a run, its title and body per language (sanitised). */
export async function draftNewBulletin(
  props: CommandContext & { planId: string; unit: string; runId?: string | undefined },
): Promise<Bulletin> {
  const { db, actor } = props;
  let drafted: Awaited<ReturnType<typeof bulletinInputOf>>;
  let bulletin: ReturnType<typeof draftBulletin>;
  try {
    drafted = await bulletinInputOf(db, { ...props, now: props.now() });
    bulletin = draftBulletin(drafted.input);
  } catch (e) {
    if (!(e instanceof BulletinInputError)) throw e;
    throw new AppError(422, "BULLETIN_INPUT", e.messages);
  }
  const titles = Object.fromEntries(LANGS.map((l) => [l, sanitiseTitle(bulletin.title[l])]));
  const bodies = Object.fromEntries(LANGS.map((l) => [l, sanitiseBody(bulletinBodyHtml(bulletin, l))]));
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(bulletins)
      .values({
        planId: props.planId,
        runId: drafted.runId,
        unitCode: props.unit,
        titles,
        bodies,
        draft: bulletin,
        createdBy: actor.id,
        updatedBy: actor.id,
        createdAt: props.now(),
        updatedAt: props.now(),
      })
      .returning();
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "bulletin.draft",
      entity: "bulletin",
      entityId: row!.id,
      after: { planId: props.planId, runId: drafted.runId, unit: props.unit },
    });
    return row!;
  });
}
