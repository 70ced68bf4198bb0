import { and, eq, inArray, lt, ne } from "drizzle-orm";
import { bulletinInputFromRun } from "../../../bulletins/from-run.js";
import type { BulletinInput } from "../../../bulletins/types.js";
import type { DataRow, ScoringRun } from "../../../engine/index.js";
import { day } from "../../../portal/pages/text.js";
import type { Database } from "../../db/client.js";
import {
  organisations,
  planVersions,
  publications,
  reportedValues,
  scoringRuns,
} from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { notSuperseded, runInForce } from "../publication/service.js";
import { runInputs, runPlan, storedInputs } from "../runs/inputs.js";

/**
 * The run a bulletin is drafted from when none is named: the plan's run in force (its publication's, final
 * or under notice, else its latest run). 409 when the plan has no run.
 */
async function defaultRun(db: Database, planId: string): Promise<string> {
  const run = await runInForce(db, planId);
  if (!run)
    throw appError(
      409,
      "NO_RUN",
      "该方案还没有计分结果，无法起草喜报/通报",
      "the plan has no scoring run yet to draft a bulletin from",
    );
  return run.runId;
}

/**
 * The unit's results in the same period's other plans, from each one's publication in force (final or
 * under notice, the latest): "…目标责任制考核优秀单位及人才工作目标责任制考核优胜单位". In the plans' order of
 * publication; a plan without the unit, or without a publication, adds nothing.
 */
async function otherResults(db: Database, props: { planId: string; unit: string; period: string }) {
  const published = await db
    .select({
      planId: planVersions.planId,
      ...storedInputs,
      result: scoringRuns.result,
      publishedAt: publications.publishedAt,
    })
    .from(publications)
    .innerJoin(planVersions, eq(planVersions.id, publications.planVersionId))
    .innerJoin(scoringRuns, eq(scoringRuns.id, publications.runId))
    .where(
      and(
        ne(planVersions.planId, props.planId),
        // The same year's plans only: each other run's frozen inputs are unpacked below.
        eq(planVersions.periodKey, props.period),
        inArray(publications.status, ["notice", "final"]),
        notSuperseded,
      ),
    )
    .orderBy(publications.publishedAt);
  const latest = new Map<string, (typeof published)[number]>();
  for (const p of published) latest.set(p.planId, p);
  const others: { plan: Awaited<ReturnType<typeof runPlan>>; result: ScoringRun["units"][number] }[] = [];
  for (const p of latest.values()) {
    const result = (p.result as ScoringRun).units.find((u) => u.unit === props.unit);
    // Only the plan of each: its rows are not unzipped.
    if (result) others.push({ plan: await runPlan(p), result });
  }
  return others;
}

/**
 * A unit's bulletin input read from the database (the service's drafts and `kaohe bulletin --plan`):
 * the run's frozen plan and rows and the unit's result, the unit's English name, and the unit's approved
 * values of earlier periods in the plan's other versions and other plans (the history behind "由第五位
 * 提升至第四位" and "N年来首次", matched by indicator code). The rules of what is said stay in
 * src/bulletins (bulletinInputFromRun, draftBulletin).
 */
export async function bulletinInputOf(
  db: Database,
  props: { planId: string; unit: string; runId?: string | undefined; now: Date },
): Promise<{ runId: string; input: BulletinInput }> {
  const runId = props.runId ?? (await defaultRun(db, props.planId));
  const [run] = await db
    .select({
      planId: planVersions.planId,
      versionId: scoringRuns.planVersionId,
      ...storedInputs,
      result: scoringRuns.result,
    })
    .from(scoringRuns)
    .innerJoin(planVersions, eq(planVersions.id, scoringRuns.planVersionId))
    .where(eq(scoringRuns.id, runId));
  if (!run || run.planId !== props.planId) throw notFound("计分结果不存在", "scoring run not found");
  const inputs = await runInputs(run);
  const result = (run.result as ScoringRun).units.find((u) => u.unit === props.unit);
  if (!result)
    throw appError(
      400,
      "UNIT_NOT_IN_RUN",
      `单位 ${props.unit} 不在该计分结果中`,
      `unit ${props.unit} is not in this scoring run`,
      "unit",
    );
  const [org] = await db
    .select({ nameEn: organisations.nameEn })
    .from(organisations)
    .where(eq(organisations.code, props.unit));
  const earlier = await db
    .select({
      unit: reportedValues.unitCode,
      indicator: reportedValues.indicator,
      period: reportedValues.period,
      value: reportedValues.value,
    })
    .from(reportedValues)
    .where(
      and(
        eq(reportedValues.unitCode, props.unit),
        eq(reportedValues.status, "approved"),
        ne(reportedValues.planVersionId, run.versionId),
        lt(reportedValues.period, inputs.plan.period.key),
      ),
    );
  const input = bulletinInputFromRun({
    plan: inputs.plan,
    rows: inputs.rows,
    result,
    unitNameEn: org?.nameEn ?? undefined,
    earlier: earlier as DataRow[],
    others: await otherResults(db, {
      planId: props.planId,
      unit: props.unit,
      period: inputs.plan.period.key,
    }),
    date: day(props.now),
  });
  return { runId, input };
}
