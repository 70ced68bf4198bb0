import { describe, expect, it } from "vitest";
import { datasetFromRows, datasetRows } from "../dataset.js";
import { rankDataset, rankWithinGroups } from "./ranks.js";

const NA = Number.NaN;
const data = datasetFromRows(["A", "B", "C", "D", "E"], ["score"], [[90], [80], [85], [80], [NA]]);

describe("ranks", () => {
  it("ranks every column, highest first, missing stays missing", () => {
    expect(datasetRows(rankDataset(data)).flat()).toEqual([1, 3, 2, 3, NA]);
    expect(datasetRows(rankDataset(data, "dense")).flat()).toEqual([1, 3, 2, 3, NA]);
    expect(datasetRows(rankDataset(data, "ordinal")).flat()).toEqual([1, 3, 2, 4, NA]);
    expect(rankDataset(data).na[4]).toBe(1);
  });

  it("ranks within groups (分类考核); units without a group get no rank", () => {
    const r = rankWithinGroups(data, ["dept", "district", "dept", "district", "dept"]);
    expect(datasetRows(r).flat()).toEqual([1, 1, 2, 1, NA]);
    const partial = rankWithinGroups(data, ["dept", null, "dept", "dept", null]);
    expect(datasetRows(partial).flat()).toEqual([1, NA, 2, 3, NA]);
  });
});
