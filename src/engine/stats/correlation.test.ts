import { describe, expect, it } from "vitest";
import { pearson, spearman } from "./correlation.js";

describe("correlation", () => {
  it("Pearson over complete pairs only", () => {
    expect(pearson([1, 2, 3, Number.NaN], [2, 4, 6, 100])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    // hand computed: x = 1 2 3 4, y = 1 3 2 4 -> sxy = 4, sxx = syy = 5
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 15);
  });

  it("Spearman is Pearson of ranks, ties averaged", () => {
    expect(spearman([1, 10, 100, 1000], [2, 3, 4, 5])).toBeCloseTo(1, 15);
    // x ranks 1 2.5 2.5 4, y ranks 1 2 3 4
    const rx = [1, 2.5, 2.5, 4];
    expect(spearman([1, 5, 5, 9], [1, 2, 3, 4])).toBeCloseTo(pearson(rx, [1, 2, 3, 4]), 15);
  });

  it("fewer than two pairs is NaN", () => {
    expect(pearson([1, Number.NaN], [Number.NaN, 2])).toBeNaN();
  });
});
