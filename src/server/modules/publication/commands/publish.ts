import { and, desc, eq, inArray } from "drizzle-orm";
import type { Plan, ScoringRun } from "../../../../engine/index.js";
import { auditedBy, type CommandContext } from "../../../actor.js";
import { organisations, plans, planVersions, publications, scoringRuns } from "../../../db/schema/index.js";
import { appError, notFound } from "../../../errors.js";
import { appendAudit } from "../../audit/service.js";
import { recordPortalPage } from "../../portal/record.js";
import { runInputs, storedInputs } from "../../runs/inputs.js";
import { assertRunUnchanged, publicationSeal } from "../integrity.js";
import { publicViewOf } from "../public-view.js";
import { notSuperseded, openObjections } from "../service.js";

type Props = CommandContext & {
  /** The plan's current version, which must be in force (published or frozen). */
  planVersionId: string;
  plan: Plan;
  /** A run of that version. */
  runId: string;
  /** An embargo: the notice is public from then on (default: at once); its notice days count from then. */
  visibleFrom?: Date | undefined;
};

/**
 * Puts a run up for public notice. Only a plan version in force (published or frozen) can be
 * published. The plan's current publication, if any, is superseded (withdrawn, its row and view
 * kept as they are; the new row names it), once its objections are all resolved; the notice
 * restarts, or continues to the superseded one's end when the plan says
 * `publication.republish: "continue"`.
 */
export async function publishResults({ db, now, actor, planVersionId, plan, runId, visibleFrom }: Props) {
  if (visibleFrom && visibleFrom < now())
    throw appError(
      400,
      "EMBARGO_IN_PAST",
      "定时发布的时间已过，请选择将来的时间或立即发布",
      "the time to make the notice public has passed; choose a later time or publish now",
    );
  const [run] = await db
    .select({
      id: scoringRuns.id,
      planVersionId: scoringRuns.planVersionId,
      ...storedInputs,
      result: scoringRuns.result,
    })
    .from(scoringRuns)
    .where(eq(scoringRuns.id, runId));
  if (!run || run.planVersionId !== planVersionId) throw notFound("计分结果不存在", "scoring run not found");
  await assertRunUnchanged(db, runId, { inputs: await runInputs(run), result: run.result });
  const english = await db
    .select({ code: organisations.code, nameEn: organisations.nameEn })
    .from(organisations)
    .where(
      inArray(
        organisations.code,
        plan.units.map((u) => u.code),
      ),
    );
  const englishNames = new Map(english.flatMap((o) => (o.nameEn ? [[o.code, o.nameEn] as const] : [])));
  return db.transaction(async (tx) => {
    // The version cannot leave or enter draft meanwhile; publications of one plan queue on its row.
    const [version] = await tx
      .select({ planId: planVersions.planId, status: planVersions.status })
      .from(planVersions)
      .where(eq(planVersions.id, planVersionId))
      .for("share");
    if (!version) throw notFound("方案不存在", "plan not found");
    if (version.status === "draft")
      throw appError(
        409,
        "PLAN_NOT_IN_FORCE",
        "方案尚未发布（草稿），其结果不能公示",
        "the plan is still a draft; only a plan in force can have its results published",
      );
    await tx.select({ id: plans.id }).from(plans).where(eq(plans.id, version.planId)).for("update");
    const [previous] = await tx
      .select({
        id: publications.id,
        runId: publications.runId,
        status: publications.status,
        noticeUntil: publications.noticeUntil,
      })
      .from(publications)
      .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
      .where(
        and(
          eq(planVersions.planId, version.planId),
          inArray(publications.status, ["notice", "final"]),
          notSuperseded,
        ),
      )
      .orderBy(desc(publications.publishedAt))
      .limit(1)
      .for("update", { of: publications });
    // Under the plan's lock: a double click, or two at once, would chain identical publications.
    if (previous?.runId === runId)
      throw appError(
        409,
        "ALREADY_PUBLISHED",
        "该计分结果已是当前公示的结果",
        "this run's results are already the plan's current publication",
      );
    // A correction appears at once: scheduled, it would withdraw the notice in force before it showed.
    if (previous && visibleFrom)
      throw appError(
        409,
        "EMBARGO_ON_CORRECTION",
        "只有方案的首次公示可以定时发布；更正的公示须立即发布，以免当前公示先被撤回",
        "only a plan's first publication can be scheduled; a correction is published at once, so the notice in force is never withdrawn before it shows",
      );
    if (previous) {
      // Objections are settled before their publication is replaced, so none is left open on it.
      const open = await openObjections(tx, previous.id);
      if (open > 0)
        throw appError(
          409,
          "OPEN_OBJECTIONS",
          `当前公示还有 ${open} 条异议未处理，处理后才能发布新的结果`,
          `${open} objection(s) to the current publication are still open; resolve them before publishing again`,
        );
    }
    const days = plan.publication?.noticeDays ?? 5;
    const from = visibleFrom ?? now();
    const noticeUntil =
      previous && plan.publication?.republish === "continue"
        ? previous.noticeUntil
        : new Date(from.getTime() + days * 86_400_000);
    if (previous)
      await tx.update(publications).set({ status: "withdrawn" }).where(eq(publications.id, previous.id));
    const publicView = publicViewOf(plan, run.result as ScoringRun, englishNames);
    const [p] = await tx
      .insert(publications)
      .values({
        planVersionId,
        runId,
        noticeUntil,
        publishedBy: actor.id,
        publishedAt: now(),
        publicView,
        supersedes: previous?.id ?? null,
      })
      .returning();
    const pageHashes = await recordPortalPage(tx, {
      publicationId: p!.id,
      plan,
      noticeUntil,
      visibleFrom: from,
      units: publicView,
    });
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "results.publish",
      entity: "publication",
      entityId: p!.id,
      after: {
        runId,
        noticeUntil,
        supersedes: previous?.id ?? null,
        ...(previous ? { supersededStatus: previous.status } : {}),
        ...(visibleFrom ? { visibleFrom } : {}),
        pageHashes,
        ...(await publicationSeal(tx, publicView)),
      },
    });
    return p!;
  });
}
