/** Pearson correlation over the pairs where both values are available (R's use = "pairwise.complete.obs"). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (!Number.isNaN(a) && !Number.isNaN(b)) {
      sx += a;
      sy += b;
      n++;
    }
  }
  if (n < 2) return Number.NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (!Number.isNaN(a) && !Number.isNaN(b)) {
      const dx = a - mx;
      const dy = b - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Ranks with ties averaged (R's default), used by Spearman. */
function averageRanks(v: Float64Array): Float64Array {
  const idx = Array.from(v.keys()).sort((a, b) => (v[a] as number) - (v[b] as number));
  const out = new Float64Array(v.length);
  for (let k = 0; k < idx.length; ) {
    let e = k;
    while (e + 1 < idx.length && v[idx[e + 1] as number] === v[idx[k] as number]) e++;
    const r = (k + e) / 2 + 1;
    for (let t = k; t <= e; t++) out[idx[t] as number] = r;
    k = e + 1;
  }
  return out;
}

/** Spearman rank correlation over complete pairs. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const u = x[i] as number;
    const v = y[i] as number;
    if (!Number.isNaN(u) && !Number.isNaN(v)) {
      a.push(u);
      b.push(v);
    }
  }
  return pearson(averageRanks(Float64Array.from(a)), averageRanks(Float64Array.from(b)));
}
