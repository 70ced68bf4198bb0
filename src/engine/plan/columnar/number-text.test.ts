import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeShortNumber } from "./number-text.js";

const out = new Uint8Array(64);
/** What the fast path writes for v, or null where it leaves v to String(). */
function written(v: number): string | null {
  out.fill(0x3f);
  const end = writeShortNumber(out, 3, v);
  if (end < 0) return null;
  // Nothing written before `at`.
  expect(out[2]).toBe(0x3f);
  return String.fromCharCode(...out.subarray(3, end));
}

/** Values with few decimals, as reported statistics are: an integer over a power of ten. */
const decimals = fc
  .tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 8 }))
  .map(([m, d]) => m / 10 ** d);

describe("writeShortNumber", () => {
  it("writes exactly String(v) wherever it writes anything, over every kind of double", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double(),
          fc.double({ min: -1e3, max: 1e3, noNaN: true }),
          fc.double({ min: 1e-7, max: 1e-5, noNaN: true }),
          fc.double({ min: 1e12, max: 1e15, noNaN: true }),
          fc.integer(),
          fc.maxSafeInteger(),
          decimals,
          decimals.map((x) => x * 1e-4),
          decimals.map((x) => x + 0.1),
        ),
        (v) => {
          const text = written(v);
          if (text !== null) expect(text).toBe(String(v));
        },
      ),
      { numRuns: 200_000 },
    );
  });

  it("takes the fast path for integers and values with few decimals (the cases it is for)", () => {
    fc.assert(
      // Below 1e-6 String() writes an exponent, which is left to it.
      fc.property(
        fc.oneof(decimals, fc.integer()).filter((v) => v === 0 || Math.abs(v) >= 1e-6),
        (v) => {
          expect(written(v)).toBe(String(v));
        },
      ),
      { numRuns: 50_000 },
    );
  });

  it("agrees with String() at the edges: zeros, powers of ten, the limits of fixed notation and of 14 digits", () => {
    const edges = [
      0,
      -0,
      1,
      -1,
      0.1,
      0.2,
      0.3,
      0.1 + 0.2,
      1 / 3,
      2 / 3,
      1e-6,
      -1e-6,
      1.5e-6,
      9.99999e-7,
      1e-7,
      0.000001234,
      0.00001,
      99.99,
      100,
      999.9999999,
      1e13,
      99999999999999,
      99999999999999.9,
      1e14,
      1e14 - 1,
      123456789012345,
      12345678901234.5,
      1234567890123.45,
      0.12345678901234,
      0.123456789012345,
      4.35,
      1.005,
      2 ** 52,
      2 ** 53,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
      Number.EPSILON,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      5e-324,
      1e21,
      123e18,
    ];
    for (const v of edges) {
      const text = written(v);
      if (text !== null) expect(text).toBe(String(v));
    }
    // The short ones are written here, not left to String().
    for (const v of [0, -0, 1, 0.1, 0.3, 1e-6, 99.99, 100, 4.35, 1.005, 1e13, 99999999999999]) {
      expect(written(v), String(v)).toBe(String(v));
    }
    // Exponent notation, 15 or more digits, and the non-finite are left to String().
    for (const v of [1e-7, 9.99999e-7, 1e14, 0.1 + 0.2, 1 / 3, 123456789012345, Number.NaN, 1e21]) {
      expect(written(v), String(v)).toBeNull();
    }
  });
});
