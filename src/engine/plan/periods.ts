import type { Plan, Rule } from "./schema.js";

/**
 * The periods a leaf indicator is reported for: the plan period, plus the earlier ones its rule
 * compares with (the previous period for a 进位 rank rule, the base period of a base-year index); a
 * rank rule that names its own periods is reported for those instead of the plan period. The value
 * template, the office's import and the data-entry form all list these.
 *
 * @example reportedPeriods(plan, { type: "rank", improvement: {…}, … }) // ["2022", "2021"]
 */
export function reportedPeriods(plan: Plan, rule: Rule): string[] {
  const periods = [plan.period.key];
  if (rule.type === "rank" && rule.improvement && plan.period.previous) periods.push(plan.period.previous);
  if (rule.type === "rank" && rule.periods) periods.splice(0, 1, ...rule.periods);
  if (rule.type === "relative" && rule.normaliser.method === "baseIndex")
    periods.push(rule.normaliser.basePeriod);
  return periods;
}
