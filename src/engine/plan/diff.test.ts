import { describe, expect, it } from "vitest";
import { testPlan } from "./_fixtures.js";
import { diffPlans } from "./diff.js";
import type { IndicatorSpec, Plan } from "./schema.js";

const tree = (): IndicatorSpec[] => [
  {
    code: "P",
    name: "经济发展",
    points: 60,
    children: [
      { code: "a", name: "a", points: 20, rule: { type: "completion", floor: 0.6 }, target: 100 },
      { code: "b", name: "b", points: 40, rule: { type: "tiers", tiers: [{ threshold: 10, points: 40 }] } },
    ],
  },
  {
    code: "Q",
    name: "社会治理",
    points: 40,
    children: [{ code: "c", name: "c", points: 40, rule: { type: "mark" } }],
  },
];

const base = (): Plan => testPlan(tree(), { targets: { a: { A: 120 } } });

describe("diffPlans", () => {
  it("finds nothing between a plan and a copy of it", () => {
    const d = diffPlans(base(), structuredClone(base()));
    expect(d.same).toBe(true);
    expect(d).toMatchObject({
      tree: { added: [], removed: [], moved: [], changed: [] },
      rules: [],
      targets: [],
    });
  });

  it("names added, removed and moved nodes with their parents", () => {
    const b = base();
    const [p, q] = b.indicators as [IndicatorSpec, IndicatorSpec];
    // b moves from P to Q; a new d under P; c is removed.
    p.children = [p.children![0]!, { code: "d", name: "新指标", points: 40, rule: { type: "yesno" } }];
    q.children = [
      { code: "b", name: "b", points: 40, rule: { type: "tiers", tiers: [{ threshold: 10, points: 40 }] } },
    ];
    const d = diffPlans(base(), b);
    expect(d.same).toBe(false);
    expect(d.tree.added).toEqual([{ code: "d", name: "新指标", parent: "P" }]);
    expect(d.tree.removed).toEqual([{ code: "c", name: "c", parent: "Q" }]);
    expect(d.tree.moved).toEqual([{ code: "b", from: "P", to: "Q" }]);
    expect(d.rules).toEqual([]);
  });

  it("compares resolved points, so a change of weights shows as a change of points", () => {
    const a = testPlan([
      {
        code: "P",
        name: "P",
        points: 60,
        children: [
          { code: "x", name: "x", weight: 1, rule: { type: "mark" } },
          { code: "y", name: "y", weight: 2, rule: { type: "mark" } },
        ],
      },
    ]);
    const b = structuredClone(a);
    b.indicators[0]!.children![0]!.weight = 2;
    const d = diffPlans(a, b);
    expect(d.tree.changed).toEqual([
      { code: "x", field: "points", before: 20, after: 30 },
      { code: "x", field: "weight", before: 1, after: 2 },
      { code: "y", field: "points", before: 40, after: 30 },
    ]);
  });

  it("lists a rule's changed type and parameters by path", () => {
    const b = base();
    const p = b.indicators[0]!;
    p.children![0]!.rule = { type: "completion", floor: 0.5, bonusCap: 0.2 };
    p.children![1]!.rule = {
      type: "tiers",
      tiers: [
        { threshold: 12, points: 40 },
        { threshold: 5, points: 20 },
      ],
    };
    b.indicators[1]!.children![0]!.rule = { type: "expert", trim: 1 };
    const d = diffPlans(base(), b);
    expect(d.rules).toEqual([
      {
        code: "a",
        typeBefore: "completion",
        typeAfter: "completion",
        parameters: [
          { path: "bonusCap", before: null, after: 0.2 },
          { path: "floor", before: 0.6, after: 0.5 },
        ],
      },
      {
        code: "b",
        typeBefore: "tiers",
        typeAfter: "tiers",
        parameters: [
          { path: "tiers[0].threshold", before: 10, after: 12 },
          { path: "tiers[1].points", before: null, after: 20 },
          { path: "tiers[1].threshold", before: null, after: 5 },
        ],
      },
      {
        code: "c",
        typeBefore: "mark",
        typeAfter: "expert",
        parameters: [{ path: "trim", before: null, after: 1 }],
      },
    ]);
  });

  it("compares effective targets per unit and indicator (the unit's, else the indicator's)", () => {
    const b = base();
    b.targets = { a: { A: 120, B: 90 } };
    b.indicators[0]!.children![0]!.target = 110;
    const d = diffPlans(base(), b);
    // A keeps 120 (its own); B gets 90; every other unit follows the default 100 → 110.
    expect(d.targets.find((t) => t.unit === "A")).toBeUndefined();
    expect(d.targets.find((t) => t.unit === "B")).toEqual({
      indicator: "a",
      unit: "B",
      before: 100,
      after: 90,
    });
    expect(d.targets.filter((t) => t.after === 110).map((t) => t.unit)).toEqual(["C", "D", "E", "F", "S"]);
    expect(d.tree.changed).toEqual([]);
  });

  it("lists added and removed units, and category, name and 单列 changes", () => {
    const b = base();
    b.units = b.units.filter((u) => u.code !== "F").concat([{ code: "G", name: "单位G" }]);
    b.units.find((u) => u.code === "S")!.standalone = false;
    b.units.find((u) => u.code === "A")!.name = "单位甲";
    b.categories = [
      { code: "dept", name: "部门", units: ["B", "C", "D", "S"] },
      { code: "district", name: "区县", units: ["A", "E", "G"] },
    ];
    const d = diffPlans(base(), b);
    expect(d.units.added).toEqual([{ code: "G", name: "单位G" }]);
    expect(d.units.removed).toEqual([{ code: "F", name: "单位F" }]);
    expect(d.units.changed).toEqual([
      { code: "A", field: "category", before: ["dept"], after: ["district"] },
      { code: "A", field: "name", before: "单位A", after: "单位甲" },
      { code: "S", field: "category", before: [], after: ["dept"] },
      { code: "S", field: "standalone", before: true, after: false },
    ]);
    // Targets are compared over the units both versions have, never for a removed or added one.
    expect(d.targets).toEqual([]);
  });

  it("names the other parts of the document that changed, and ignores the version number", () => {
    const b = base();
    b.version = 2;
    b.grades = [{ code: "优秀", minScore: 90 }, { code: "合格" }];
    b.period = { key: "2022" };
    const d = diffPlans(base(), b);
    expect(d.other).toEqual(["grades", "period"]);
    expect(d.same).toBe(false);
  });

  it("works on a plan that does not build yet (the designer's draft), comparing the points as written", () => {
    const b = base();
    b.indicators[0]!.children![0]!.points = 25; // children now add up to 65, not 60
    const d = diffPlans(base(), b);
    expect(d.tree.changed).toContainEqual({ code: "a", field: "points", before: 20, after: 25 });
  });
});
