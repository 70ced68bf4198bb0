import { engineError, fail, type Lang, ok, type Result } from "../errors.js";
import type { NoCommendation } from "./commendation.js";
import type { Plan } from "./schema.js";
import type { ScoringRun } from "./score.js";
import { buildPlanStructure } from "./structure.js";
import type { LeadBreach } from "./ties.js";

/** What carrying reads of an earlier run: its identity and its lead departments' breaches. */
export type CarriedRun = Pick<ScoringRun, "planId" | "planVersion" | "period"> & {
  inputHash: Pick<ScoringRun["inputHash"], "run">;
  breaches?: readonly Pick<LeadBreach, "code" | "lead" | "indicator">[] | undefined;
};

export interface CarryResult {
  /** The next plan with the carried entries added to its `noCommendation`. */
  plan: Plan;
  /** The entries added (an entry already in the plan, from the same run and breach, is not added twice). */
  carried: NoCommendation[];
  /** Breaches not carried, and why: their department is not a unit of the next plan. */
  notCarried: { lead: string; indicator: string; message: Record<Lang, string> }[];
}

const sameSource = (a: NoCommendation, b: NoCommendation) =>
  a.unit === b.unit &&
  a.source?.run === b.source?.run &&
  a.source?.breach === b.source?.breach &&
  a.source?.indicator === b.source?.indicator;

/**
 * 结转: the consequence of a lead department's breach (拉开档次) carried into the next period's plan. Each
 * department that breached in `run` and is a unit of `next` loses that period's commendations: an
 * entry in `next.noCommendation` with the reason and its source (the earlier plan, period, run and
 * breach). Refused when the run has no breach, is not of the period before the next plan's, or no
 * breaching department is a unit of it; the plan written is checked like any plan.
 */
export function carryBreaches(run: CarriedRun, next: Plan): Result<CarryResult> {
  const breaches = run.breaches ?? [];
  if (breaches.length === 0)
    return fail(
      engineError(
        "NO_BREACHES",
        `结果（方案 ${run.planId}，考核期 ${run.period}）中没有牵头部门的违规记录（breaches），没有可结转的`,
        `the run (plan ${run.planId}, period ${run.period}) records no lead department's breach (breaches): nothing to carry`,
      ),
    );
  const previous = next.period.previous;
  if (run.period === next.period.key || (previous !== undefined && previous !== run.period))
    return fail(
      engineError(
        "CARRY_PERIOD",
        `结果的考核期 ${run.period} 不是方案 ${next.id} 的上一期（本期 ${next.period.key}${previous === undefined ? "" : `，上一期 ${previous}`}）`,
        `the run's period ${run.period} is not the one before plan ${next.id}'s (${next.period.key}${previous === undefined ? "" : `, previous ${previous}`})`,
      ),
    );
  const units = new Set(next.units.map((u) => u.code));
  const existing = next.noCommendation ?? [];
  const carried: NoCommendation[] = [];
  const notCarried: CarryResult["notCarried"] = [];
  const version = run.planVersion === null ? "" : ` 第 ${run.planVersion} 版`;
  const versionEn = run.planVersion === null ? "" : ` version ${run.planVersion}`;
  for (const b of breaches) {
    if (!units.has(b.lead)) {
      notCarried.push({
        lead: b.lead,
        indicator: b.indicator,
        message: {
          "zh-CN": `牵头部门 ${b.lead}（指标 ${b.indicator}）不是方案 ${next.id} 的考核单位，未结转`,
          en: `lead department ${b.lead} (indicator ${b.indicator}) is not a unit of plan ${next.id}: not carried`,
        },
      });
      continue;
    }
    const entry: NoCommendation = {
      unit: b.lead,
      reason: `考核期 ${run.period}（方案 ${run.planId}${version}）作为牵头部门对指标 ${b.indicator} 评分未拉开档次`,
      reasonEn: `as lead department, gave tied scores on indicator ${b.indicator} in period ${run.period} (plan ${run.planId}${versionEn})`,
      source: {
        plan: run.planId,
        ...(run.planVersion === null ? {} : { planVersion: run.planVersion }),
        period: run.period,
        run: run.inputHash.run,
        breach: b.code,
        indicator: b.indicator,
      },
    };
    if (![...existing, ...carried].some((e) => sameSource(e, entry))) carried.push(entry);
  }
  if (carried.length === 0 && notCarried.length > 0)
    return fail(
      engineError(
        "NOTHING_TO_CARRY",
        `违规的牵头部门 ${notCarried.map((n) => n.lead).join("、")} 都不是方案 ${next.id} 的考核单位，没有可结转的`,
        `no breaching lead department (${notCarried.map((n) => n.lead).join(", ")}) is a unit of plan ${next.id}: nothing to carry`,
        {
          hint: {
            "zh-CN": "结转到考核这些部门的方案（如市直部门考核方案）",
            en: "carry into the plan that assesses these departments (e.g. the city departments' plan)",
          },
        },
      ),
    );
  const plan: Plan = { ...next, noCommendation: [...existing, ...carried] };
  const checked = buildPlanStructure(plan);
  if (!checked.ok) return checked;
  return ok({ plan, carried, notCarried });
}
