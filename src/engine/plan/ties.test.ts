import { describe, expect, it } from "vitest";
import { rowsOf, testPlan } from "./_fixtures.js";
import type { DataRow } from "./data.js";
import type { IndicatorSpec, Plan } from "./schema.js";
import { type ScoringRun, scorePlan } from "./score.js";
import { buildSensitivityModel } from "./sensitivity.js";

/** 营商环境 30: two marks (out of their points) by 发改委 (fgw), one of which must spread the units (拉开档次). */
const business = (noTies: "drop" | "flag" | undefined, combine?: "weighted"): IndicatorSpec => ({
  code: "BIZ",
  name: "营商环境",
  nameEn: "business climate",
  points: 30,
  lead: "fgw",
  ...(combine ? { combine } : {}),
  children: [
    {
      code: "SVC",
      name: "政务服务",
      points: 20,
      ...(combine ? { weight: 0.5 } : {}),
      rule: { type: "mark", markMax: 20 },
    },
    {
      code: "SAT",
      name: "企业满意度",
      nameEn: "business satisfaction",
      points: 10,
      ...(combine ? { weight: 0.5 } : {}),
      ...(noTies ? { noTies } : {}),
      rule: { type: "mark", markMax: 10 },
    },
  ],
});
const party: IndicatorSpec = { code: "PARTY", name: "党建", points: 70, rule: { type: "mark" } };
const plan = (noTies: "drop" | "flag" | undefined, combine?: "weighted"): Plan =>
  testPlan([business(noTies, combine), party], { pointsTotal: 100 });

const rows = (sat: Record<string, number>): DataRow[] => [
  ...rowsOf("SVC", { A: 16, B: 18, C: 20 }),
  ...rowsOf("SAT", sat),
  ...rowsOf("PARTY", { A: 70, B: 63, C: 56 }),
];
const tied = rows({ A: 8, B: 8, C: 9 });

function score(p: Plan, data: DataRow[]): ScoringRun {
  const run = scorePlan(p, data);
  if (!run.ok) throw new Error(run.error.message.en);
  return run.value;
}
const unit = (run: ScoringRun, code: string) => run.units.find((u) => u.unit === code)!;

describe("ties from one scoring department (拉开档次, noTies)", () => {
  it("drop: the tied indicator leaves the annual total and its parent is rescaled to its other items", () => {
    const run = score(plan("drop"), tied);
    // BIZ = 30 × SVC's share alone: A 16/20 → 24, B 18/20 → 27, C 20/20 → 30 (SAT's 8, 8, 9 count nowhere).
    expect([unit(run, "A").scores.BIZ, unit(run, "B").scores.BIZ, unit(run, "C").scores.BIZ]).toEqual([
      24, 27, 30,
    ]);
    expect(unit(run, "A").scores.SAT).toBe(8);
    expect(unit(run, "A").total).toBe(73); // 24 + 党建 70% of 70
    expect(run.breaches).toEqual([
      {
        code: "LEAD_TIED_SCORES",
        lead: "fgw",
        indicator: "SAT",
        consequence: "drop",
        applied: "drop",
        ties: [{ points: 8, units: ["A", "B"] }],
        message: {
          "zh-CN":
            "牵头部门 fgw 对指标 SAT（企业满意度）给出相同得分（A、B 8 分），未拉开档次：本项不计入年度总分，上级 BIZ 按其余下级指标的得分率折算",
          en: "lead department fgw gave tied scores on indicator SAT (business satisfaction): A, B 8 points: the indicator leaves the annual total and its parent BIZ is rescaled to its other items",
        },
      },
    ]);
    expect(run.warnings.map((w) => w.code)).toEqual(["LEAD_TIED_SCORES"]);
    // Both languages in the trace: the leaf says what happened, for every unit (C was not tied).
    const sat = unit(run, "C").trace[0]!.children![1]!;
    expect(sat.text["zh-CN"]).toContain("未拉开档次：本项不计入年度总分");
    expect(sat.text.en).toContain("the indicator leaves the annual total");
    expect(unit(run, "C").trace[0]!.text["zh-CN"]).toBe(
      "按权重折算：（SVC 得分率 100.0% × 权重 20） ÷ 权重合计 20 = 100.0%，乘以本项分值 30，得 30 分（满分 30 分）",
    );
  });

  it("drop under a weighted parent: its other items' weights alone", () => {
    const run = score(plan("drop", "weighted"), tied);
    expect(unit(run, "B").scores.BIZ).toBe(27);
  });

  it("flag: scores stand, the office is told and the breach recorded", () => {
    const flagged = score(plan("flag"), tied);
    const unmarked = score(plan(undefined), tied);
    expect(flagged.units.map((u) => u.total)).toEqual(unmarked.units.map((u) => u.total));
    expect(unit(flagged, "A").scores.BIZ).toBe(24); // 16 + 8
    expect(flagged.breaches?.[0]).toMatchObject({ consequence: "flag", applied: "flag", lead: "fgw" });
    expect(flagged.breaches?.[0]?.message.en).toContain("flagged for the assessment office");
  });

  it("no tie, no breach: the run is the run without noTies, byte for byte but the plan's hash", () => {
    const spread = rows({ A: 8, B: 7, C: 9 });
    const marked = score(plan("drop"), spread);
    const unmarked = score(plan(undefined), spread);
    expect(marked.breaches).toBeUndefined();
    expect(JSON.stringify({ ...marked, inputHash: null })).toBe(
      JSON.stringify({ ...unmarked, inputHash: null }),
    );
  });

  it("units without data are no tie; equal points to 1e-9 are one", () => {
    expect(score(plan("drop"), rows({ A: 8, C: 9 })).breaches).toBeUndefined();
    const close = score(plan("flag"), rows({ A: 0.1 + 0.2, B: 0.3, C: 9 }));
    expect(close.breaches?.[0]?.ties).toEqual([{ points: 0.3, units: ["A", "B"] }]);
  });

  it("a drop that would leave a parent no item is flagged instead, and says why", () => {
    const lone: IndicatorSpec = {
      code: "BIZ",
      name: "营商环境",
      points: 30,
      lead: "fgw",
      children: [
        { code: "SAT", name: "企业满意度", points: 30, noTies: "drop", rule: { type: "mark", markMax: 30 } },
      ],
    };
    const run = score(testPlan([lone, party]), [
      ...rowsOf("SAT", { A: 20, B: 20 }),
      ...rowsOf("PARTY", { A: 70, B: 63 }),
    ]);
    expect(unit(run, "A").scores.BIZ).toBe(20);
    expect(run.breaches?.[0]).toMatchObject({ consequence: "drop", applied: "flag" });
    expect(run.breaches?.[0]?.message["zh-CN"]).toContain("上级 BIZ 无其他下级指标可折算，本项仍计分");
  });

  it("sensitivity analysis scores the dropped leaf nowhere, as the run does", () => {
    // A's 10 on SAT put it first; with SAT dropped B is first (BIZ: A 18, B 21, C 19.5).
    const data = [
      ...rowsOf("SVC", { A: 12, B: 14, C: 13 }),
      ...rowsOf("SAT", { A: 10, B: 2, C: 2 }),
      ...rowsOf("PARTY", { A: 60, B: 60, C: 60 }),
    ];
    const run = score(plan("drop"), data);
    expect(["A", "B", "C"].map((c) => unit(run, c).rank)).toEqual([3, 1, 2]);
    const model = buildSensitivityModel(plan("drop"), data, { weights: 0.1 });
    if (!model.ok) throw new Error(model.error.message.en);
    expect([...model.value.nominalRank]).toEqual(run.units.map((u) => u.rank ?? Number.NaN));
  });

  it("noTies needs a lead department, a parent and a leaf; refused by name in both languages", () => {
    const cases: IndicatorSpec[] = [
      { ...business("drop"), lead: undefined } as IndicatorSpec,
      { code: "TOP", name: "顶层", points: 30, lead: "fgw", noTies: "flag", rule: { type: "mark" } },
      { ...business(undefined), noTies: "flag" },
    ];
    for (const spec of cases) {
      const run = scorePlan(testPlan([spec, party]), []);
      expect(run.ok).toBe(false);
      if (run.ok) continue;
      expect(run.error.code).toBe("NO_TIES_NODE");
      expect(run.error.message["zh-CN"]).toMatch(/^指标 (SAT|TOP|BIZ)：拉开档次（noTies）/);
      expect(run.error.message.en).toMatch(/^indicator (SAT|TOP|BIZ): noTies belongs on a leaf/);
    }
  });
});
