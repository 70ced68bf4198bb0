import { describe, expect, it } from "vitest";
import {
  applyScenario,
  type ScenarioChanges,
  scenarioChangesSchema,
  scoreOfficial,
} from "../src/engine/index.js";
import { exampleInputs } from "./helpers/example-inputs.js";

const { plan, rows } = exampleInputs();

function score(changes: ScenarioChanges) {
  const applied = applyScenario(plan, rows, scenarioChangesSchema.parse(changes));
  if (!applied.ok) throw new Error(applied.error.message.en);
  const scored = scoreOfficial(applied.value.plan, applied.value.rows);
  if (!scored.ok) throw new Error(`${scored.error.code}: ${scored.error.message.en}`);
  return { ...scored.value, applied: applied.value };
}
const official = score({});
const unit = (code: string) => plan.units.findIndex((u) => u.code === code);
const node = (s: ReturnType<typeof score>, code: string) =>
  s.tree.nodeScores[s.tree.structure.byCode.get(code)!]!;

describe("what-if scenarios (applyScenario)", () => {
  it("changes nothing without changes: the run's own numbers", () => {
    const direct = scoreOfficial(plan, rows);
    if (!direct.ok) throw new Error("example does not score");
    expect([...official.totals]).toEqual([...direct.value.totals]);
    expect(official.inputHash).toEqual(direct.value.inputHash);
  });

  it("a leaf's new points: its parent and the plan's total follow, and its score scales", () => {
    const s = score({ points: { A1: 30 } });
    const a = s.applied.plan.indicators.find((i) => i.code === "A")!;
    expect(a.points).toBe(65);
    expect(s.applied.plan.pointsTotal).toBe(105);
    const kjj = unit("kjj");
    expect(node(s, "A1")[kjj]).toBeCloseTo((node(official, "A1")[kjj] as number) * (30 / 25), 1);
    // The other indicators score as before.
    expect(node(s, "B")[kjj]).toBeCloseTo(node(official, "B")[kjj] as number, 9);
  });

  it("an internal node's new points scale its subtree, rules with their points included", () => {
    const s = score({ points: { B: 30 } });
    const b = s.applied.plan.indicators.find((i) => i.code === "B")!;
    expect(b.children!.reduce((sum, c) => sum + c.points!, 0)).toBeCloseTo(30, 9);
    for (let u = 0; u < plan.units.length; u++)
      expect(node(s, "B")[u]).toBeCloseTo((node(official, "B")[u] as number) * 1.5, 1);
  });

  it("a unit's value in place of the run's moves its score; null removes it", () => {
    const kjj = unit("kjj");
    const higher = score({ values: [{ unit: "kjj", indicator: "A1", period: "2022", value: 12 }] });
    expect(node(higher, "A1")[kjj]).toBeLessThan(node(official, "A1")[kjj] as number);
    const removed = score({ values: [{ unit: "kjj", indicator: "A1", period: "2022", value: null }] });
    expect(removed.missing[kjj]).toContain("A1");
    expect(removed.applied.rows.length).toBe(rows.length - 1);
  });

  it("a grade's quota share and line change who gets it", () => {
    const none = score({ grades: { 优秀: { share: 0 } } });
    expect(none.graded.grade.filter((g) => g === "优秀")).toHaveLength(0);
    expect(official.graded.grade.filter((g) => g === "优秀").length).toBeGreaterThan(0);
    const line = score({ grades: { 合格: { minScore: 101 } } });
    expect(line.applied.plan.grades!.find((g) => g.code === "合格")!.minScore).toBe(101);
  });

  it("refuses what the plan does not have, naming it", () => {
    const cases: [ScenarioChanges, string, string][] = [
      [{ points: { Z9: 5 } }, "SCENARIO_UNKNOWN_NODE", "Z9"],
      [{ weights: { Z9: 5 } }, "SCENARIO_UNKNOWN_NODE", "Z9"],
      [{ grades: { 特优: { share: 0.1 } } }, "SCENARIO_UNKNOWN_GRADE", "特优"],
      [
        { values: [{ unit: "nobody", indicator: "A1", period: "2022", value: 1 }] },
        "SCENARIO_UNKNOWN_UNIT",
        "nobody",
      ],
    ];
    for (const [changes, code, named] of cases) {
      const applied = applyScenario(plan, rows, changes);
      expect(applied.ok).toBe(false);
      if (!applied.ok) {
        expect(applied.error.code).toBe(code);
        expect(applied.error.message["zh-CN"]).toContain(named);
      }
    }
  });

  it("the schema bounds a scenario: no non-finite numbers, no endless lists", () => {
    expect(scenarioChangesSchema.safeParse({ points: { A1: Number.POSITIVE_INFINITY } }).success).toBe(false);
    expect(scenarioChangesSchema.safeParse({ points: { A1: -1 } }).success).toBe(false);
    expect(scenarioChangesSchema.safeParse({ extra: 1 }).success).toBe(false);
    const many = Array.from({ length: 10_001 }, () => ({
      unit: "kjj",
      indicator: "A1",
      period: "2022",
      value: 1,
    }));
    expect(scenarioChangesSchema.safeParse({ values: many }).success).toBe(false);
  });

  it("leaves the run's inputs as they were", () => {
    const before = JSON.stringify({ plan, rows });
    score({ points: { A1: 30, B: 10 }, weights: { C1: 2 }, grades: { 优秀: { share: 0.2 } } });
    expect(JSON.stringify({ plan, rows })).toBe(before);
  });
});
