import { rank } from "../../stats/rank.js";
import { noData, pts, sentence, val } from "../explain.js";
import type { Rule } from "../schema.js";
import type { LeafScore, RuleContext } from "./context.js";

type RankRule = Extract<Rule, { type: "rank" }>;

interface PeriodRanks {
  rank: Float64Array;
  /** How many were ranked, per unit (its scope's size, or the external `of`). */
  of: Float64Array;
}

/** Ranks for one period: the value itself for external ranks, else a rank among peers (min ties). */
function ranksIn(ctx: RuleContext, rule: RankRule, period: string): PeriodRanks {
  const values = ctx.values.column(ctx.leaf.code, period);
  const n = values.length;
  const of = new Float64Array(n);
  if (rule.source === "external") {
    const count = values.reduce((c, v) => c + (Number.isNaN(v) ? 0 : 1), 0);
    const byUnit = rule.table?.ofByUnit ?? {};
    for (let u = 0; u < n; u++) of[u] = byUnit[ctx.structure.units[u]!] ?? rule.table?.of ?? count;
    return { rank: values, of };
  }
  const out = new Float64Array(n).fill(Number.NaN);
  const groups = new Map<number, number[]>();
  for (let u = 0; u < n; u++) {
    const g = rule.scope === "category" ? (ctx.structure.categoryOf[u] as number) : 0;
    const list = groups.get(g) ?? [];
    list.push(u);
    groups.set(g, list);
  }
  for (const members of groups.values()) {
    const x = new Float64Array(members.length);
    for (let k = 0; k < members.length; k++) x[k] = values[members[k] as number] as number;
    const r = rank(x, { descending: ctx.leaf.direction === 1 });
    const count = x.reduce((c, v) => c + (Number.isNaN(v) ? 0 : 1), 0);
    members.forEach((u, k) => {
      out[u] = r[k] as number;
      of[u] = count;
    });
  }
  return { rank: out, of };
}

/** Points for a rank: first place full points (or `step.first`) minus a step per place, and/or a table of places. */
export function pointsForRank(r: number, of: number, rule: RankRule, max: number): number {
  let p = 0;
  if (rule.step) {
    const step = rule.step.points ?? ((rule.step.percent ?? 0) / 100) * max;
    p += Math.max(0, (rule.step.first ?? max) - (r - 1) * step);
  }
  if (rule.table) {
    const place = Math.round(r);
    const top = rule.table.top ?? [];
    const bottom = rule.table.bottom ?? [];
    if (place <= top.length) p += top[place - 1] as number;
    else if (place > of - bottom.length) p += bottom[of - place] ?? 0;
  }
  return p;
}

/**
 * 位次计分: points by rank (peers or external), averaged over periods if asked, plus an improvement
 * bonus per place gained since the previous period (进位加分).
 */
export function scoreRank(ctx: RuleContext, rule: RankRule): LeafScore {
  const max = ctx.leaf.points;
  const periods = rule.periods ?? [ctx.period];
  const perPeriod = periods.map((p) => ranksIn(ctx, rule, p));
  const n = ctx.structure.units.length;
  const points = new Float64Array(n);
  const missing = new Uint8Array(n);
  const shownRank = new Float64Array(n).fill(Number.NaN);
  const previousRank =
    rule.improvement && ctx.previous
      ? ranksIn(ctx, rule, ctx.previous).rank
      : new Float64Array(n).fill(Number.NaN);
  const gain = new Float64Array(n);
  /** The points for the rank alone, and the improvement bonus on top (shown apart in the explanation). */
  const rankPoints = new Float64Array(n);
  const bonus = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    const available = perPeriod.filter((p) => !Number.isNaN(p.rank[u]));
    if (available.length === 0) {
      missing[u] = 1;
      continue;
    }
    const meanRank = available.reduce((s, p) => s + (p.rank[u] as number), 0) / available.length;
    shownRank[u] = meanRank;
    let p =
      rule.average === "rank"
        ? pointsForRank(meanRank, available[0]!.of[u] as number, rule, max)
        : available.reduce(
            (s, q) => s + pointsForRank(q.rank[u] as number, q.of[u] as number, rule, max),
            0,
          ) / available.length;
    rankPoints[u] = p;
    if (rule.improvement && !Number.isNaN(previousRank[u])) {
      const gained = Math.max(0, (previousRank[u] as number) - meanRank);
      gain[u] = gained;
      bonus[u] = Math.min(
        rule.improvement.cap ?? Number.POSITIVE_INFINITY,
        rule.improvement.perPlace * gained,
      );
      p += bonus[u] as number;
    }
    points[u] = p;
  }
  return {
    points,
    missing,
    explain(u) {
      if (missing[u]) return noData(max);
      const r = shownRank[u] as number;
      const of = perPeriod[0]!.of[u] as number;
      const averaged = periods.length > 1;
      const where =
        rule.source === "external"
          ? { zh: `第 ${val(r)} 位`, en: `ranked ${val(r)}` }
          : { zh: `在 ${val(of)} 个单位中排第 ${val(r)} 位`, en: `ranked ${val(r)} of ${val(of)}` };
      const avg = averaged
        ? { zh: `${periods.length} 期平均`, en: ` (average of ${periods.length} periods)` }
        : { zh: "", en: "" };
      const prev = previousRank[u] as number;
      // With an improvement bonus, the rank's own points and the bonus are each stated before the sum.
      const improvement = rule.improvement;
      let imp = { zh: "", en: "" };
      if (improvement && !Number.isNaN(prev)) {
        const g = gain[u] as number;
        const b = bonus[u] as number;
        const capped = improvement.cap !== undefined && improvement.perPlace * g > improvement.cap;
        imp =
          b === 0
            ? {
                zh: `；上期第 ${val(prev)} 位，进 ${val(g)} 位`,
                en: `; previously ${val(prev)}, gained ${val(g)}`,
              }
            : {
                zh: `，位次得分 ${pts(rankPoints[u] as number)} 分；上期第 ${val(prev)} 位，进 ${val(g)} 位，进位加 ${pts(b)} 分${capped ? `（每进 1 位加 ${pts(improvement.perPlace)} 分，封顶 ${pts(improvement.cap!)} 分）` : ""}`,
                en: ` (${pts(rankPoints[u] as number)} points for the rank); previously ${val(prev)}, gained ${val(g)}, improvement bonus +${pts(b)}${capped ? ` (${pts(improvement.perPlace)} per place, capped at ${pts(improvement.cap!)})` : ""}`,
              };
      }
      return {
        inputs: { rank: r, of, previousRank: Number.isNaN(prev) ? null : prev },
        text: sentence(
          `${avg.zh}${where.zh}${imp.zh}`,
          `${where.en}${avg.en}${imp.en}`,
          points[u] as number,
          max,
        ),
      };
    },
  };
}
