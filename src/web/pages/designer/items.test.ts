import { describe, expect, it } from "vitest";
import { buildPlanStructure, type Plan } from "../../../engine/index.js";
import { checkPlan } from "./check";
import { addRow, freeItemCode, levelsText, parseLevels, removeRow, rowProblems, updateRow } from "./items";

const plan: Plan = {
  format: "kaohe-plan/1",
  id: "p",
  name: "p",
  period: { key: "2026" },
  units: [{ code: "a", name: "A" }],
  categories: [{ code: "x", name: "X", units: ["a"] }],
  indicators: [
    {
      code: "B1",
      name: "I",
      points: 100,
      children: [{ code: "I1", name: "I1", points: 100, rule: { type: "mark" } }],
    },
  ],
  grades: [{ code: "优秀", minScore: 90 }, { code: "合格" }],
};

describe("the plan's item tables", () => {
  it("adds rows the engine accepts, with codes no indicator or item has", () => {
    expect(freeItemCode(plan, "B")).toBe("B2");
    const bonus = addRow(plan, "bonus");
    expect(bonus).toEqual([{ code: "B2", name: "新加分项", levels: { 省级: 1 } }]);
    const more = { ...plan, bonus, penalties: addRow({ ...plan, bonus }, "penalties") };
    expect(more.penalties).toEqual([{ code: "P1", name: "新扣分项", perOccurrence: 1 }]);
    const full = { ...more, vetoes: addRow(more, "vetoes"), titles: addRow(more, "titles") };
    expect(full.vetoes).toEqual([{ code: "V1", name: "新否决项" }]);
    expect(full.titles).toEqual([{ code: "T1", name: "新称号", top: 1 }]);
    expect(buildPlanStructure(full).ok).toBe(true);
    expect(checkPlan(full).problems).toEqual([]);
  });

  it("patches a row, an undefined field leaving it; an emptied list is undefined", () => {
    const rows = [{ code: "P1", name: "x", perOccurrence: 2, cap: 5 }];
    expect(updateRow(rows, 0, { cap: undefined, name: "y" })).toEqual([
      { code: "P1", name: "y", perOccurrence: 2 },
    ]);
    expect(rows[0]!.cap).toBe(5);
    expect(removeRow(rows, 0)).toBeUndefined();
    expect(removeRow([...rows, { code: "P2", name: "z", perOccurrence: 1 }], 0)).toEqual([
      { code: "P2", name: "z", perOccurrence: 1 },
    ]);
  });

  it("reads 加分标准 written as level and points, and names the pair that is not", () => {
    expect(parseLevels("国家级 3，省级：2, 市级=0.5")).toEqual({
      ok: true,
      levels: { 国家级: 3, 省级: 2, 市级: 0.5 },
    });
    expect(levelsText({ 国家级: 3, 省级: 2 })).toBe("国家级 3，省级 2");
    expect(parseLevels(levelsText({ 国家级: 3, 省级: 2 }))).toEqual({
      ok: true,
      levels: { 国家级: 3, 省级: 2 },
    });
    expect(parseLevels("国家级 3，省级")).toEqual({ ok: false, bad: "省级" });
    expect(parseLevels("国家级 -1")).toEqual({ ok: false, bad: "国家级 -1" });
    expect(parseLevels("")).toEqual({ ok: true, levels: {} });
  });

  it("puts the engine's faults on the row at fault", () => {
    // A penalty with neither perOccurrence nor amount: the schema's issue, at penalties[1].
    const both = {
      ...plan,
      penalties: [
        { code: "P1", name: "ok", perOccurrence: 1 },
        { code: "P2", name: "bad" },
      ],
    } as Plan;
    const schema = checkPlan(both).problems;
    expect(rowProblems(schema, "penalties", 1, both.penalties![1]!).map((p) => p.path)).toEqual([
      "penalties[1].perOccurrence",
    ]);
    expect(rowProblems(schema, "penalties", 0, both.penalties![0]!)).toEqual([]);
    // A bonus adjusting an indicator that does not exist: the engine's fault, on that bonus.
    const node = { ...plan, bonus: [{ code: "B2", name: "b", levels: { 省级: 1 }, node: "NOPE" }] };
    const semantic = checkPlan(node).problems;
    expect(semantic.map((p) => p.code)).toEqual(["UNKNOWN_INDICATOR"]);
    expect(rowProblems(semantic, "bonus", 0, node.bonus[0]!)).toHaveLength(1);
    // A fault of the indicator a bonus adjusts is the indicator's, shown on its node, not on the bonus.
    const [top] = plan.indicators;
    const short = {
      ...plan,
      indicators: [{ ...top!, children: [{ ...top!.children![0]!, points: 50 }] }],
      bonus: [{ code: "B2", name: "b", levels: { 省级: 1 }, node: "B1" }],
    };
    const own = checkPlan(short).problems;
    expect(own.map((p) => p.indicator)).toContain("B1");
    expect(rowProblems(own, "bonus", 0, short.bonus[0]!)).toEqual([]);
    // A veto's trigger that is not among its levels: on the veto's row.
    const veto = {
      ...plan,
      vetoes: [{ code: "V1", name: "v", levels: ["好", "差"], triggeredBy: ["很差"] }],
    };
    const levels = checkPlan(veto).problems;
    expect(rowProblems(levels, "vetoes", 0, veto.vetoes[0]!).map((p) => p.code)).toEqual(["VETO_LEVELS"]);
    // A veto or a title naming a grade the plan does not have: on its own row, not on the others'.
    for (const wrong of [{ grade: "特优" }, { ineligible: ["特优"] }]) {
      const named = {
        ...plan,
        vetoes: [
          { code: "V1", name: "v" },
          { code: "V2", name: "w", ...wrong },
        ],
      };
      const found = checkPlan(named).problems;
      expect(rowProblems(found, "vetoes", 1, named.vetoes[1]!).map((p) => p.code)).toEqual(["UNKNOWN_GRADE"]);
      expect(rowProblems(found, "vetoes", 0, named.vetoes[0]!)).toEqual([]);
    }
    const titled = { ...plan, titles: [{ code: "先进单位", top: 1, requiresGrade: "特优" }] };
    const found = checkPlan(titled).problems;
    expect(rowProblems(found, "titles", 0, titled.titles[0]!).map((p) => p.code)).toEqual(["UNKNOWN_GRADE"]);
  });

  it("flags a lead department that is neither a unit, an organisation of the plan nor registered", () => {
    const led = {
      ...plan,
      indicators: [{ ...plan.indicators[0]!, lead: "tjj" }],
    };
    expect(checkPlan(led).problems.map((p) => [p.code, p.indicator])).toEqual([["UNKNOWN_LEAD", "B1"]]);
    expect(checkPlan(led, ["tjj"]).problems).toEqual([]);
    expect(checkPlan({ ...led, organisations: [{ code: "tjj", name: "统计局" }] }).problems).toEqual([]);
    expect(checkPlan({ ...led, indicators: [{ ...plan.indicators[0]!, lead: "a" }] }).problems).toEqual([]);
  });
});
