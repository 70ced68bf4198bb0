/** How tied values share ranks: min (1, 2, 2, 4), dense (1, 2, 2, 3) or ordinal (1, 2, 3, 4 in row order). */
export type TieMethod = "min" | "dense" | "ordinal";

/**
 * Ranks the available values of `x` (NaN stays NaN). With `descending`, the highest value gets rank 1,
 * as score ranks do; ascending ranks (lowest = 1) are what the rank/borda/prank normalisers use.
 */
export function rank(
  x: ArrayLike<number>,
  options: { ties?: TieMethod; descending?: boolean } = {},
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const ties = options.ties ?? "min";
  const sign = options.descending ? -1 : 1;
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (!Number.isNaN(x[i] as number)) idx.push(i);
    else out[i] = Number.NaN;
  }
  // Stable sort keeps row order among ties, which is what "ordinal" means.
  idx.sort((a, b) => sign * ((x[a] as number) - (x[b] as number)) || a - b);
  let dense = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    const tiedWithPrevious = k > 0 && (x[i] as number) === (x[idx[k - 1] as number] as number);
    if (!tiedWithPrevious) dense++;
    if (ties === "ordinal") out[i] = k + 1;
    else if (ties === "dense") out[i] = dense;
    else out[i] = tiedWithPrevious ? (out[idx[k - 1] as number] as number) : k + 1;
  }
  return out;
}
