import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPowerOfTwo, productError, ulpOf } from "./exact.js";

/** A finite double as m × 2^e exactly (m a BigInt, e an integer). */
function exactly(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  let m = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (biased !== 0) m |= 1n << 52n;
  if (high >>> 31) m = -m;
  return { m, e: (biased === 0 ? 1 : biased) - 1075 };
}
const times = (a: { m: bigint; e: number }, b: { m: bigint; e: number }) => ({ m: a.m * b.m, e: a.e + b.e });
const plus = (a: { m: bigint; e: number }, b: { m: bigint; e: number }) => {
  const e = Math.min(a.e, b.e);
  return { m: (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e };
};
const same = (a: { m: bigint; e: number }, b: { m: bigint; e: number }) => {
  const e = Math.min(a.e, b.e);
  return a.m << BigInt(a.e - e) === b.m << BigInt(b.e - e);
};

describe("exact arithmetic", () => {
  it("productError is the exact remainder of a double product: p + error = a × b to the last bit", () => {
    const operand = fc.double({ min: -1e20, max: 1e20, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(operand, operand, (a, b) => {
        fc.pre(a === 0 || b === 0 || Math.abs(a * b) > 1e-280);
        const p = a * b;
        expect(same(plus(exactly(p), exactly(productError(a, b, p))), times(exactly(a), exactly(b)))).toBe(
          true,
        );
      }),
      { numRuns: 20_000 },
    );
  });

  it("reads a double's spacing and whether it is a power of two from its bits", () => {
    expect(ulpOf(1)).toBe(Number.EPSILON);
    expect(ulpOf(1.5)).toBe(Number.EPSILON);
    expect(ulpOf(2 ** 53)).toBe(2);
    expect(ulpOf(1e-6)).toBe(2 ** -72);
    for (const x of [1, 2, 0.5, 2 ** 60, 2 ** -30]) expect(isPowerOfTwo(x), String(x)).toBe(true);
    for (const x of [3, 1.5, 0.1, 1e15, 2 ** 53 + 2]) expect(isPowerOfTwo(x), String(x)).toBe(false);
    // The spacing is the gap to the next double up.
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (x) => {
        const view = new DataView(new ArrayBuffer(8));
        view.setFloat64(0, x);
        view.setBigUint64(0, view.getBigUint64(0) + 1n);
        expect(view.getFloat64(0) - x).toBe(ulpOf(x));
      }),
      { numRuns: 5_000 },
    );
  });
});
