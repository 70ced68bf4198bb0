import { noData, sentence, val } from "../explain.js";
import type { Rule } from "../schema.js";
import type { LeafScore, RuleContext } from "./context.js";

type ExpertRule = Extract<Rule, { type: "expert" }>;

/** Trimmed mean: drop `trim` marks at each end when there are more than 2 x trim of them. */
export function trimmedMean(marks: readonly number[], trim: number): { mean: number; kept: number[] } {
  const sorted = [...marks].sort((a, b) => a - b);
  const kept = sorted.length > 2 * trim ? sorted.slice(trim, sorted.length - trim) : sorted;
  const mean = kept.length ? kept.reduce((s, x) => s + x, 0) / kept.length : Number.NaN;
  return { mean, kept };
}

/** 评审打分: several reviewers' marks, highest and lowest dropped, averaged and scaled to the points. */
export function scoreExpert(ctx: RuleContext, rule: ExpertRule): LeafScore {
  const marks = ctx.values.marks(ctx.leaf.code, ctx.period);
  const max = ctx.leaf.points;
  const markMax = rule.markMax ?? max;
  const trim = rule.trim ?? 1;
  const n = marks.length;
  const points = new Float64Array(n);
  const missing = new Uint8Array(n);
  const means = marks.map((m) => trimmedMean(m, trim));
  for (let u = 0; u < n; u++) {
    const m = means[u]!.mean;
    if (Number.isNaN(m)) missing[u] = 1;
    else points[u] = max * Math.min(1, Math.max(0, m / markMax));
  }
  return {
    points,
    missing,
    explain(u) {
      if (missing[u]) return noData(max);
      const all = marks[u]!;
      const { mean, kept } = means[u]!;
      const dropped = all.length - kept.length;
      return {
        inputs: { reviewers: all.length, mean, markMax },
        text: sentence(
          `${all.length} 位评委打分 ${all.map(val).join("、")}${dropped ? "，去掉最高、最低分后" : "，"}平均 ${val(mean)}（满分 ${val(markMax)}）`,
          `${all.length} reviewers marked ${all.map(val).join(", ")}${dropped ? "; without the highest and lowest," : ";"} mean ${val(mean)} of ${val(markMax)}`,
          points[u] as number,
          max,
        ),
      };
    },
  };
}
