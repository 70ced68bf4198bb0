import { cloneDataset, type Dataset } from "../dataset.js";
import { engineError, fail, ok, type Result } from "../errors.js";

export type PanelImputeMethod = "latest" | "linear" | "constant" | "linear-constant";

/** One time point of a panel: the data of every unit observed at `time`. */
export interface PanelSlice {
  time: number;
  data: Dataset;
}

export interface PanelImputeOptions {
  method: PanelImputeMethod;
  /** For "latest": how many earlier time points to look back at most (default: all). */
  maxTime?: number;
}

/**
 * Fills gaps in panel data from the same unit's other time points (COINr's impute_panel):
 * - latest: the most recent earlier observation (from the original data, never an imputed one);
 * - linear: linear interpolation in time, constant beyond the first/last observation;
 * - constant: the previous observation (a step function), constant beyond the ends;
 * - linear-constant: linear, or constant when a series has a single observation.
 */
export function imputePanel(
  slices: readonly PanelSlice[],
  options: PanelImputeOptions,
): Result<PanelSlice[]> {
  const order = slices.map((_, i) => i).sort((a, b) => slices[a]!.time - slices[b]!.time);
  const out = slices.map((s) => ({ time: s.time, data: cloneDataset(s.data) }));
  const rowOf = slices.map((s) => new Map(s.data.units.map((u, i) => [u, i] as const)));
  const units = [...new Set(slices.flatMap((s) => s.data.units))];
  const columns = slices[0]?.data.columns ?? [];
  for (const s of slices) {
    if (s.data.columns.join("\u0000") !== columns.join("\u0000")) {
      return fail(
        engineError(
          "PANEL_COLUMNS",
          `第 ${s.time} 期的指标与其他期不一致`,
          `time ${s.time} has different indicators from the other time points`,
        ),
      );
    }
  }
  const times: number[] = [];
  const ys: number[] = [];
  const at: number[] = [];
  for (const unit of units) {
    for (let j = 0; j < columns.length; j++) {
      times.length = 0;
      ys.length = 0;
      at.length = 0;
      for (const si of order) {
        const row = rowOf[si]!.get(unit);
        if (row === undefined) continue;
        const n = slices[si]!.data.units.length;
        times.push(slices[si]!.time);
        ys.push(slices[si]!.data.values[j * n + row] as number);
        at.push(si);
      }
      if (!ys.some((v) => Number.isNaN(v))) continue;
      const filled = fillSeries(times, ys, options);
      if (!filled.ok) {
        return fail({ ...filled.error, indicator: columns[j] as string, unit });
      }
      filled.value.forEach((v, k) => {
        if (!Number.isNaN(v) && Number.isNaN(ys[k] as number)) {
          const si = at[k] as number;
          const n = slices[si]!.data.units.length;
          const idx = j * n + rowOf[si]!.get(unit)!;
          out[si]!.data.values[idx] = v;
          out[si]!.data.na[idx] = 0;
        }
      });
    }
  }
  return ok(out);
}

/** Fills one unit's series (times ascending). */
function fillSeries(times: number[], ys: number[], options: PanelImputeOptions): Result<number[]> {
  const known = ys.flatMap((v, k) => (!Number.isNaN(v) ? [k] : []));
  if (known.length === 0) return ok(ys.slice());
  if (options.method === "latest") {
    const maxBack = options.maxTime ?? Number.POSITIVE_INFINITY;
    return ok(
      ys.map((v, k) => {
        if (!Number.isNaN(v)) return v;
        for (let back = 1; back <= maxBack && k - back >= 0; back++) {
          const older = ys[k - back] as number;
          if (!Number.isNaN(older)) return older;
        }
        return v;
      }),
    );
  }
  let method = options.method;
  if (method === "linear-constant") method = known.length === 1 ? "constant" : "linear";
  if (method === "linear" && known.length < 2) {
    return fail(
      engineError(
        "PANEL_TOO_FEW",
        "线性插补至少需要两期有数据",
        "linear imputation needs at least two observed time points",
      ),
    );
  }
  return ok(
    ys.map((v, k) => {
      if (!Number.isNaN(v)) return v;
      const t = times[k] as number;
      const first = known[0] as number;
      const last = known[known.length - 1] as number;
      if (t <= (times[first] as number)) return ys[first] as number;
      if (t >= (times[last] as number)) return ys[last] as number;
      let p = first;
      for (const q of known) {
        if ((times[q] as number) <= t) p = q;
        else {
          if (method === "constant") return ys[p] as number;
          const t0 = times[p] as number;
          const t1 = times[q] as number;
          const y0 = ys[p] as number;
          const y1 = ys[q] as number;
          return y0 + (y1 - y0) * ((t - t0) / (t1 - t0)); // R's approx() operation order
        }
      }
      return v;
    }),
  );
}
