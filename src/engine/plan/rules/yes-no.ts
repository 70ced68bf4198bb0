import { sentence, val } from "../explain.js";
import type { Rule } from "../schema.js";
import { fromActuals, type LeafScore, type RuleContext } from "./context.js";

type YesNoRule = Extract<Rule, { type: "yesno" }>;

/** 达到得分，否则不得分: all the points when the threshold (or target, or "yes" = 1) is reached. */
export function scoreYesNo(ctx: RuleContext, rule: YesNoRule): LeafScore {
  const actual = ctx.values.column(ctx.leaf.code, ctx.period);
  const max = ctx.leaf.points;
  const d = ctx.leaf.direction;
  const thresholdOf = (u: number) =>
    rule.threshold ?? (Number.isNaN(ctx.target[u]) ? 1 : (ctx.target[u] as number));
  const points = new Float64Array(actual.length);
  for (let u = 0; u < actual.length; u++) {
    const a = actual[u] as number;
    if (Number.isNaN(a)) continue;
    const t = thresholdOf(u);
    points[u] = (d === 1 ? a >= t : a <= t) ? max : 0;
  }
  return fromActuals(actual, max, points, (a, u) => {
    const t = thresholdOf(u);
    const yes = points[u]! > 0;
    const plainYesNo = rule.threshold === undefined && Number.isNaN(ctx.target[u]);
    const zh = plainYesNo
      ? yes
        ? "已达到"
        : "未达到"
      : `实际 ${val(a)}，${yes ? "达到" : "未达到"} ${d === 1 ? "≥" : "≤"} ${val(t)}`;
    const en = plainYesNo
      ? yes
        ? "achieved"
        : "not achieved"
      : `actual ${val(a)}, ${yes ? "reaches" : "misses"} ${d === 1 ? ">=" : "<="} ${val(t)}`;
    return { inputs: { actual: a, threshold: t }, text: sentence(zh, en, points[u] as number, max) };
  });
}
