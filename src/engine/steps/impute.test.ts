import { describe, expect, it } from "vitest";
import { datasetFromRows, datasetRows } from "../dataset.js";
import { impute } from "./impute.js";

const NA = Number.NaN;
const data = datasetFromRows(
  ["A", "B", "C", "D", "E"],
  ["x", "y"],
  [
    [1, NA],
    [NA, 10],
    [3, 20],
    [10, NA],
    [NA, NA],
  ],
);
const groups = ["g1", "g1", "g1", "g2", "g2"];

describe("impute", () => {
  it("mean and median fill each column from its own values", () => {
    const mean = impute(data, { method: "mean" });
    if (!mean.ok) throw new Error();
    expect(datasetRows(mean.value.data).map((r) => r[0])).toEqual([1, 14 / 3, 3, 10, 14 / 3]);
    expect(mean.value.imputed).toBe(5);
    const median = impute(data, { method: "median" });
    if (!median.ok) throw new Error();
    expect(datasetRows(median.value.data).map((r) => r[0])).toEqual([1, 3, 3, 10, 3]);
  });

  it("group mean fills within the group and reports what it could not fill", () => {
    const r = impute(data, { method: "mean_group", groups });
    if (!r.ok) throw new Error();
    expect(datasetRows(r.value.data)).toEqual([
      [1, 15],
      [2, 10],
      [3, 20],
      [10, NA],
      [10, NA],
    ]);
    expect(r.value.imputed).toBe(3);
    expect(r.value.remaining).toBe(2);
    // filled cells are no longer flagged missing; the unfillable ones still are
    expect(r.value.data.na[1]).toBe(0);
    expect(r.value.data.na[5 + 3]).toBe(1);
  });

  it("group median", () => {
    const r = impute(data, { method: "median_group", groups: ["g", "g", "g", "g", "h"] });
    if (!r.ok) throw new Error();
    expect(datasetRows(r.value.data).map((r) => r[0])).toEqual([1, 3, 3, 10, NA]);
  });

  it("group methods need a group per unit", () => {
    const r = impute(data, { method: "mean_group" });
    expect(r.ok).toBe(false);
  });

  it("leaves existing values untouched, bit for bit", () => {
    const r = impute(data, { method: "mean" });
    if (!r.ok) throw new Error();
    for (let k = 0; k < data.values.length; k++) {
      if (!data.na[k]) expect(r.value.data.values[k]).toBe(data.values[k]);
    }
  });
});
