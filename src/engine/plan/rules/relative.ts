import type { EngineWarning } from "../../errors.js";
import type { NormaliserSpec } from "../../spec.js";
import { countAvailable, max as maxOf, mean, min as minOf } from "../../stats/moments.js";
import { normaliseColumn } from "../../steps/normalise.js";
import { noData, pct, sentence, val } from "../explain.js";
import type { Rule } from "../schema.js";
import type { LeafScore, RuleContext } from "./context.js";

type RelativeRule = Extract<Rule, { type: "relative" }>;

/** The normalised value that earns full points when the plan does not say. */
function defaultOutOf(n: NormaliserSpec, available: number): number {
  switch (n.method) {
    case "minmax":
      return n.range?.[1] ?? 100;
    case "goalposts":
      return n.scale ?? 1;
    case "scaled":
      return n.scaleFactor ?? 100;
    case "rank":
      return available;
    case "borda":
      return available - 1;
    default:
      return 1;
  }
}

/**
 * Peer-relative scoring: the indicator is normalised across units (any engine normaliser), or
 * indexed against a standard value (国家科技进步监测 指数法, capped at 100) or a base period (= 100),
 * and the share of full marks earns that share of the points.
 */
export function scoreRelative(
  ctx: RuleContext,
  rule: RelativeRule,
): LeafScore & { warnings: EngineWarning[] } {
  const actual = ctx.values.column(ctx.leaf.code, ctx.period);
  const d = ctx.leaf.direction;
  const n = actual.length;
  const normaliser = ctx.normaliser ?? rule.normaliser;
  const normalised = new Float64Array(n);
  const share = new Float64Array(n);
  const warnings: EngineWarning[] = [];
  let outOf = rule.outOf ?? 1;
  let base: Float64Array | undefined;
  if (normaliser.method === "standard") {
    for (let u = 0; u < n; u++) {
      const a = actual[u] as number;
      normalised[u] = Math.min(100, 100 * (d === 1 ? a / normaliser.standard : normaliser.standard / a));
    }
    outOf = rule.outOf ?? 100;
  } else if (normaliser.method === "baseIndex") {
    base = ctx.values.column(ctx.leaf.code, normaliser.basePeriod);
    for (let u = 0; u < n; u++) {
      const a = actual[u] as number;
      const b = base[u] as number;
      normalised[u] = 100 * (d === 1 ? a / b : b / a);
    }
    outOf = rule.outOf ?? 100;
  } else {
    // A plain loop: Float64Array.from with a mapping function calls it through the iterator protocol.
    const x = new Float64Array(n);
    for (let u = 0; u < n; u++) x[u] = (actual[u] as number) * d;
    const error = normaliseColumn(
      x,
      normaliser,
      {
        code: ctx.leaf.code,
        direction: d,
        units: ctx.structure.units,
        target: undefined,
        warn: (zh, en) =>
          warnings.push({
            code: "NORMALISE_UNDEFINED",
            indicator: ctx.leaf.code,
            message: { "zh-CN": zh, en },
          }),
      },
      normalised,
    );
    if (error) warnings.push({ code: error.code, indicator: ctx.leaf.code, message: error.message });
    outOf = rule.outOf ?? defaultOutOf(normaliser, countAvailable(actual));
  }
  const peers = { min: minOf(actual), max: maxOf(actual), mean: mean(actual), n: countAvailable(actual) };
  // Points are full points times a share that does not depend on them: the same leaf at other full
  // points (a weight changed in a what-if) is scored again without normalising again.
  // Once: which units score (a value and a normalised value) and their share of full marks.
  const missing = new Uint8Array(n);
  const scored = new Uint8Array(n);
  for (let u = 0; u < n; u++) {
    const y = normalised[u] as number;
    if (Number.isNaN(actual[u]) || Number.isNaN(y)) {
      missing[u] = Number.isNaN(actual[u]) ? 1 : 0;
      continue;
    }
    scored[u] = 1;
    share[u] = Math.min(1, Math.max(0, y / outOf));
  }
  const at = (max: number): LeafScore & { warnings: EngineWarning[] } => {
    const points = new Float64Array(n);
    for (let u = 0; u < n; u++) if (scored[u] === 1) points[u] = max * (share[u] as number);
    return {
      points,
      missing,
      warnings,
      rescale: at,
      explain(u) {
        const a = actual[u] as number;
        if (Number.isNaN(a)) return noData(max);
        const y = normalised[u] as number;
        const how =
          normaliser.method === "standard"
            ? {
                zh: `实际 ${val(a)}，标准值 ${val(normaliser.standard)}，指数 ${val(y)}（封顶 100）`,
                en: `actual ${val(a)}, standard ${val(normaliser.standard)}, index ${val(y)} (capped at 100)`,
              }
            : normaliser.method === "baseIndex"
              ? {
                  zh: `实际 ${val(a)}，基期（${normaliser.basePeriod}）${val(base?.[u] as number)}，指数 ${val(y)}`,
                  en: `actual ${val(a)}, base period (${normaliser.basePeriod}) ${val(base?.[u] as number)}, index ${val(y)}`,
                }
              : {
                  zh: `实际 ${val(a)}，${peers.n} 个单位中最小 ${val(peers.min)}、最大 ${val(peers.max)}、平均 ${val(peers.mean)}，${normaliser.method} 标准化 ${val(y)}`,
                  en: `actual ${val(a)}; among ${peers.n} units min ${val(peers.min)}, max ${val(peers.max)}, mean ${val(peers.mean)}; ${normaliser.method} ${val(y)}`,
                };
        return {
          inputs: {
            actual: a,
            normalised: y,
            outOf,
            peerMin: peers.min,
            peerMax: peers.max,
            peerMean: peers.mean,
          },
          text: sentence(
            `${how.zh}，得分率 ${pct(share[u] as number)}`,
            `${how.en}, share ${pct(share[u] as number)}`,
            points[u] as number,
            max,
          ),
        };
      },
    };
  };
  return at(ctx.leaf.points);
}
