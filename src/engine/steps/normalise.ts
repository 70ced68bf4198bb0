import type { Dataset } from "../dataset.js";
import { type EngineError, type EngineWarning, engineError, fail, ok, type Result } from "../errors.js";
import type { Framework } from "../framework.js";
import type { NormaliserSpec } from "../spec.js";
import { countAvailable, max, mean, min, sd } from "../stats/moments.js";
import { rank } from "../stats/rank.js";
import { withRoom } from "./room.js";

/** A normaliser and its parameters (COINr's n_* functions); the schema in spec.ts is the one definition. */
export type Normaliser = NormaliserSpec;

export type NormaliseMethod = Normaliser["method"];

export interface NormaliseOptions {
  /** The normaliser for every indicator ... */
  normaliser: Normaliser;
  /** ... unless overridden here, by indicator code. */
  indicators?: Readonly<Record<string, Normaliser>>;
  /**
   * Columns of room to leave after the normalised ones for the aggregation that follows (room.ts):
   * it then appends its aggregates there rather than copying these columns. The values are the same.
   */
  room?: number;
}

interface ColumnContext {
  code: string;
  direction: 1 | -1;
  units: readonly string[];
  /** The indicator's target from the framework (for dist2targ). */
  target: number | undefined;
  warn: (zh: string, en: string) => void;
}

/**
 * Brings every indicator onto a common scale. Values are first multiplied by the indicator's
 * direction, so that higher is always better afterwards (COINr's convention).
 */
export function normalise(
  data: Dataset,
  framework: Framework,
  options: NormaliseOptions,
): Result<{ data: Dataset; warnings: EngineWarning[] }> {
  const n = data.units.length;
  // Missingness is unchanged: a copy of the flags (without zeroing them first where no room is left).
  const room = options.room ? withRoom(data.values.length, options.room * n) : null;
  if (room) room.na.set(data.na);
  const out: Dataset = {
    units: data.units,
    columns: data.columns,
    values: room?.values ?? new Float64Array(data.values.length),
    na: room?.na ?? data.na.slice(),
  };
  const warnings: EngineWarning[] = [];
  let x: Float64Array | undefined; // direction-adjusted copy, for the methods other than min-max
  for (let j = 0; j < data.columns.length; j++) {
    const code = data.columns[j] as string;
    const node = framework.byCode.get(code);
    const direction = node?.direction ?? 1;
    const src = data.values.subarray(j * n, (j + 1) * n);
    const normaliser = options.indicators?.[code] ?? options.normaliser;
    if (normaliser.method === "minmax") {
      // The common case, fused: no direction-adjusted copy, min and max in one pass.
      const [l, u] = normaliser.range ?? [0, 100];
      const [lo, hi] = minMaxTimes(src, direction);
      if (lo === hi) warnings.push(singleValue(code, lo, "minmax"));
      const y = out.values.subarray(j * n, (j + 1) * n);
      const width = hi - lo;
      const span = u - l;
      for (let i = 0; i < n; i++) y[i] = (((src[i] as number) * direction - lo) / width) * span + l;
      continue;
    }
    x ??= new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = (src[i] as number) * direction;
    const ctx: ColumnContext = {
      code,
      direction,
      units: data.units,
      target: node?.target,
      warn: (zh, en) =>
        warnings.push({ code: "NORMALISE_UNDEFINED", indicator: code, message: { "zh-CN": zh, en } }),
    };
    const result = normaliseColumn(x, normaliser, ctx, out.values.subarray(j * n, (j + 1) * n));
    if (result) return fail(result);
  }
  return ok({ data: out, warnings });
}

/**
 * Minimum and maximum of x * direction over the available values, in one pass, with the same
 * comparisons as `min` and `max` (the first of equal values wins, so -0 and 0 come out as they would).
 */
function minMaxTimes(x: Float64Array, direction: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let seen = false;
  for (let i = 0; i < x.length; i++) {
    const v = (x[i] as number) * direction;
    if (!Number.isNaN(v)) {
      seen = true;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return seen ? [lo, hi] : [Number.NaN, Number.NaN];
}

/** The warning for a column whose available values are all the same: the method gives NaN. */
function singleValue(code: string, value: number, method: string): EngineWarning {
  return {
    code: "NORMALISE_UNDEFINED",
    indicator: code,
    message: {
      "zh-CN": `指标 ${code} 的所有值都相同（${value}），无法用 ${method} 标准化，结果为 NaN`,
      en: `indicator ${code} has a single value (${value}); ${method} gives NaN`,
    },
  };
}

/** Normalises one direction-adjusted column into `y`; returns an error or null. */
export function normaliseColumn(
  x: Float64Array,
  normaliser: Normaliser,
  ctx: ColumnContext,
  y: Float64Array,
): EngineError | null {
  const zeroRange = (lo: number, hi: number) => {
    if (lo === hi && countAvailable(x) > 0) {
      const { message } = singleValue(ctx.code, lo, normaliser.method);
      ctx.warn(message["zh-CN"], message.en);
    }
  };
  switch (normaliser.method) {
    case "minmax": {
      const [l, u] = normaliser.range ?? [0, 100];
      const [lo, hi] = minMaxTimes(x, 1);
      zeroRange(lo, hi);
      for (let i = 0; i < x.length; i++) y[i] = (((x[i] as number) - lo) / (hi - lo)) * (u - l) + l;
      return null;
    }
    case "zscore": {
      const [m, s] = normaliser.meanSd ?? [0, 1];
      const mu = mean(x);
      const sigma = sd(x);
      if (sigma === 0) zeroRange(mu, mu);
      for (let i = 0; i < x.length; i++) y[i] = (((x[i] as number) - mu) / sigma) * s + m;
      return null;
    }
    case "scaled": {
      const [lo, hi] = normaliser.range ?? [0, 100];
      const f = normaliser.scaleFactor ?? 100;
      // The bounds are in the indicator's own units; for a negative indicator they flip with x.
      const [a, b] = ctx.direction === -1 ? [-hi, -lo] : [lo, hi];
      for (let i = 0; i < x.length; i++) y[i] = (((x[i] as number) - a) / (b - a)) * f;
      return null;
    }
    case "rank":
    case "borda":
    case "prank": {
      rank(x, { ties: normaliser.ties ?? "min" }, y);
      const shift = normaliser.method === "rank" ? 0 : 1;
      const denom = normaliser.method === "prank" ? countAvailable(x) - 1 : 1;
      for (let i = 0; i < x.length; i++) y[i] = ((y[i] as number) - shift) / denom;
      return null;
    }
    case "dist2max": {
      const lo = min(x);
      const hi = max(x);
      zeroRange(lo, hi);
      for (let i = 0; i < x.length; i++) y[i] = 1 - (hi - (x[i] as number)) / (hi - lo);
      return null;
    }
    case "dist2ref": {
      const iref = ctx.units.indexOf(normaliser.reference);
      if (iref < 0) {
        return engineError(
          "UNKNOWN_REFERENCE_UNIT",
          `参照单位 ${normaliser.reference} 不在数据中（指标 ${ctx.code}）`,
          `reference unit ${normaliser.reference} is not in the data (indicator ${ctx.code})`,
          { indicator: ctx.code, unit: normaliser.reference },
        );
      }
      const ref = x[iref] as number;
      const lo = min(x);
      if (Number.isNaN(ref)) {
        ctx.warn(
          `参照单位 ${normaliser.reference} 的指标 ${ctx.code} 缺失，结果全部缺失`,
          `reference unit ${normaliser.reference} has no value for ${ctx.code}; all results missing`,
        );
      } else zeroRange(lo, ref);
      for (let i = 0; i < x.length; i++) {
        const v = 1 - (ref - (x[i] as number)) / (ref - lo);
        y[i] = normaliser.cap && v > 1 ? 1 : v;
      }
      return null;
    }
    case "dist2targ": {
      const rawTarget = normaliser.target ?? ctx.target;
      if (rawTarget === undefined || Number.isNaN(rawTarget)) {
        return engineError(
          "MISSING_TARGET",
          `指标 ${ctx.code} 没有目标值，无法用 dist2targ 标准化`,
          `indicator ${ctx.code} has no target for dist2targ`,
          {
            indicator: ctx.code,
            hint: { "zh-CN": "请在 iMeta 的 Target 列填写目标值。", en: "Fill in its Target in iMeta." },
          },
        );
      }
      const target = rawTarget * ctx.direction;
      const lo = min(x);
      if (target < lo) {
        ctx.warn(
          `指标 ${ctx.code} 的目标值低于最小值，得分将为负`,
          `target of ${ctx.code} is below its minimum; scores will be negative`,
        );
      }
      for (let i = 0; i < x.length; i++) {
        const v = ((x[i] as number) - lo) / (target - lo);
        y[i] = normaliser.cap && v > 1 ? 1 : v;
      }
      return null;
    }
    case "fracmax": {
      const hi = max(x);
      if (hi === 0) {
        ctx.warn(
          `指标 ${ctx.code} 的最大值为 0，fracmax 得到 NaN 或无穷大`,
          `indicator ${ctx.code} has maximum 0; fracmax gives NaN or infinity`,
        );
      }
      for (let i = 0; i < x.length; i++) y[i] = (x[i] as number) / hi;
      return null;
    }
    case "goalposts": {
      const { lo, hi } = normaliser;
      const scale = normaliser.scale ?? 1;
      const trunc = normaliser.trunc ?? true;
      // Goalposts are in the indicator's own units; x is already multiplied by the direction.
      const [a, b] = ctx.direction === -1 ? [-hi, -lo] : [lo, hi];
      for (let i = 0; i < x.length; i++) {
        let v = ((x[i] as number) - a) / (b - a);
        if (trunc) v = Math.min(1, Math.max(0, v)); // NaN (missing) stays NaN
        y[i] = v * scale;
      }
      return null;
    }
    case "none":
      y.set(x);
      return null;
  }
}
