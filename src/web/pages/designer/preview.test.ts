import { describe, expect, it } from "vitest";
import type { Plan } from "../../../engine/index.js";
import { checkPlan, quotaLines } from "./check";
import { previewRule } from "./preview";

describe("a rule's preview, scored by the engine", () => {
  it("completion: 96% of the target is 9.6 of 10 points, full points from the target on", () => {
    const leaf = { code: "GDP", name: "GDP", points: 10, rule: { type: "completion" as const } };
    const p = previewRule(leaf, 10, 50, 48);
    if (!p.ok) throw new Error(p.error.message.en);
    expect(p.value.one?.points).toBeCloseTo(9.6, 9);
    expect(p.value.one?.text["zh-CN"]).toContain("完成率 96.0%");
    expect(p.value.peers).toBeNull();
    for (const { x, points } of p.value.curve) expect(points).toBeCloseTo(x >= 50 ? 10 : (10 * x) / 50, 9);
  });

  it("tiers: each actual scores the first tier it reaches", () => {
    const tiers = [
      { threshold: 90, points: 5 },
      { threshold: 60, points: 3 },
    ];
    const leaf = { code: "T", name: "T", points: 5, rule: { type: "tiers" as const, tiers } };
    const p = previewRule(leaf, 5, undefined, 75);
    if (!p.ok) throw new Error(p.error.message.en);
    expect(p.value.one?.points).toBe(3);
    for (const { x, points } of p.value.curve) expect(points).toBe(x >= 90 ? 5 : x >= 60 ? 3 : 0);
  });

  it("an adjustment leaf with 适用单位 is tried on the sample units all the same", () => {
    const leaf = {
      code: "X",
      name: "X",
      points: 2,
      adjustment: true,
      appliesTo: ["kjj"],
      rule: { type: "yesno" as const },
    };
    const p = previewRule(leaf, 2, undefined, 1);
    if (!p.ok) throw new Error(p.error.message.en);
    expect(p.value.one?.points).toBe(2);
  });

  it("peers: a rank rule is drawn by place; an out-of-range external rank is the engine's refusal", () => {
    const leaf = {
      code: "R",
      name: "R",
      points: 10,
      rule: { type: "rank" as const, source: "peers" as const, step: { points: 1 } },
    };
    const p = previewRule(leaf, 10, undefined, null);
    if (!p.ok) throw new Error(p.error.message.en);
    expect(p.value.axis).toBe("place");
    expect(p.value.curve.map((c) => c.points)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const ext = {
      code: "E",
      name: "E",
      points: 10,
      rule: { type: "rank" as const, source: "external" as const, table: { top: [3, 2, 1], of: 5 } },
    };
    const bad = previewRule(ext, 10, undefined, 9);
    expect(bad.ok).toBe(false);
  });
});

describe("checks and quotas", () => {
  const plan: Plan = {
    format: "kaohe-plan/1",
    id: "p",
    name: "p",
    period: { key: "2026" },
    units: ["a", "b", "c", "d", "e", "f", "g", "x"].map((code) => ({
      code,
      name: code,
      ...(code === "x" ? { standalone: true } : {}),
    })),
    categories: [{ code: "all", name: "全部", units: ["a", "b", "c", "d", "e", "f", "g"] }],
    indicators: [
      {
        code: "A",
        name: "A",
        points: 100,
        children: [
          { code: "A1", name: "A1", points: 60, target: 5, rule: { type: "completion" } },
          { code: "A2", name: "A2", points: 30, target: 5, rule: { type: "completion" } },
        ],
      },
    ],
    grades: [{ code: "优秀", quota: { share: 0.3 } }, { code: "良好" }],
  };

  it("places the engine's fault on its node, and every schema issue on its own", () => {
    const sums = checkPlan(plan);
    expect(sums.problems).toHaveLength(1);
    expect(sums.problems[0]).toMatchObject({ code: "POINTS_DO_NOT_ADD_UP", indicator: "A" });
    expect(sums.problems[0]!.message["zh-CN"]).toContain("下级分值合计 90");
    const broken = structuredClone(plan) as unknown as {
      indicators: { children: Record<string, unknown>[] }[];
    };
    broken.indicators[0]!.children[1]!.points = -1;
    broken.indicators[0]!.children[0]!.rule = { type: "completion", floor: -2 };
    const issues = checkPlan(broken as unknown as Plan).problems;
    expect(issues.map((p) => p.indicator).sort()).toEqual(["A1", "A2"]);
    expect(issues.map((p) => p.path).sort()).toEqual([
      "indicators[0].children[0].rule.floor",
      "indicators[0].children[1].points",
    ]);
    const fixed = structuredClone(plan);
    fixed.indicators[0]!.children![1]!.points = 40;
    expect(checkPlan(fixed).problems).toEqual([]);
  });

  it("works out each grade's quota with the engine's arithmetic, 单列 units not counted", () => {
    const lines = quotaLines(plan);
    expect(lines[0]).toMatchObject({ grade: "优秀", size: 7, limit: 2 });
    expect(lines[0]!.rule["zh-CN"]).toBe("7 × 30% = 2.1，向下取整为 2 个");
    expect(lines[1]!.limit).toBe(Number.POSITIVE_INFINITY);
  });
});
