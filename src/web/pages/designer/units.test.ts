import { describe, expect, it } from "vitest";
import { buildPlanStructure, type Plan } from "../../../engine/index.js";
import { assignUnit, board, placeUnit, setStandalone } from "./units";

const plan: Plan = {
  format: "kaohe-plan/1",
  id: "p",
  name: "p",
  period: { key: "2026" },
  units: [
    { code: "a", name: "A" },
    { code: "b", name: "B" },
  ],
  categories: [
    { code: "x", name: "X", units: ["a", "b"] },
    { code: "y", name: "Y", units: [] },
  ],
  indicators: [{ code: "I", name: "I", points: 100, rule: { type: "mark" } }],
};

describe("units and categories", () => {
  it("moves a unit to one category only, or to none", () => {
    const moved = { ...plan, ...assignUnit(plan, "b", "y") };
    expect(moved.categories.map((c) => c.units)).toEqual([["a"], ["b"]]);
    expect(buildPlanStructure(moved).ok).toBe(true);
    const none = { ...plan, ...assignUnit(moved, "b", null) };
    expect(none.categories.map((c) => c.units)).toEqual([["a"], []]);
    // In no category and not 单列: the engine refuses it.
    expect(buildPlanStructure(none).ok).toBe(false);
  });

  it("makes a unit 单列 out of its category, and back without the flag", () => {
    const alone = { ...plan, ...setStandalone(plan, "a", true) };
    expect(alone.units[0]).toEqual({ code: "a", name: "A", standalone: true });
    expect(alone.categories[0]!.units).toEqual(["b"]);
    expect(buildPlanStructure(alone).ok).toBe(true);
    const back = setStandalone(alone, "a", false);
    expect(back.units[0]).toEqual({ code: "a", name: "A" });
  });
});

describe("the categories board", () => {
  it("drops a unit into a category, out of all, or 单列, and back into one", () => {
    const alone = placeUnit(plan, "a", "standalone");
    expect(board(alone)).toEqual([
      { category: "x", standalone: false, units: ["b"] },
      { category: "y", standalone: false, units: [] },
      { category: null, standalone: false, units: [] },
      { category: null, standalone: true, units: ["a"] },
    ]);
    const back = { ...plan, ...placeUnit(alone, "a", { category: "y" }) };
    expect(back.units[0]).toEqual({ code: "a", name: "A" });
    expect(back.categories.map((c) => c.units)).toEqual([["b"], ["a"]]);
    expect(buildPlanStructure(back).ok).toBe(true);
    const none = placeUnit(back, "a", "none");
    expect(board(none)[2]).toEqual({ category: null, standalone: false, units: ["a"] });
  });
});
