import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeLongNumber, writeShortNumber } from "./number-text.js";

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

/** What the full-precision writer writes for v (after the short one declines), or null where it leaves v to String(). */
function writtenLong(v: number): string | null {
  out.fill(0x3f);
  const end = writeLongNumber(out, 3, v);
  if (end < 0) return null;
  expect(out[2]).toBe(0x3f);
  return String.fromCharCode(...out.subarray(3, end));
}

/** A double from 64 random bits: every exponent and mantissa, not only the values arithmetic makes. */
const anyBits = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }))
  .map(([high, low]) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, high);
    view.setUint32(4, low);
    return view.getFloat64(0);
  });

describe("writeLongNumber", () => {
  it("writes exactly String(v) wherever it writes anything: random bits, shares, ratios, near powers of ten", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyBits,
          fc.double({ min: -1e3, max: 1e3, noNaN: true }),
          fc.double({ min: 1e-6, max: 1e-4, noNaN: true }),
          fc.double({ min: 1e13, max: 1e16, noNaN: true }),
          fc.integer({ min: 1, max: 1e9 }).map((m) => m / 7),
          fc.integer({ min: 1, max: 1e6 }).map((m) => Math.sqrt(m)),
          fc.integer({ min: -6, max: 15 }).map((k) => 10 ** k * (1 - Number.EPSILON)),
          fc.integer({ min: -6, max: 15 }).map((k) => 10 ** k * (1 + Number.EPSILON)),
          decimals,
        ),
        (v) => {
          const text = writtenLong(v);
          if (text !== null) expect(text).toBe(String(v));
        },
      ),
      { numRuns: 300_000 },
    );
  });

  it("takes its path for full-precision values in its range (the data hash's usual case), leaving nearly none to String()", () => {
    let declined = 0;
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e14, noNaN: true }), (v) => {
        // Its range (below 1e14, where the short writer takes every short text), less the short writer's values and powers of two.
        if (v >= 1e14 || writeShortNumber(out, 0, v) >= 0 || Number.isInteger(Math.log2(v))) return;
        if (writtenLong(v) === null) declined++;
      }),
      { numRuns: 100_000 },
    );
    expect(declined).toBeLessThan(10);
    for (const v of [
      0.1 + 0.2,
      1 / 3,
      2 / 3,
      Math.PI,
      Math.E,
      1.3884698918313878,
      123456789012345,
      0.123456789012345,
    ])
      expect(writtenLong(v), String(v)).toBe(String(v));
  });

  it("leaves exponents, powers of two and the non-finite to String()", () => {
    for (const v of [
      1e-7,
      5e-324,
      1e16,
      1e21,
      2 ** 10,
      0.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.MAX_VALUE,
      0,
    ])
      expect(writtenLong(v), String(v)).toBeNull();
  });
});
