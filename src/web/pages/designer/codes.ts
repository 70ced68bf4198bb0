/** The first code `prefix1`, `prefix2`, … (from `from`) that `used` does not hold: a new row's, node's or category's code. */
export function firstFreeCode(used: ReadonlySet<string>, prefix: string, from = 1): string {
  let n = from;
  while (used.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}
