import { pct, sentence, val } from "../explain.js";
import type { Rule } from "../schema.js";
import { fromActuals, type LeafScore, type RuleContext } from "./context.js";

type CompletionRule = Extract<Rule, { type: "completion" }>;

/**
 * Completion ratio: actual / target, or target / actual for lower-is-better indicators (a value at
 * or below zero then counts as beating the target).
 */
export function completionRatio(actual: number, target: number, direction: 1 | -1): number {
  if (direction === 1) return target > 0 ? actual / target : actual >= target ? 1 : 0;
  if (actual <= 0) return actual <= target ? Number.POSITIVE_INFINITY : 0;
  return target / actual;
}

/** Points for a completion ratio under a completion rule. */
export function completionPoints(
  ratio: number,
  max: number,
  rule: CompletionRule,
): { base: number; bonus: number } {
  if (ratio < (rule.floor ?? 0)) return { base: 0, bonus: 0 };
  if (ratio < 1) {
    const base =
      rule.below === "deduct"
        ? Math.max(0, max - (rule.deductPerPercent ?? 0) * (1 - ratio) * 100)
        : max * ratio;
    return { base, bonus: 0 };
  }
  const cap = (rule.bonusCap ?? 0) * max;
  const earned =
    rule.bonusPerPercent === undefined ? max * (ratio - 1) : rule.bonusPerPercent * (ratio - 1) * 100;
  return { base: max, bonus: Math.min(cap, earned) };
}

/** 完成率计分: full points at target, pro rata (or deductions) below, an optional capped bonus above. */
export function scoreCompletion(ctx: RuleContext, rule: CompletionRule): LeafScore {
  const actual = ctx.values.column(ctx.leaf.code, ctx.period);
  const max = ctx.leaf.points;
  const points = new Float64Array(actual.length);
  const ratios = new Float64Array(actual.length);
  const bonus = new Float64Array(actual.length);
  for (let u = 0; u < actual.length; u++) {
    const a = actual[u] as number;
    if (Number.isNaN(a)) continue;
    const r = completionRatio(a, ctx.target[u] as number, ctx.leaf.direction);
    const p = completionPoints(r, max, rule);
    ratios[u] = r;
    bonus[u] = p.bonus;
    points[u] = p.base + p.bonus;
  }
  return fromActuals(actual, max, points, (a, u) => {
    const t = ctx.target[u] as number;
    const r = ratios[u] as number;
    const floor = rule.floor !== undefined && r < rule.floor;
    const extraZh = floor
      ? `，低于 ${pct(rule.floor!)} 不得分`
      : bonus[u]! > 0
        ? `，超额加 ${val(bonus[u]!)} 分`
        : "";
    const extraEn = floor
      ? `, below ${pct(rule.floor!)} scores nothing`
      : bonus[u]! > 0
        ? `, bonus ${val(bonus[u]!)}`
        : "";
    // Lower is better: the ratio is target ÷ actual, and the sentence says so.
    const how =
      ctx.leaf.direction === -1
        ? {
            zh: `越低越好，完成率 = 目标 ÷ 实际：目标 ${val(t)}，实际 ${val(a)}`,
            en: `lower is better, completion = target / actual: target ${val(t)}, actual ${val(a)}`,
          }
        : { zh: `实际 ${val(a)}，目标 ${val(t)}`, en: `actual ${val(a)}, target ${val(t)}` };
    return {
      inputs: { actual: a, target: t, completion: r },
      text: sentence(
        `完成率 ${pct(r)}（${how.zh}）${extraZh}`,
        `completion ${pct(r)} (${how.en})${extraEn}`,
        points[u] as number,
        max,
      ),
    };
  });
}
