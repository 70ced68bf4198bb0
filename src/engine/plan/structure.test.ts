import { describe, expect, it } from "vitest";
import { testPlan } from "./_fixtures.js";
import { planSchema } from "./schema.js";
import { buildPlanStructure } from "./structure.js";

const leaf = (code: string, points?: number, weight?: number) => ({
  code,
  name: code,
  points,
  weight,
  rule: { type: "mark" as const },
});

describe("plan validation", () => {
  it("resolves points from weights and checks that sums add up", () => {
    const ok = buildPlanStructure(
      testPlan([
        { code: "P", name: "P", points: 60, children: [leaf("a", undefined, 1), leaf("b", undefined, 2)] },
      ]),
    );
    if (!ok.ok) throw new Error(ok.error.message.en);
    expect(ok.value.nodes.map((n) => n.points)).toEqual([60, 20, 40]);
    const bad = buildPlanStructure(
      testPlan([{ code: "P", name: "P", points: 60, children: [leaf("a", 20), leaf("b", 30)] }]),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toMatchObject({ code: "POINTS_DO_NOT_ADD_UP", indicator: "P" });
      expect(bad.error.message["zh-CN"]).toBe("指标 P：下级分值合计 50，不等于本项分值 60");
    }
    const total = buildPlanStructure(testPlan([leaf("a", 20)], { pointsTotal: 100 }));
    expect(!total.ok && total.error.message.en).toBe(
      "top-level points add up to 20, not the plan's pointsTotal 100",
    );
  });

  it("names the top level, not the plan's id as if it were an indicator, when top-level points and weights mix", () => {
    const mixed = buildPlanStructure(
      testPlan([leaf("a", 20), leaf("b", undefined, 1)], { pointsTotal: 100 }),
    );
    expect(mixed.ok).toBe(false);
    if (!mixed.ok) {
      expect(mixed.error.code).toBe("MIXED_POINTS");
      expect(mixed.error.message["zh-CN"]).toBe("一级指标要么都给分值，要么都给权重");
      expect(mixed.error.indicator).toBeUndefined();
    }
  });

  it("gives each node its lead department (牵头部门), inherited from the nearest node that names one", () => {
    const built = buildPlanStructure(
      testPlan([
        {
          code: "T",
          name: "人才工作",
          points: 30,
          lead: "rsj",
          children: [leaf("t1", 10), { ...leaf("t2", 20), lead: "kjj" }],
        },
        leaf("x", 10),
      ]),
    );
    if (!built.ok) throw new Error(built.error.message.en);
    expect(built.value.nodes.map((n) => [n.code, n.lead])).toEqual([
      ["T", "rsj"],
      ["t1", "rsj"],
      ["t2", "kjj"],
      ["x", undefined],
    ]);
    expect(planSchema.safeParse(testPlan([{ ...leaf("y", 10), lead: "" }])).success).toBe(false);
  });

  it("rejects a unit in two categories, a unit in none, and a quota above 100%", () => {
    const two = buildPlanStructure(
      testPlan([leaf("a", 10)], {
        categories: [
          { code: "c1", name: "1", units: ["A", "B", "C", "D", "E", "F"] },
          { code: "c2", name: "2", units: ["A"] },
        ],
      }),
    );
    expect(!two.ok && two.error.message.en).toBe("unit A is in two categories: c1 and c2");
    const none = buildPlanStructure(
      testPlan([leaf("a", 10)], { categories: [{ code: "c1", name: "1", units: ["A"] }] }),
    );
    expect(!none.ok && none.error.code).toBe("UNIT_WITHOUT_CATEGORY");
    const quota = buildPlanStructure(
      testPlan([leaf("a", 10)], { grades: [{ code: "优秀", quota: { share: 1.2 } }, { code: "合格" }] }),
    );
    expect(!quota.ok && quota.error.message["zh-CN"]).toBe("等次 优秀 的比例 120% 超过 100%");
  });

  it("rejects an unknown rule through the schema, with the path to the node", () => {
    const parsed = planSchema.safeParse(
      testPlan([{ code: "a", name: "a", points: 10, rule: { type: "magic" } as never }]),
    );
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["indicators", 0, "rule", "type"]);
  });

  it("needs a target for every unit of a completion rule, and names the unit", () => {
    const r = buildPlanStructure(
      testPlan([{ code: "a", name: "任务", points: 10, rule: { type: "completion" } }], {
        targets: { a: { A: 5 } },
      }),
    );
    expect(!r.ok && r.error.message["zh-CN"]).toBe("指标 a（任务）没有单位 B 的目标值");
  });

  it("other checks name the node: leaves without rules, tiers above the points, unknown references", () => {
    const noRule = buildPlanStructure(testPlan([{ code: "a", name: "a", points: 10 }]));
    expect(!noRule.ok && noRule.error).toMatchObject({ code: "MISSING_RULE", indicator: "a" });
    const tier = buildPlanStructure(
      testPlan([
        { code: "a", name: "a", points: 5, rule: { type: "tiers", tiers: [{ threshold: 1, points: 6 }] } },
      ]),
    );
    expect(!tier.ok && tier.error.code).toBe("TIER_OVER_POINTS");
    const veto = buildPlanStructure(
      testPlan([leaf("a", 10)], {
        grades: [{ code: "合格" }],
        vetoes: [{ code: "v", name: "v", grade: "不合格" }],
      }),
    );
    expect(!veto.ok && veto.error.code).toBe("UNKNOWN_GRADE");
    const last = buildPlanStructure(
      testPlan([leaf("a", 10)], { grades: [{ code: "优秀", minScore: 90, quota: { share: 0.2 } }] }),
    );
    expect(!last.ok && last.error.code).toBe("LAST_GRADE");
    expect(
      buildPlanStructure(testPlan([leaf("a", 10)], { grades: [{ code: "合格", minScore: 60 }] })).ok,
    ).toBe(true);
    const target = buildPlanStructure(testPlan([leaf("a", 10)], { targets: { a: { Z: 1 } } }));
    expect(!target.ok && target.error).toMatchObject({ code: "UNKNOWN_UNIT", unit: "Z", indicator: "a" });
    const baseline = buildPlanStructure(testPlan([leaf("a", 10)], { baselines: { b: { A: 1 } } }));
    expect(!baseline.ok && baseline.error.message["zh-CN"]).toBe("baselines 中的指标 b 不存在");
  });
});
