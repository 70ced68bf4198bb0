import { describe, expect, it } from "vitest";
import { testPlan } from "./_fixtures.js";
import type { DataRow } from "./data.js";
import type { IndicatorSpec, Plan } from "./schema.js";
import { scorePlan } from "./score.js";
import { buildPlanStructure } from "./structure.js";
import { valueProblem } from "./value-rules.js";

const row = (indicator: string, value: number, extra: Partial<DataRow> = {}): DataRow => ({
  unit: "A",
  indicator,
  period: "2022",
  value,
  ...extra,
});

/** The error a single value gets through the one value rule, or null when accepted. */
function problem(plan: Plan, indicator: string, value: number, unit = "A") {
  const built = buildPlanStructure(plan);
  if (!built.ok) throw new Error(built.error.message.en);
  const s = built.value;
  return valueProblem(s, s.byCode.get(indicator)!, s.unitIndex.get(unit)!, value);
}

const markLeaf = (code: string, points: number, extra: Partial<IndicatorSpec> = {}): IndicatorSpec => ({
  code,
  name: `评分${code}`,
  points,
  rule: { type: "mark", markMax: points },
  ...extra,
});

describe("value rules (数值规则)", () => {
  it("a mark above its item's full marks is refused, not capped (25 of 20, 33 of 30)", () => {
    const plan = testPlan([markLeaf("m20", 20), markLeaf("m30", 30)]);
    const over = problem(plan, "m20", 25)!;
    expect(over.code).toBe("MARK_OUT_OF_RANGE");
    expect(over.message["zh-CN"]).toBe(
      "单位 A 的指标 m20（评分m20）：评分应在 0 到 20 之间，不是 25（超出的评分不会按满分计，须更正）",
    );
    expect(over).toMatchObject({ unit: "A", indicator: "m20", value: 25 });
    expect(problem(plan, "m30", 33)?.code).toBe("MARK_OUT_OF_RANGE");
    expect(problem(plan, "m30", 30)).toBeNull();
    // Scoring refuses it as well, at its row; before, 25 of 20 silently scored the full 20.
    const run = scorePlan(plan, [row("m20", 25, { row: 4 })]);
    expect(!run.ok && run.error.row).toBe(4);
    expect(!run.ok && run.error.message.en).toBe(
      "unit A, indicator m20 (评分m20): a mark is from 0 to 20, not 25 (it is refused, not capped: correct it)",
    );
  });

  it("an indicator's own range and decimals", () => {
    const leaf: IndicatorSpec = {
      code: "rate",
      name: "达标率",
      points: 10,
      target: 90,
      rule: { type: "completion" },
      values: { min: 0, max: 100, decimals: 1 },
    };
    const plan = testPlan([leaf]);
    expect(problem(plan, "rate", 100)).toBeNull();
    expect(problem(plan, "rate", 95.5)).toBeNull();
    expect(problem(plan, "rate", 0.1 + 0.2)).toBeNull(); // 0.30000000000000004 is 0.3 as typed
    const high = problem(plan, "rate", 101)!;
    expect(high.code).toBe("VALUE_OUT_OF_RANGE");
    expect(high.message.en).toBe("unit A, indicator rate (达标率): the value is from 0 to 100, not 101");
    expect(problem(plan, "rate", -1)?.code).toBe("VALUE_OUT_OF_RANGE");
    const fine = problem(plan, "rate", 95.25)!;
    expect(fine.code).toBe("TOO_MANY_DECIMALS");
    expect(fine.message["zh-CN"]).toBe(
      "单位 A 的指标 rate（达标率）：最多 1 位小数，不是 95.25（本项数值规则）",
    );
    // A bound on one side only.
    const atLeast = testPlan([{ ...leaf, values: { min: 0 } }]);
    expect(problem(atLeast, "rate", 1e6)).toBeNull();
    expect(problem(atLeast, "rate", -2)?.message["zh-CN"]).toBe(
      "单位 A 的指标 rate（达标率）：数值应不小于 0，不是 -2",
    );
  });

  it("precision by the plan: marks of items of 5 points or less may carry decimals, of 10 or more are whole", () => {
    const plan = testPlan([markLeaf("small", 5), markLeaf("mid", 8), markLeaf("big", 10)], {
      markDecimals: [
        { maxPoints: 5, decimals: 2 },
        { minPoints: 10, decimals: 0 },
      ],
      pointsTotal: 23,
    });
    expect(problem(plan, "small", 4.25)).toBeNull();
    expect(problem(plan, "small", 4.255)?.code).toBe("TOO_MANY_DECIMALS");
    expect(problem(plan, "mid", 7.125)).toBeNull(); // between the entries: any precision
    expect(problem(plan, "big", 9)).toBeNull();
    const big = problem(plan, "big", 8.5)!;
    expect(big.code).toBe("TOO_MANY_DECIMALS");
    expect(big.message["zh-CN"]).toBe(
      "单位 A 的指标 big（评分big）：须为整数，不是 8.5（方案 markDecimals：分值 10 分及以上的指标，本项 10 分）",
    );
    expect(big.message.en).toBe(
      "unit A, indicator big (评分big): must be a whole number, not 8.5 (the plan's markDecimals for indicators worth 10 points or more; this one is worth 10)",
    );
    // An indicator's own decimals come before the plan's rule; other rules' values are not marks.
    const own = testPlan([markLeaf("big", 10, { values: { decimals: 1 } })], {
      markDecimals: [{ minPoints: 10, decimals: 0 }],
    });
    expect(problem(own, "big", 8.5)).toBeNull();
    const completion = testPlan(
      [{ code: "c", name: "产值", points: 10, target: 5, rule: { type: "completion" } }],
      {
        markDecimals: [{ minPoints: 10, decimals: 0 }],
      },
    );
    expect(problem(completion, "c", 4.75)).toBeNull();
  });

  it("expert marks: the plan's precision and the rule's scale", () => {
    const leaf: IndicatorSpec = { code: "x", name: "党建", points: 20, rule: { type: "expert", trim: 0 } };
    const plan = testPlan([leaf], { markDecimals: [{ minPoints: 10, decimals: 0 }] });
    const run = scorePlan(plan, [row("x", 18.5, { reviewer: "R1", row: 2 })]);
    expect(!run.ok && run.error.code).toBe("TOO_MANY_DECIMALS");
    expect(scorePlan(plan, [row("x", 18, { reviewer: "R1" })]).ok).toBe(true);
  });

  it("ranks are whole places from 1, and yes/no values 0 or 1, through the same rule", () => {
    const plan = testPlan([
      {
        code: "r",
        name: "位次",
        points: 5,
        dataType: "rank",
        rule: { type: "rank", source: "peers", step: { points: 1 } },
      },
      { code: "y", name: "是否", points: 5, rule: { type: "yesno" } },
    ]);
    expect(problem(plan, "r", 2.5)?.code).toBe("BAD_RANK");
    expect(problem(plan, "r", 0)?.code).toBe("BAD_RANK");
    expect(problem(plan, "r", 3)).toBeNull();
    expect(problem(plan, "y", 0.5)?.code).toBe("BAD_YESNO");
    expect(problem(plan, "y", 1)).toBeNull();
  });

  it("a plan whose value rules contradict themselves or the scale is refused, naming the node", () => {
    const refused = (plan: Plan) => {
      const built = buildPlanStructure(plan);
      if (built.ok) throw new Error("accepted");
      return built.error;
    };
    const wide = refused(testPlan([markLeaf("m", 20, { values: { max: 25 } })]));
    expect(wide.code).toBe("VALUE_RULE");
    expect(wide.message["zh-CN"]).toBe("指标 m：评分的允许范围 0 到 25 超出评分满分 0 到 20");
    const upsideDown = refused(
      testPlan([
        {
          code: "c",
          name: "产值",
          points: 10,
          target: 5,
          rule: { type: "completion" },
          values: { min: 5, max: 1 },
        },
      ]),
    );
    expect(upsideDown.message.en).toBe("indicator c: the value rule's min 5 is above its max 1");
    const onParent = refused(
      testPlan([{ code: "p", name: "汇总", points: 20, values: { max: 1 }, children: [markLeaf("m", 20)] }]),
    );
    expect(onParent).toMatchObject({ code: "VALUE_RULE", indicator: "p" });
  });
});

describe("适用单位 (appliesTo): an adjustment leaf for some units only", () => {
  const provincial = (extra: Partial<IndicatorSpec> = {}): IndicatorSpec => ({
    code: "p",
    name: "省级指标",
    adjustment: true,
    appliesTo: ["A"],
    points: 1,
    rule: { type: "tiers", tiers: [{ threshold: 2, points: 1 }] },
    ...extra,
  });
  const plan = (leaf: IndicatorSpec) =>
    testPlan([{ code: "T", name: "职能工作", points: 20, children: [markLeaf("m", 20), leaf] }]);

  it("takes the values of the units it names and refuses another unit's, naming both", () => {
    expect(problem(plan(provincial()), "p", 3, "A")).toBeNull();
    const refused = problem(plan(provincial()), "p", 3, "B")!;
    expect(refused.code).toBe("NOT_APPLICABLE");
    expect(refused.message["zh-CN"]).toBe(
      "单位 B 的指标 p（省级指标）：本指标不适用于该单位（适用单位 appliesTo 中没有它），不能填报",
    );
    const run = scorePlan(plan(provincial()), [row("m", 15), row("p", 3, { unit: "B", row: 7 })]);
    expect(run.ok).toBe(false);
  });

  it("adds its points to the units it applies to, and nothing (no rescaling) to the others", () => {
    const rows = ["A", "B", "C", "D", "E", "F", "S"].map((unit) => row("m", 15, { unit }));
    const run = scorePlan(plan(provincial()), [...rows, row("p", 3)]);
    if (!run.ok) throw new Error(run.error.message.en);
    const total = (unit: string) => run.value.units.find((u) => u.unit === unit)!.total;
    expect(total("A")).toBe(16);
    expect(total("B")).toBe(15);
  });

  it("asks a target only of the units it applies to", () => {
    const completion = provincial({ rule: { type: "completion" }, points: 2 });
    const built = buildPlanStructure(plan(completion));
    expect(built.ok).toBe(false); // A has no target
    const withTarget = buildPlanStructure({ ...plan(completion), targets: { p: { A: 10 } } });
    expect(withTarget.ok).toBe(true);
  });

  it("belongs on an adjustment leaf naming units of the plan", () => {
    const within = buildPlanStructure(plan(provincial({ adjustment: false, points: 5 })));
    expect(within.ok ? null : within.error).toMatchObject({ code: "APPLIES_TO_NODE", indicator: "p" });
    const stranger = buildPlanStructure(plan(provincial({ appliesTo: ["A", "Z"] })));
    expect(stranger.ok ? null : stranger.error).toMatchObject({ code: "UNKNOWN_UNIT", unit: "Z" });
  });
});
