import { sentence, val } from "../explain.js";
import type { Rule } from "../schema.js";
import { fromActuals, type LeafScore, type RuleContext } from "./context.js";

type MarkRule = Extract<Rule, { type: "mark" }>;

/** A mark out of markMax (default 100), e.g. 民主测评 or 社会评价, scaled to the item's points. */
export function scoreMark(ctx: RuleContext, rule: MarkRule): LeafScore {
  const actual = ctx.values.column(ctx.leaf.code, ctx.period);
  const max = ctx.leaf.points;
  const markMax = rule.markMax ?? 100;
  const points = new Float64Array(actual.length);
  for (let u = 0; u < actual.length; u++) {
    const a = actual[u] as number;
    if (!Number.isNaN(a)) points[u] = max * Math.min(1, Math.max(0, a / markMax));
  }
  return fromActuals(actual, max, points, (a, u) => {
    return {
      inputs: { mark: a, markMax },
      text: sentence(
        `评分 ${val(a)}（满分 ${val(markMax)}）`,
        `mark ${val(a)} of ${val(markMax)}`,
        points[u] as number,
        max,
      ),
    };
  });
}
