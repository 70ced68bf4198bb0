import { cloneDataset, type Dataset } from "../dataset.js";
import { max, min, skewKurt } from "../stats/moments.js";

export interface TreatSettings {
  /** Most points to winsorise per indicator (COINr winmax, default 5). */
  winmax: number;
  /** An indicator passes when |skew| < skew ... */
  skew: number;
  /** ... or kurtosis < kurtosis (COINr's defaults 2 and 3.5). */
  kurtosis: number;
  /** Winsorise up to winmax even when the indicator already passes. */
  forceWin: boolean;
  /** What to do when winsorisation is not enough: COINr's log_CT, a Box-Cox transform, or nothing. */
  fallback: "log_CT" | "boxcox" | "none";
  /** Box-Cox lambda (0 = log), applied to x - min + 1. */
  lambda: number;
}

export const defaultTreatSettings: TreatSettings = {
  winmax: 5,
  skew: 2,
  kurtosis: 3.5,
  forceWin: false,
  fallback: "log_CT",
  lambda: 0.5,
};

export interface TreatOptions extends Partial<TreatSettings> {
  /** Per-indicator settings, or "none" to leave an indicator untreated. */
  indicators?: Readonly<Record<string, Partial<TreatSettings> | "none">>;
}

export interface SkewKurtCheck {
  /** null when undecidable (too few or identical values), as R's NA: COINr then leaves the indicator as it is. */
  pass: boolean | null;
  skew: number;
  kurt: number;
}

/** What happened to one indicator, in COINr's Dets_Table terms. */
export interface TreatDetail {
  indicator: string;
  /** Check before treatment; null when the indicator was excluded ("none"). */
  check0: SkewKurtCheck | null;
  /** Number of points winsorised (null when winsorisation did not run). */
  nwin: number | null;
  /** Check after winsorisation. */
  check1: SkewKurtCheck | null;
  /** Transform applied after winsorisation failed ("log_CT" / "boxcox"), or null. */
  transform: "log_CT" | "boxcox" | null;
  /** Check after the transform. */
  check2: SkewKurtCheck | null;
}

export interface TreatResult {
  data: Dataset;
  details: TreatDetail[];
  /** points[col][row]: "", "winhi", "winlo", "log_CT" or "boxcox". */
  points: string[][];
}

/** R's `(abs(sk) < t1) | (kt < t2)` with NA logic: TRUE wins over NA, NA over FALSE. */
function check(x: Float64Array, s: TreatSettings): SkewKurtCheck {
  const { skew, kurt } = skewKurt(x);
  const a = Number.isNaN(skew) ? null : Math.abs(skew) < s.skew;
  const b = Number.isNaN(kurt) ? null : kurt < s.kurtosis;
  const pass = a === true || b === true ? true : a === null || b === null ? null : false;
  return { pass, skew, kurt };
}

const undecidable = (c: SkewKurtCheck) => c.pass === null;

/**
 * Winsorises `x` in place, one extreme value (and its ties) at a time on the side of the skew, until it
 * passes or winmax points are done. Mirrors COINr's winsorise() exactly, including how it counts tied
 * points and which points it marks.
 */
function winsorise(x: Float64Array, s: TreatSettings): { nwin: number; hi: number[]; lo: number[] } | null {
  let passing = check(x, s).pass;
  let hi: number[] = [];
  let lo: number[] = [];
  let nwin = 0;
  while ((!passing || s.forceWin) && nwin < s.winmax) {
    if (passing === null) return null; // R errors here; COINr then returns the indicator untreated
    const sk = skewKurt(x).skew;
    if (Number.isNaN(sk)) return null;
    if (sk >= 0) {
      const top = max(x);
      hi = positionsOf(x, top);
      const next = extremeExcluding(x, top, "max");
      if (next === undefined) break;
      for (const i of hi) x[i] = next;
    } else {
      const bottom = min(x);
      lo = positionsOf(x, bottom);
      const next = extremeExcluding(x, bottom, "min");
      if (next === undefined) break;
      for (const i of lo) x[i] = next;
    }
    nwin = hi.length + lo.length;
    passing = check(x, s).pass;
  }
  return { nwin, hi, lo };
}

function positionsOf(x: Float64Array, v: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] === v) out.push(i);
  return out;
}

function extremeExcluding(x: Float64Array, v: number, kind: "max" | "min"): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < x.length; i++) {
    const y = x[i] as number;
    if (Number.isNaN(y) || y === v) continue;
    if (best === undefined || (kind === "max" ? y > best : y < best)) best = y;
  }
  return best;
}

function transform(x: Float64Array, s: TreatSettings): Float64Array {
  const lo = min(x);
  const hi = max(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (s.fallback === "log_CT") out[i] = Math.log(v - lo + 0.01 * (hi - lo));
    else {
      const shifted = v - lo + 1;
      out[i] = s.lambda === 0 ? Math.log(shifted) : (shifted ** s.lambda - 1) / s.lambda;
    }
  }
  return out;
}

/**
 * Outlier treatment (COINr's Treat with its defaults): an indicator passes when |skew| < 2 or
 * kurtosis < 3.5; a failing one is winsorised up to winmax points; if it still fails, the fallback
 * transform is applied to the original (un-winsorised) values instead.
 */
export function treat(data: Dataset, options: TreatOptions = {}): TreatResult {
  const out = cloneDataset(data);
  const n = data.units.length;
  const details: TreatDetail[] = [];
  const points: string[][] = [];
  const globalSettings: TreatSettings = { ...defaultTreatSettings, ...stripIndicators(options) };
  for (let j = 0; j < data.columns.length; j++) {
    const code = data.columns[j] as string;
    const marks = new Array<string>(n).fill("");
    points.push(marks);
    const own = options.indicators?.[code];
    if (own === "none") {
      details.push({
        indicator: code,
        check0: null,
        nwin: null,
        check1: null,
        transform: null,
        check2: null,
      });
      continue;
    }
    const s: TreatSettings = own ? { ...globalSettings, ...own } : globalSettings;
    const original = data.values.subarray(j * n, (j + 1) * n);
    const detail: TreatDetail = {
      indicator: code,
      check0: check(original, s),
      nwin: null,
      check1: null,
      transform: null,
      check2: null,
    };
    details.push(detail);
    if (undecidable(detail.check0!) || (detail.check0!.pass && !s.forceWin)) continue;
    const x = original.slice();
    const win = winsorise(x, s);
    if (!win) continue;
    detail.nwin = win.nwin;
    detail.check1 = check(x, s);
    if (undecidable(detail.check1)) continue;
    if (!detail.check1.pass && s.fallback !== "none") {
      const y = transform(original, s);
      detail.transform = s.fallback;
      detail.check2 = check(y, s);
      out.values.set(y, j * n);
      marks.fill(s.fallback);
      continue;
    }
    out.values.set(x, j * n);
    for (const i of win.hi) marks[i] = "winhi";
    for (const i of win.lo) marks[i] = "winlo";
  }
  return { data: out, details, points };
}

function stripIndicators(options: TreatOptions): Partial<TreatSettings> {
  const { indicators: _ignored, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}
