/**
 * Column statistics over the available (non-NaN) values, with the same estimators as R / COINr:
 * sample sd (n - 1), and e1071's "type 2" bias-corrected skewness and excess kurtosis.
 */

/** Number of available values. */
export function countAvailable(x: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) n++;
  return n;
}

/** Compact copy of the available values. */
export function available(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(countAvailable(x));
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out;
}

export function min(x: ArrayLike<number>): number {
  let m = Number.POSITIVE_INFINITY;
  let seen = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      seen = true;
      if (v < m) m = v;
    }
  }
  return seen ? m : Number.NaN;
}

export function max(x: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  let seen = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      seen = true;
      // Like R, the first of equal values wins, so a column of -0s keeps max = -0 (x / max then gives -Inf/NaN as COINr).
      if (v > m) m = v;
    }
  }
  return seen ? m : Number.NaN;
}

/**
 * Mean with a second refinement pass, as R does (it accumulates in long double, then corrects), so
 * results agree with R to the last bits far more often than a plain sum / n.
 */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  if (n === 0) return Number.NaN;
  const m = s / n;
  if (!Number.isFinite(m)) return m;
  let t = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) t += v - m;
  }
  return m + t / n;
}

/** Sample standard deviation (n - 1). */
export function sd(x: ArrayLike<number>): number {
  const m = mean(x);
  let ss = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      const d = v - m;
      ss += d * d;
      n++;
    }
  }
  return n < 2 ? Number.NaN : Math.sqrt(ss / (n - 1));
}

function centralSums(x: ArrayLike<number>): { n: number; s2: number; s3: number; s4: number } {
  const m = mean(x);
  let n = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      const d = v - m;
      const d2 = d * d;
      s2 += d2;
      s3 += d2 * d;
      s4 += d2 * d2;
      n++;
    }
  }
  return { n, s2, s3, s4 };
}

/** Bias-corrected sample skewness (e1071 type 2); NaN with fewer than 3 values. */
export function skew(x: ArrayLike<number>): number {
  const { n, s2, s3 } = centralSums(x);
  if (n < 3) return Number.NaN;
  const g = (Math.sqrt(n) * s3) / s2 ** 1.5;
  return (g * Math.sqrt(n * (n - 1))) / (n - 2);
}

/** Bias-corrected sample excess kurtosis (e1071 type 2); NaN with fewer than 4 values. */
export function kurt(x: ArrayLike<number>): number {
  const { n, s2, s4 } = centralSums(x);
  if (n < 4) return Number.NaN;
  const r = (n * s4) / (s2 * s2);
  return (((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3));
}

/** Skewness and kurtosis in one pass over the data. */
export function skewKurt(x: ArrayLike<number>): { skew: number; kurt: number } {
  const { n, s2, s3, s4 } = centralSums(x);
  const sk = n < 3 ? Number.NaN : (((Math.sqrt(n) * s3) / s2 ** 1.5) * Math.sqrt(n * (n - 1))) / (n - 2);
  const r = (n * s4) / (s2 * s2);
  const kt = n < 4 ? Number.NaN : (((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3));
  return { skew: sk, kurt: kt };
}

/** Median of the available values (mean of the two middle ones for an even count). */
export function median(x: ArrayLike<number>): number {
  const v = available(x).sort();
  const n = v.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 === 1 ? (v[h] as number) : ((v[h - 1] as number) + (v[h] as number)) / 2;
}
