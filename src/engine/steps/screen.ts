import { type Dataset, selectRows } from "../dataset.js";

export type ScreenBy = "missing" | "zeros" | "missing_and_zeros";

export interface ScreenOptions {
  by: ScreenBy;
  /** Minimum share of available indicators a unit needs (COINr dat_thresh, default 2/3). */
  threshold?: number;
  /** Minimum share of non-zero values among the available ones (COINr nonzero_thresh, default 0.05). */
  nonZeroThreshold?: number;
  /** Units to keep or drop whatever their data say. */
  force?: readonly { unit: string; include: boolean }[];
}

export interface UnitAvailability {
  unit: string;
  missing: number;
  zeros: number;
  /** Share of indicators available. */
  available: number;
  /** Share of non-zero values among the available ones. */
  nonZero: number;
  included: boolean;
}

export interface ScreenResult {
  data: Dataset;
  summary: UnitAvailability[];
  removed: string[];
}

/**
 * Drops units with too little data or too many zeros (COINr's Screen): a unit stays when its share
 * of available indicators reaches `threshold` (and/or its share of non-zeros `nonZeroThreshold`).
 */
export function screenUnits(data: Dataset, options: ScreenOptions): ScreenResult {
  const threshold = options.threshold ?? 2 / 3;
  const nonZeroThreshold = options.nonZeroThreshold ?? 0.05;
  const n = data.units.length;
  const m = data.columns.length;
  const forced = new Map((options.force ?? []).map((f) => [f.unit, f.include] as const));
  const summary: UnitAvailability[] = [];
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    let missing = 0;
    let zeros = 0;
    for (let j = 0; j < m; j++) {
      const v = data.values[j * n + i] as number;
      if (Number.isNaN(v)) missing++;
      else if (v === 0) zeros++;
    }
    const available = 1 - missing / m;
    const nonZero = 1 - zeros / (m - missing);
    const lowData = available < threshold;
    const lowNonZero = nonZero < nonZeroThreshold;
    const unit = data.units[i] as string;
    let included =
      options.by === "missing" ? !lowData : options.by === "zeros" ? !lowNonZero : !(lowData || lowNonZero);
    included = forced.get(unit) ?? included;
    summary.push({ unit, missing, zeros, available, nonZero, included });
    if (included) keep.push(i);
  }
  return {
    data: keep.length === n ? data : selectRows(data, keep),
    summary,
    removed: summary.filter((s) => !s.included).map((s) => s.unit),
  };
}
