import { describe, expect, it } from "vitest";
import { rowsOf, testPlan } from "./_fixtures.js";
import type { Plan } from "./schema.js";
import { scorePlan } from "./score.js";
import { buildPlanStructure } from "./structure.js";

const indicators = [{ code: "M", name: "M", points: 100, rule: { type: "mark" as const } }];
// dept: A 90, B 80, C 80, D 60; district: E 95, F 70; S (standalone) 99.
const rows = rowsOf("M", { A: 90, B: 80, C: 80, D: 60, E: 95, F: 70, S: 99 });
const grades: Plan["grades"] = [{ code: "优秀", quota: { count: 1 } }, { code: "合格" }];

const errorOf = (offices: Plan["offices"]) => {
  const built = buildPlanStructure(testPlan(indicators, { offices }));
  if (built.ok) throw new Error("accepted");
  return built.error;
};

describe("aggregating offices (汇总部门)", () => {
  it("collects units across categories without ranking or grading them as a group", () => {
    // One office collects A, B (dept) and E (district); another C and S. Grades and quotas stay the categories'.
    const offices: Plan["offices"] = [
      { code: "x", name: "市委县域办", units: ["A", "B", "E"] },
      { code: "y", name: "市发改委", units: ["C", "S"] },
    ];
    const withOffices = scorePlan(testPlan(indicators, { offices, grades }), rows);
    const without = scorePlan(testPlan(indicators, { grades }), rows);
    if (!withOffices.ok || !without.ok) throw new Error("scoring failed");
    const by = new Map(withOffices.value.units.map((u) => [u.unit, u]));
    expect(by.get("A")!.office).toEqual({ code: "x", name: "市委县域办", rank: null, rankOf: null });
    expect(by.get("S")!.office?.code).toBe("y");
    expect(by.get("D")!.office).toEqual({ code: null, name: null, rank: null, rankOf: null });
    // Ranks, grades and quotas are exactly those of the plan without offices.
    const strip = (run: typeof without.value) =>
      run.units.map(({ unit, rank, rankOf, grade, total }) => ({ unit, rank, rankOf, grade, total }));
    expect(strip(withOffices.value)).toEqual(strip(without.value));
    expect(withOffices.value.quotas).toEqual(without.value.quotas);
    // A plan without offices carries no office field at all: its runs are as they were.
    expect(without.value.units.every((u) => !("office" in u))).toBe(true);
  });

  it("ranks its units among themselves when the scheme says so (ranks: true), leaving grades alone", () => {
    const offices: Plan["offices"] = [
      { code: "x", name: "市委县域办", units: ["A", "B", "C", "E", "S"], ranks: true },
      { code: "y", name: "市发改委", units: ["D", "F"] },
    ];
    const run = scorePlan(testPlan(indicators, { offices, grades }), rows);
    if (!run.ok) throw new Error(run.error.message.en);
    const by = new Map(run.value.units.map((u) => [u.unit, u]));
    // E 95, A 90, B = C 80 (ties share the better place); S is standalone: collected, not ranked.
    expect([..."EABC"].map((u) => [by.get(u)!.office?.rank, by.get(u)!.office?.rankOf])).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [3, 4],
    ]);
    expect(by.get("S")!.office).toMatchObject({ code: "x", rank: null });
    expect(by.get("D")!.office).toMatchObject({ code: "y", rank: null });
    // Still graded within the categories: A first of dept, E first of district, both 优秀.
    expect([by.get("A")!.grade, by.get("E")!.grade, by.get("B")!.grade]).toEqual(["优秀", "优秀", "合格"]);
    expect([by.get("E")!.rank, by.get("E")!.rankOf]).toEqual([1, 2]);
  });

  it("may be a ranking category when the scheme says so (category)", () => {
    const built = buildPlanStructure(
      testPlan(indicators, { offices: [{ code: "qb", name: "区办", category: "district" }] }),
    );
    if (!built.ok) throw new Error(built.error.message.en);
    const { officeOf, unitIndex } = built.value;
    expect(["E", "F", "A"].map((u) => officeOf[unitIndex.get(u)!])).toEqual([0, 0, -1]);
  });

  it("refuses unknown units, a unit in two offices, unknown categories and offices without their units, naming the place", () => {
    expect(errorOf([{ code: "x", name: "市委县域办", units: ["A", "Z"] }])).toMatchObject({
      code: "UNKNOWN_UNIT",
      unit: "Z",
      message: {
        "zh-CN": "汇总部门 x（市委县域办）中的单位 Z 不在方案的单位列表中",
        en: "office x (市委县域办): unit Z is not a unit of the plan",
      },
    });
    expect(
      errorOf([
        { code: "x", name: "市委县域办", nameEn: "county office", units: ["A", "B"] },
        { code: "y", name: "市发改委", units: ["C", "B"] },
      ]),
    ).toMatchObject({
      code: "UNIT_IN_TWO_OFFICES",
      unit: "B",
      message: {
        "zh-CN":
          "单位 B 同时由汇总部门 x（市委县域办）和汇总部门 y（市发改委）汇总，一个单位只能由一个汇总部门汇总",
        en: "unit B is collected by two offices, office x (county office) and office y (市发改委): a unit has one office",
      },
    });
    expect(errorOf([{ code: "x", name: "区办", category: "town" }]).message["zh-CN"]).toBe(
      "汇总部门 x（区办）的类别 town 不存在",
    );
    expect(errorOf([{ code: "x", name: "区办" }]).code).toBe("OFFICE_UNITS");
    expect(errorOf([{ code: "x", name: "区办", units: ["A"], category: "dept" }]).code).toBe("OFFICE_UNITS");
    expect(
      errorOf([
        { code: "x", name: "甲", units: ["A"] },
        { code: "x", name: "乙", units: ["B"] },
      ]).code,
    ).toBe("DUPLICATE_OFFICE");
  });
});
