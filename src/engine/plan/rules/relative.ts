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
  const warnings: EngineWarning[] = [];
  const base =
    normaliser.method === "baseIndex" ? ctx.values.column(ctx.leaf.code, normaliser.basePeriod) : undefined;
  /** Writes the normalised values into `y` (the warnings only where given: the first time). */
  const normaliseInto = (y: Float64Array, warn: EngineWarning[] | null): void => {
    if (normaliser.method === "standard") {
      for (let u = 0; u < n; u++) {
        const a = actual[u] as number;
        y[u] = Math.min(100, 100 * (d === 1 ? a / normaliser.standard : normaliser.standard / a));
      }
      return;
    }
    if (normaliser.method === "baseIndex") {
      for (let u = 0; u < n; u++) {
        const a = actual[u] as number;
        const b = base![u] as number;
        y[u] = 100 * (d === 1 ? a / b : b / a);
      }
      return;
    }
    // Direction-adjusted values (a copy only where the direction is -1: x * 1 is x, bit for bit).
    let x = actual;
    if (d !== 1) {
      x = new Float64Array(n);
      for (let u = 0; u < n; u++) x[u] = (actual[u] as number) * d;
    }
    const error = normaliseColumn(
      x,
      normaliser,
      {
        code: ctx.leaf.code,
        direction: d,
        units: ctx.structure.units,
        target: undefined,
        warn: (zh, en) =>
          warn?.push({
            code: "NORMALISE_UNDEFINED",
            indicator: ctx.leaf.code,
            message: { "zh-CN": zh, en },
          }),
      },
      y,
    );
    if (error) warn?.push({ code: error.code, indicator: ctx.leaf.code, message: error.message });
  };
  // The normalised values are written into the shares' column and made shares there; they are
  // written again only when a unit is first explained (a column fewer per leaf of a large plan).
  const share = new Float64Array(n);
  normaliseInto(share, warnings);
  let normalised: Float64Array | undefined;
  const normalisedOf = (): Float64Array => {
    if (!normalised) {
      normalised = new Float64Array(n);
      normaliseInto(normalised, null);
    }
    return normalised;
  };
  const outOf =
    rule.outOf ??
    (normaliser.method === "standard" || normaliser.method === "baseIndex"
      ? 100
      : defaultOutOf(
          normaliser,
          normaliser.method === "rank" || normaliser.method === "borda" ? countAvailable(actual) : 0,
        ));
  // The peers' figures are only explained: worked out when a unit is first explained.
  let peers: { min: number; max: number; mean: number; n: number } | undefined;
  const peersOf = () =>
    (peers ??= { min: minOf(actual), max: maxOf(actual), mean: mean(actual), n: countAvailable(actual) });
  // Points are full points times a share that does not depend on them: the same leaf at other full
  // points (a weight changed in a what-if) is scored again without normalising again.
  // Once: which units score (a value and a normalised value) and their share of full marks; a unit
  // that does not score keeps a share of 0.
  const missing = new Uint8Array(n);
  let unscored = 0;
  for (let u = 0; u < n; u++) {
    const y = share[u] as number;
    const a = actual[u] as number;
    if (Number.isNaN(a) || Number.isNaN(y)) {
      if (Number.isNaN(a)) missing[u] = 1;
      share[u] = 0;
      unscored++;
      continue;
    }
    share[u] = Math.min(1, Math.max(0, y / outOf));
  }
  const at = (max: number): LeafScore & { warnings: EngineWarning[] } => {
    // Full points of 0 or more: a unit that does not score gets max × 0 = 0, the same as no points,
    // so every unit's points are max × share (what a what-if adds up without writing the column).
    const scaled = max >= 0 && max < Number.POSITIVE_INFINITY;
    let points: Float64Array | undefined;
    const pointsOf = (): Float64Array => {
      if (points) return points;
      points = new Float64Array(n);
      if (scaled) for (let u = 0; u < n; u++) points[u] = max * (share[u] as number);
      else
        for (let u = 0; u < n; u++)
          if (unscored === 0 || !(Number.isNaN(actual[u]) || Number.isNaN(normalisedOf()[u])))
            points[u] = max * (share[u] as number);
      return points;
    };
    return {
      // Written when first read: a what-if re-score that rescales every leaf reads none of them.
      get points() {
        return pointsOf();
      },
      missing,
      warnings,
      rescale: at,
      ...(scaled ? { scaled: { max, share } } : {}),
      explain(u) {
        const a = actual[u] as number;
        if (Number.isNaN(a)) return noData(max);
        const y = normalisedOf()[u] as number;
        const p = peersOf();
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
                  zh: `实际 ${val(a)}，${p.n} 个单位中最小 ${val(p.min)}、最大 ${val(p.max)}、平均 ${val(p.mean)}，${normaliser.method} 标准化 ${val(y)}`,
                  en: `actual ${val(a)}; among ${p.n} units min ${val(p.min)}, max ${val(p.max)}, mean ${val(p.mean)}; ${normaliser.method} ${val(y)}`,
                };
        return {
          inputs: {
            actual: a,
            normalised: y,
            outOf,
            peerMin: p.min,
            peerMax: p.max,
            peerMean: p.mean,
          },
          text: sentence(
            `${how.zh}，得分率 ${pct(share[u] as number)}`,
            `${how.en}, share ${pct(share[u] as number)}`,
            pointsOf()[u] as number,
            max,
          ),
        };
      },
    };
  };
  return at(ctx.leaf.points);
}
