import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rank } from "./rank.js";

const scores = [10, 30, 20, 30, Number.NaN, 5];

describe("rank", () => {
  it("min ties, highest first (score ranks)", () => {
    expect([...rank(scores, { descending: true })]).toEqual([4, 1, 3, 1, Number.NaN, 5]);
  });
  it("dense and ordinal ties", () => {
    expect([...rank(scores, { descending: true, ties: "dense" })]).toEqual([3, 1, 2, 1, Number.NaN, 4]);
    expect([...rank(scores, { descending: true, ties: "ordinal" })]).toEqual([4, 1, 3, 2, Number.NaN, 5]);
  });
  it("ascending ranks (for the rank normaliser)", () => {
    expect([...rank(scores)]).toEqual([2, 4, 3, 4, Number.NaN, 1]);
  });
  it("treats -0 and 0 as a tie", () => {
    expect([...rank([0, -0, 1], { descending: true })]).toEqual([2, 2, 1]);
  });
});

describe("rank of any column (a radix sort from 600 values)", () => {
  /** Rank by definition: 1 + how many values (or distinct values) rank ahead. */
  function byDefinition(x: number[], dense: boolean, descending: boolean): number[] {
    const avail = x.filter((v) => !Number.isNaN(v));
    const pool = dense ? [...new Set(avail.map((v) => (v === 0 ? 0 : v)))] : avail;
    return x.map((v) =>
      Number.isNaN(v) ? Number.NaN : 1 + pool.filter((w) => (descending ? w > v : w < v)).length,
    );
  }
  it("equals the definition for any doubles: negatives, -0, infinities, tiny, huge, ties, NaN", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.double(),
            fc.integer({ min: -20, max: 20 }),
            fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324),
          ),
          { maxLength: 1200 },
        ),
        fc.boolean(),
        fc.boolean(),
        (x, dense, descending) => {
          const got = [...rank(x, { ties: dense ? "dense" : "min", descending })];
          expect(got).toEqual(byDefinition(x, dense, descending));
        },
      ),
      { numRuns: 150 },
    );
  });
});
