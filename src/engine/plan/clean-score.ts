/**
 * Rounds away floating-point noise (0.1 + 0.2 -> 0.3, 99.97999999999999 -> 99.98) at 1e-9 points, so
 * published scores read as people compute them and equal scores tie as people expect.
 */
export function cleanScore(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
