import type { Dataset } from "../dataset.js";
import { available, countAvailable, max, mean, median, min, sd, skewKurt } from "../stats/moments.js";

/** Per-indicator statistics, with COINr's get_stats columns and flags. */
export interface IndicatorStats {
  indicator: string;
  min: number;
  max: number;
  mean: number;
  median: number;
  sd: number;
  skew: number;
  kurt: number;
  nAvailable: number;
  nNonZero: number;
  nUnique: number;
  /** Largest number of units sharing one value. */
  nSame: number;
  fracAvailable: number;
  fracNonZero: number;
  fracUnique: number;
  fracSame: number;
  flagAvailable: "ok" | "LOW";
  flagNonZero: "ok" | "LOW";
  flagUnique: "ok" | "LOW";
  flagSkewKurt: "ok" | "OUT";
}

export interface StatsThresholds {
  skew: number;
  kurtosis: number;
  available: number;
  nonZero: number;
  unique: number;
}

export const defaultStatsThresholds: StatsThresholds = {
  skew: 2,
  kurtosis: 3.5,
  available: 0.65,
  nonZero: 0.5,
  unique: 0.5,
};

export function indicatorStats(data: Dataset, t: StatsThresholds = defaultStatsThresholds): IndicatorStats[] {
  const n = data.units.length;
  return data.columns.map((indicator, j) => {
    const x = data.values.subarray(j * n, (j + 1) * n);
    const values = available(x);
    const nAvailable = countAvailable(x);
    let nNonZero = 0;
    for (const v of values) if (v !== 0) nNonZero++;
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const nUnique = counts.size;
    const nSame = Math.max(0, ...counts.values());
    const { skew, kurt } = skewKurt(x);
    const fracAvailable = nAvailable / n;
    return {
      indicator,
      min: min(x),
      max: max(x),
      mean: mean(x),
      median: median(x),
      sd: sd(x),
      skew,
      kurt,
      nAvailable,
      nNonZero,
      nUnique,
      nSame,
      fracAvailable,
      fracNonZero: nNonZero / nAvailable,
      fracUnique: nUnique / nAvailable,
      fracSame: nSame / nAvailable,
      flagAvailable: fracAvailable >= t.available ? "ok" : "LOW",
      // COINr divides by all units here (not the available ones), and so do we.
      flagNonZero: nNonZero / n >= t.nonZero ? "ok" : "LOW",
      flagUnique: nUnique / n >= t.unique ? "ok" : "LOW",
      flagSkewKurt: Math.abs(skew) > t.skew && kurt > t.kurtosis ? "OUT" : "ok",
    };
  });
}
