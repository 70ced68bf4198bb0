import type { Dataset } from "../dataset.js";
import { type EngineError, engineError, fail, ok, type Result } from "../errors.js";
import { type Framework, type WeightSet, weightOf } from "../framework.js";
import { takeRoom } from "./room.js";

export type AggregationMethod = "amean" | "gmean" | "hmean" | "genmean" | "wmedian" | "copeland";

export const aggregationMethods: readonly AggregationMethod[] = [
  "amean",
  "gmean",
  "hmean",
  "genmean",
  "wmedian",
  "copeland",
];

export interface AggregateOptions {
  /** One method for every level, or one per aggregation level (level 2 first). */
  methods: readonly AggregationMethod[];
  /** Power p of the generalised mean (p != 0). */
  p?: number;
  /** An aggregate is missing when the share of available children is below this (one value, or per level). */
  dataThreshold?: number | readonly number[];
  /** Weights overriding the framework's, for all levels or per level (level 2 first). */
  weights?: WeightSet | readonly (WeightSet | undefined)[];
}

interface Children {
  parent: string;
  cols: number[];
  codes: string[];
  w: Float64Array;
}

/**
 * Aggregates the indicators up the tree, level by level, appending one column per aggregate.
 * Missing children are dropped and the remaining weights renormalised (COINr's a_amean etc.).
 */
export function aggregate(data: Dataset, framework: Framework, options: AggregateOptions): Result<Dataset> {
  const levels = framework.maxLevel - 1;
  const { methods } = options;
  if (methods.length !== 1 && methods.length !== levels) {
    return fail(
      engineError(
        "AGGREGATE_METHODS_LENGTH",
        `汇总方法需 1 个或每层 1 个（共 ${levels} 层），实为 ${methods.length} 个`,
        `give one aggregation method or one per level (${levels} levels), not ${methods.length}`,
      ),
    );
  }
  // One output allocated once: the input's columns, then each level's aggregates, in the order
  // level-by-level appending would give; every level reads its children from this same buffer.
  const n = data.units.length;
  const columns = [...data.columns, ...aggregateCodes(framework)];
  // Appended in the room normalise left after the input's columns (room.ts), or in a new buffer with a
  // copy of them.
  const room = takeRoom(data.values, data.na, n * columns.length);
  const values = room?.values ?? new Float64Array(n * columns.length);
  const naAll = room?.na ?? new Uint8Array(values.length);
  if (!room) {
    values.set(data.values);
    naAll.set(data.na);
  }
  // Per-row weight sums and counts, reused by every parent (fewer allocations, fewer collections).
  const scratch = { wsum: new Float64Array(n), count: new Uint32Array(n) };
  const position = new Map<string, number>();
  let width = data.columns.length;
  for (let c = 0; c < width; c++)
    if (!position.has(columns[c] as string)) position.set(columns[c] as string, c);
  for (let level = 2; level <= framework.maxLevel; level++) {
    const k = level - 2;
    const method = (methods.length === 1 ? methods[0] : methods[k]) as AggregationMethod;
    const threshold = Array.isArray(options.dataThreshold)
      ? (options.dataThreshold[k] as number | undefined)
      : (options.dataThreshold as number | undefined);
    const weights =
      options.weights instanceof Map
        ? options.weights
        : (options.weights as readonly (WeightSet | undefined)[] | undefined)?.[k];
    const parents = framework.codesByLevel[level - 1] ?? [];
    // The children of this level see only the columns appended so far, as before.
    const current: Dataset = { units: data.units, columns: columns.slice(0, width), values, na: naAll };
    for (let p = 0; p < parents.length; p++) {
      const parent = parents[p] as string;
      const codes = [...(framework.childrenOf.get(parent) ?? [])];
      const cols = codes.map((c) => position.get(c) ?? -1);
      const missingCol = cols.indexOf(-1);
      if (missingCol >= 0) {
        return fail(
          engineError(
            "AGGREGATE_MISSING_CHILD",
            `汇总 ${parent} 需要的 ${codes[missingCol]} 不在数据中`,
            `${codes[missingCol]}, needed to aggregate ${parent}, is not in the data`,
            { indicator: codes[missingCol] as string },
          ),
        );
      }
      const w = Float64Array.from(codes, (c) => weightOf(framework, c, weights));
      const children: Children = { parent, cols, codes, w };
      const at = width + p;
      const y = values.subarray(at * n, (at + 1) * n);
      const na = naAll.subarray(at * n, (at + 1) * n);
      const error =
        method === "copeland"
          ? copeland(current, children, y, na)
          : method === "amean"
            ? arithmeticByColumn(current, children, threshold, y, na, scratch)
            : byRow(current, children, method, options.p, threshold, y, na);
      if (error) return fail(error);
    }
    for (let p = 0; p < parents.length; p++) {
      if (!position.has(parents[p] as string)) position.set(parents[p] as string, width + p);
    }
    width += parents.length;
  }
  return ok({ units: data.units, columns, values, na: naAll });
}

/** The aggregates' codes, level by level from level 2: the columns aggregation appends. */
export function aggregateCodes(framework: Framework): string[] {
  const codes: string[] = [];
  for (let level = 2; level <= framework.maxLevel; level++)
    codes.push(...(framework.codesByLevel[level - 1] ?? []));
  return codes;
}

/**
 * The weighted arithmetic mean walked column by column (contiguous memory) rather than row by row:
 * per row, the weights of the available children are summed in child order, then each child adds
 * (w / wsum) * x in child order, so every row sees exactly the arithmetic of the row-wise loop.
 */
function arithmeticByColumn(
  data: Dataset,
  ch: Children,
  threshold: number | undefined,
  y: Float64Array,
  na: Uint8Array,
  scratch: { wsum: Float64Array; count: Uint32Array },
): null {
  const n = data.units.length;
  const m = ch.cols.length;
  const { values } = data;
  const { wsum, count } = scratch;
  wsum.fill(0);
  count.fill(0);
  for (let c = 0; c < m; c++) {
    const wc = ch.w[c] as number;
    const x = values.subarray((ch.cols[c] as number) * n, ((ch.cols[c] as number) + 1) * n);
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (!Number.isNaN(v)) {
        wsum[i] = (wsum[i] as number) + wc;
        count[i] = (count[i] as number) + 1;
      }
    }
  }
  // y starts at 0: it is a column of the freshly allocated output.
  for (let c = 0; c < m; c++) {
    const wc = ch.w[c] as number;
    const x = values.subarray((ch.cols[c] as number) * n, ((ch.cols[c] as number) + 1) * n);
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (!Number.isNaN(v)) y[i] = (y[i] as number) + (wc / (wsum[i] as number)) * v;
    }
  }
  for (let i = 0; i < n; i++) {
    const k = count[i] as number;
    if (k === 0 || (threshold !== undefined && k / m < threshold)) {
      y[i] = Number.NaN;
      na[i] = 1;
    }
  }
  return null;
}

function byRow(
  data: Dataset,
  ch: Children,
  method: Exclude<AggregationMethod, "copeland">,
  p: number | undefined,
  threshold: number | undefined,
  y: Float64Array,
  na: Uint8Array,
): EngineError | null {
  const n = data.units.length;
  const m = ch.cols.length;
  const { values } = data;
  if (method === "genmean" && (p === undefined || p === 0)) {
    return engineError(
      "GENMEAN_P",
      "广义均值的幂 p 必须给定且不为 0（p = 0 即几何平均）",
      "the generalised mean needs a power p other than 0 (p = 0 is the geometric mean)",
      { indicator: ch.parent },
    );
  }
  const xs = new Float64Array(m);
  const ws = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    let k = 0;
    let wsum = 0;
    for (let c = 0; c < m; c++) {
      const v = values[(ch.cols[c] as number) * n + i] as number;
      if (!Number.isNaN(v)) {
        xs[k] = v;
        ws[k] = ch.w[c] as number;
        wsum += ch.w[c] as number;
        k++;
      }
    }
    if (k === 0 || (threshold !== undefined && k / m < threshold)) {
      y[i] = Number.NaN;
      na[i] = 1;
      continue;
    }
    switch (method) {
      case "amean": {
        let s = 0;
        for (let t = 0; t < k; t++) s += ((ws[t] as number) / wsum) * (xs[t] as number);
        y[i] = s;
        break;
      }
      case "gmean": {
        let s = 0;
        for (let t = 0; t < k; t++) {
          const v = xs[t] as number;
          if (v <= 0) return nonPositive(data, ch, i, v, "gmean");
          s += (ws[t] as number) * Math.log(v);
        }
        y[i] = Math.exp(s / wsum);
        break;
      }
      case "hmean": {
        let s = 0;
        for (let t = 0; t < k; t++) {
          const v = xs[t] as number;
          if (v === 0) return nonPositive(data, ch, i, v, "hmean");
          s += (ws[t] as number) / v;
        }
        y[i] = wsum / s;
        break;
      }
      case "genmean": {
        const power = p as number;
        if (k < m) {
          // COINr's a_genmean sums without na.rm: any missing child makes the aggregate missing.
          y[i] = Number.NaN;
          na[i] = 1;
          break;
        }
        let s = 0;
        for (let t = 0; t < k; t++) {
          const v = xs[t] as number;
          if (v <= 0 && power < 0) return nonPositive(data, ch, i, v, "genmean");
          s += (ws[t] as number) * v ** power;
        }
        y[i] = (s / wsum) ** (1 / power);
        break;
      }
      case "wmedian":
        y[i] = weightedMedian(xs.subarray(0, k), ws.subarray(0, k), wsum);
        break;
    }
  }
  return null;
}

/**
 * Weighted median: the smallest value at which the cumulative weight reaches half the total; when it
 * lands exactly on half, the mean of that value and the next (so equal weights give the usual median).
 */
export function weightedMedian(xs: Float64Array, ws: Float64Array, wsum: number): number {
  const order = Array.from(xs.keys()).sort((a, b) => (xs[a] as number) - (xs[b] as number));
  const half = wsum / 2;
  let cum = 0;
  for (let t = 0; t < order.length; t++) {
    cum += ws[order[t] as number] as number;
    if (Math.abs(cum - half) <= 1e-12 * wsum && t + 1 < order.length) {
      return ((xs[order[t] as number] as number) + (xs[order[t + 1] as number] as number)) / 2;
    }
    if (cum > half) return xs[order[t] as number] as number;
  }
  return xs[order[order.length - 1] as number] as number;
}

function nonPositive(data: Dataset, ch: Children, row: number, value: number, method: string): EngineError {
  const n = data.units.length;
  const c = ch.cols.findIndex((col) => data.values[col * n + row] === value);
  const indicator = ch.codes[c] ?? ch.parent;
  const unit = data.units[row] as string;
  const what = method === "hmean" ? "零" : "非正数";
  const whatEn = method === "hmean" ? "zero" : "non-positive";
  return engineError(
    "AGGREGATE_NON_POSITIVE",
    `${method} 汇总 ${ch.parent} 时遇到${what}：单位 ${unit} 的 ${indicator} = ${value}`,
    `${method} cannot aggregate ${ch.parent}: unit ${unit} has ${whatEn} ${indicator} = ${value}`,
    {
      indicator,
      unit,
      value,
      hint: {
        "zh-CN": "请先把指标标准化到 [1, 100]（minmax，range [1,100]），或改用算术平均。",
        en: "Normalise to [1, 100] first (minmax with range [1,100]) or use the arithmetic mean.",
      },
    },
  );
}

/**
 * Copeland's method over units (COINr's a_copeland): each pair of units is compared indicator by
 * indicator with weights; a unit scores +1 for each rival it outranks, -1 for each that outranks it.
 */
function copeland(data: Dataset, ch: Children, y: Float64Array, na: Uint8Array): EngineError | null {
  const n = data.units.length;
  const total = ch.w.reduce((s, v) => s + v, 0);
  const w = ch.w.map((v) => v / total);
  y.fill(0);
  na.fill(0);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let s = 0;
      for (let c = 0; c < ch.cols.length; c++) {
        const base = (ch.cols[c] as number) * n;
        const xa = data.values[base + a] as number;
        const xb = data.values[base + b] as number;
        if (xa > xb) s += w[c] as number;
        else if (xa === xb) s += (w[c] as number) / 2;
      }
      const sa = s > 0.5 ? 1 : s < 0.5 ? -1 : 0;
      y[a] = (y[a] as number) + sa;
      y[b] = (y[b] as number) - sa;
    }
  }
  return null;
}
