import { describe, expect, it } from "vitest";
import type { UnitSensitivity } from "../../../engine/index.js";
import { byCategory, unstableUnits } from "./stability";

const unit = (
  code: string,
  category: string | null,
  rank: number | null,
  grade: string | null,
  probability: Record<string, number>,
): UnitSensitivity => ({
  unit: code,
  category,
  nominalRank: rank,
  medianRank: rank,
  p5Rank: rank,
  p95Rank: rank,
  nominalGrade: grade,
  gradeProbability: probability,
});

describe("grade stability", () => {
  const units = [
    unit("a", "x", 1, "优秀", { 优秀: 0.95, 良好: 0.05 }),
    unit("b", "x", 2, "良好", { 优秀: 0.3, 良好: 0.7 }),
    unit("c", "y", 1, "良好", { 良好: 0.5, 合格: 0.5 }),
    unit("d", "y", 2, "合格", { 合格: 0.8, 良好: 0.2 }),
    unit("s", null, null, null, {}),
  ];

  it("warns of the units that keep their grade in under 80% of the replications, least stable first", () => {
    expect(unstableUnits({ units }).map((u) => u.unit)).toEqual(["c", "b"]);
  });

  it("draws the ranked units per category, by rank, the unranked left out", () => {
    const shuffled = [units[1]!, units[3]!, units[0]!, units[4]!, units[2]!];
    expect(byCategory(shuffled).map((g) => [g.category, g.units.map((u) => u.unit)])).toEqual([
      ["x", ["a", "b"]],
      ["y", ["c", "d"]],
    ]);
  });
});
