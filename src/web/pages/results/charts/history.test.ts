import { describe, expect, it } from "vitest";
import type { PlanHistory } from "../../../../server/modules/runs/schema.js";
import { changeYears, rankChanges } from "./history";

const year = (period: string, rank: number | null, category: string | null = "econ") => ({
  period,
  total: 90 - (rank ?? 0),
  rank,
  rankOf: rank === null ? null : 3,
  category,
  categoryName: category === null ? null : category === "econ" ? "经济发展" : "社会事业",
  grade: rank === 1 ? "优秀" : "良好",
});

const history: PlanHistory = {
  planId: "p2023",
  years: ["2021", "2022", "2023"].map((period) => ({
    period,
    planId: `p${period}`,
    planName: `${period}年度`,
    runId: `r${period}`,
    publicationId: null,
    source: "run" as const,
  })),
  items: [
    { unit: "a", name: "甲", years: [year("2021", 1), year("2022", 3), year("2023", 1)] },
    { unit: "b", name: "乙", years: [year("2022", 1), year("2023", 3)] },
    { unit: "c", name: "丙", years: [year("2022", 2), year("2023", 2)] },
    { unit: "d", name: "丁", years: [year("2022", 2, "social"), year("2023", 2)] },
    { unit: "e", name: "戊", years: [year("2022", null, null), year("2023", null, null)] },
    { unit: "f", name: "己", years: [year("2023", 1)] },
  ],
};

describe("the history's charts", () => {
  it("compares a year with the series' year before it, and none for the first year", () => {
    expect(changeYears(history, "2023")).toEqual({ from: "2022", to: "2023" });
    expect(changeYears(history, "2022")).toEqual({ from: "2021", to: "2022" });
    expect(changeYears(history, "2021")).toBeUndefined();
    expect(changeYears(history, "2030")).toBeUndefined();
  });

  it("ranks the changes, most places gained first, leaving out units not ranked in both years", () => {
    const changes = rankChanges(history, "2022", "2023");
    expect(changes.map((c) => [c.unit, c.before, c.after, c.change, c.movedCategory])).toEqual([
      ["a", 3, 1, 2, false],
      ["c", 2, 2, 0, false],
      ["d", 2, 2, 0, true],
      ["b", 1, 3, -2, false],
    ]);
  });
});
