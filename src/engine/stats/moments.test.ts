import { describe, expect, it } from "vitest";
import { kurt, max, mean, median, min, sd, skew } from "./moments.js";

const x = [2, 4, 4, 4, 5, 5, 7, 9, Number.NaN];

describe("moments over available values", () => {
  it("mean, sd (n - 1), median skip missing", () => {
    expect(mean(x)).toBe(5);
    // sum of squared deviations 32 over n - 1 = 7
    expect(sd(x)).toBeCloseTo(Math.sqrt(32 / 7), 15);
    expect(median(x)).toBe(4.5);
    expect(median([3, Number.NaN, 1, 2])).toBe(2);
    expect(min(x)).toBe(2);
    expect(max(x)).toBe(9);
  });

  it("skewness and kurtosis are e1071 type 2 (bias-corrected)", () => {
    // Hand computation for [1, 2, 3, 4, 10]: mean 4, deviations -3 -2 -1 0 6
    // m2 = 50, m3 = -27 - 8 - 1 + 216 = 180, m4 = 81 + 16 + 1 + 1296 = 1394
    const y = [1, 2, 3, 4, 10];
    const n = 5;
    const g1 = (Math.sqrt(n) * 180) / 50 ** 1.5;
    expect(skew(y)).toBeCloseTo((g1 * Math.sqrt(n * (n - 1))) / (n - 2), 14);
    const r = (n * 1394) / 50 ** 2;
    expect(kurt(y)).toBeCloseTo((((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3)), 14);
  });

  it("too few values give NaN, not a number that looks real", () => {
    expect(skew([1, 2])).toBeNaN();
    expect(kurt([1, 2, 3])).toBeNaN();
    expect(mean([Number.NaN])).toBeNaN();
    expect(sd([1])).toBeNaN();
    expect(min([])).toBeNaN();
  });
});
