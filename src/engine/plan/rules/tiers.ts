import { pct, sentence, val } from "../explain.js";
import type { Rule } from "../schema.js";
import { completionRatio } from "./completion.js";
import { fromActuals, type LeafScore, type RuleContext } from "./context.js";

type TiersRule = Extract<Rule, { type: "tiers" }>;

/** 阶梯计分: the first tier reached, best first (>= thresholds, or <= for lower-is-better). */
export function scoreTiers(ctx: RuleContext, rule: TiersRule): LeafScore {
  const actual = ctx.values.column(ctx.leaf.code, ctx.period);
  const max = ctx.leaf.points;
  const d = ctx.leaf.direction;
  const byCompletion = rule.basis === "completion";
  const points = new Float64Array(actual.length);
  const basis = new Float64Array(actual.length);
  const reached = new Int32Array(actual.length).fill(-1);
  for (let u = 0; u < actual.length; u++) {
    const a = actual[u] as number;
    if (Number.isNaN(a)) continue;
    // Completion ratios are higher-is-better whatever the indicator's direction.
    const x = byCompletion ? completionRatio(a, ctx.target[u] as number, d) : a;
    const up = byCompletion || d === 1;
    basis[u] = x;
    const k = rule.tiers.findIndex((t) => (up ? x >= t.threshold : x <= t.threshold));
    reached[u] = k;
    points[u] = k >= 0 ? (rule.tiers[k]!.points as number) : 0;
  }
  return fromActuals(actual, max, points, (a, u) => {
    const x = basis[u] as number;
    const k = reached[u] as number;
    const shown = byCompletion ? `完成率 ${pct(x)}` : `实际 ${val(x)}`;
    const shownEn = byCompletion ? `completion ${pct(x)}` : `actual ${val(x)}`;
    const op = byCompletion || d === 1 ? "≥" : "≤";
    const tier = k >= 0 ? rule.tiers[k]! : undefined;
    const thr = (t: number) => (byCompletion ? pct(t) : val(t));
    return {
      inputs: { actual: a, basis: x, tier: k >= 0 ? k + 1 : null },
      text: sentence(
        tier ? `${shown}，达到第 ${k + 1} 档（${op} ${thr(tier.threshold)}）` : `${shown}，未达到任何档次`,
        tier ? `${shownEn}, tier ${k + 1} (${op} ${thr(tier.threshold)})` : `${shownEn}, no tier reached`,
        points[u] as number,
        max,
      ),
    };
  });
}
