/** How tied values share ranks: min (1, 2, 2, 4), dense (1, 2, 2, 3) or ordinal (1, 2, 3, 4 in row order). */
export type TieMethod = "min" | "dense" | "ordinal";

/** Index of the first element of sorted `a` that is >= x (or > x with `strict`). */
function bound(a: Float64Array, x: number, strict: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? (a[mid] as number) <= x : (a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Below this many values the sort plus binary search is quicker than the radix sort's passes. */
const RADIX_FROM = 600;

/**
 * Ranks the available values of `x` (NaN stays NaN). With `descending`, the highest value gets rank 1,
 * as score ranks do; ascending ranks (lowest = 1) are what the rank/borda/prank normalisers use.
 * Min and dense ranks need no comparator callbacks: a radix sort of the values' bits for long columns
 * (10,000 units: a tenth of a native sort plus a binary search per value), a native numeric sort plus
 * binary search for short ones; Monte Carlo replications and whole-run rank tables stay fast.
 */
export function rank(
  x: ArrayLike<number>,
  options: { ties?: TieMethod; descending?: boolean } = {},
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const ties = options.ties ?? "min";
  const descending = options.descending ?? false;
  if (ties === "ordinal") return ordinalRank(x, descending, out);
  let m = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) m++;
  if (m >= RADIX_FROM) return radixRank(x, m, ties === "dense", descending, out);
  const sorted = new Float64Array(m);
  m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    // -0 and 0 are one value for ranking; the native sort would order them.
    if (!Number.isNaN(v)) sorted[m++] = v === 0 ? 0 : v;
  }
  sorted.sort();
  let keys = sorted;
  if (ties === "dense") {
    let d = 0;
    keys = new Float64Array(m);
    for (let k = 0; k < m; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) keys[d++] = sorted[k] as number;
    keys = keys.subarray(0, d);
  }
  const n = keys.length;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) out[i] = Number.NaN;
    else out[i] = descending ? n - bound(keys, v, true) + 1 : bound(keys, v, false) + 1;
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Min or dense ranks of the m available values of x by an LSD radix sort (11-bit digits) of their
 * IEEE-754 bits, mapped so that unsigned order is numeric order; a pass whose digit is the same for
 * every value is skipped. Equal keys are equal values (-0 is made 0 first), so ties are runs of keys.
 */
function radixRank(
  x: ArrayLike<number>,
  m: number,
  dense: boolean,
  descending: boolean,
  out: Float64Array,
): Float64Array {
  const values = new Float64Array(m);
  let idA = new Uint32Array(m);
  m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) out[i] = Number.NaN;
    else {
      values[m] = v === 0 ? 0 : v;
      idA[m++] = i;
    }
  }
  const words = new Uint32Array(values.buffer);
  let hiA = new Uint32Array(m);
  let loA = new Uint32Array(m);
  const hiWord = LITTLE_ENDIAN ? 1 : 0;
  for (let k = 0; k < m; k++) {
    const hi = words[2 * k + hiWord] as number;
    const lo = words[2 * k + 1 - hiWord] as number;
    // Negative: all bits flipped (larger magnitude sorts first); positive: the sign bit set.
    if (hi & 0x80000000) {
      hiA[k] = ~hi >>> 0;
      loA[k] = ~lo >>> 0;
    } else {
      hiA[k] = (hi | 0x80000000) >>> 0;
      loA[k] = lo;
    }
  }
  let hiB = new Uint32Array(m);
  let loB = new Uint32Array(m);
  let idB = new Uint32Array(m);
  const count = new Uint32Array(2048);
  for (let pass = 0; pass < 6; pass++) {
    const keys = pass < 3 ? loA : hiA;
    const shift = (pass % 3) * 11;
    count.fill(0);
    for (let k = 0; k < m; k++) {
      const d = ((keys[k] as number) >>> shift) & 2047;
      count[d] = (count[d] as number) + 1;
    }
    if (count[((keys[0] as number) >>> shift) & 2047] === m) continue;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = count[d] as number;
      count[d] = sum;
      sum += c;
    }
    for (let k = 0; k < m; k++) {
      const d = ((keys[k] as number) >>> shift) & 2047;
      const to = count[d] as number;
      count[d] = to + 1;
      hiB[to] = hiA[k] as number;
      loB[to] = loA[k] as number;
      idB[to] = idA[k] as number;
    }
    const hi = hiA;
    hiA = hiB;
    hiB = hi;
    const lo = loA;
    loA = loB;
    loB = lo;
    const id = idA;
    idA = idB;
    idB = id;
  }
  // Walk from the rank-1 end: a tie's rank is 1 + the values (min) or distinct values (dense) before it.
  let before = 0;
  let distinct = 0;
  const step = descending ? -1 : 1;
  for (let k = descending ? m - 1 : 0; k >= 0 && k < m; ) {
    const hi = hiA[k] as number;
    const lo = loA[k] as number;
    let end = k;
    while (end >= 0 && end < m && hiA[end] === hi && loA[end] === lo) end += step;
    const r = (dense ? distinct : before) + 1;
    for (let t = k; t !== end; t += step) out[idA[t] as number] = r;
    before += descending ? k - end : end - k;
    distinct++;
    k = end;
  }
  return out;
}

function ordinalRank(x: ArrayLike<number>, descending: boolean, out: Float64Array): Float64Array {
  const sign = descending ? -1 : 1;
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i] as number)) out[i] = Number.NaN;
    else idx.push(i);
  }
  // Stable sort keeps row order among ties, which is what "ordinal" means.
  idx.sort((a, b) => sign * ((x[a] as number) - (x[b] as number)) || a - b);
  idx.forEach((i, k) => {
    out[i] = k + 1;
  });
  return out;
}
