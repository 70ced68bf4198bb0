import { describe, expect, it } from "vitest";
import { datasetFromRows } from "../dataset.js";
import { screenUnits } from "./screen.js";

const NA = Number.NaN;
const data = datasetFromRows(
  ["A", "B", "C"],
  ["w", "x", "y", "z"],
  [
    [1, 2, 3, 4], // complete
    [1, NA, NA, 4], // half missing
    [0, 0, 0, 5], // mostly zeros
  ],
);

describe("screenUnits", () => {
  it("drops units below the data-availability threshold", () => {
    const r = screenUnits(data, { by: "missing", threshold: 0.75 });
    expect(r.data.units).toEqual(["A", "C"]);
    expect(r.removed).toEqual(["B"]);
    expect(r.summary[1]).toMatchObject({ missing: 2, available: 0.5, included: false });
  });

  it("drops units with too many zeros", () => {
    const r = screenUnits(data, { by: "zeros", nonZeroThreshold: 0.5 });
    expect(r.removed).toEqual(["C"]);
    expect(r.summary[2]?.nonZero).toBe(0.25);
  });

  it("both at once, and forced inclusion/exclusion wins", () => {
    const both = screenUnits(data, { by: "missing_and_zeros", threshold: 0.75, nonZeroThreshold: 0.5 });
    expect(both.data.units).toEqual(["A"]);
    const forced = screenUnits(data, {
      by: "missing_and_zeros",
      threshold: 0.75,
      nonZeroThreshold: 0.5,
      force: [
        { unit: "B", include: true },
        { unit: "A", include: false },
      ],
    });
    expect(forced.data.units).toEqual(["B"]);
  });

  it("default threshold is COINr's 2/3", () => {
    expect(screenUnits(data, { by: "missing" }).removed).toEqual(["B"]);
  });
});
