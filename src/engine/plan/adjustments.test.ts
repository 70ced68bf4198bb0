import { describe, expect, it } from "vitest";
import { rowsOf, testPlan } from "./_fixtures.js";
import type { DataRow } from "./data.js";
import type { IndicatorSpec, Plan } from "./schema.js";
import { type ScoringRun, scorePlan } from "./score.js";
import { buildSensitivityModel, runSensitivity } from "./sensitivity.js";
import { buildPlanStructure } from "./structure.js";

/** 全省位次 1st..5th +5..+1, last..5th from last -5..-1, of 11: points outside full marks. */
const rankTable = (code: string, name = "GDP增速全省位次"): IndicatorSpec => ({
  code,
  name,
  nameEn: "provincial rank of GDP growth",
  adjustment: true,
  dataType: "rank",
  rule: {
    type: "rank",
    source: "external",
    table: { top: [5, 4, 3, 2, 1], bottom: [-5, -4, -3, -2, -1], of: 11 },
  },
});

const economy = (extra: IndicatorSpec[] = [rankTable("GDP_RANK")]): IndicatorSpec => ({
  code: "ECON",
  name: "经济发展",
  nameEn: "economy",
  points: 30,
  children: [
    { code: "GDP", name: "GDP增速", points: 20, target: 100, rule: { type: "completion" } },
    { code: "INV", name: "投资", points: 10, target: 50, rule: { type: "completion" } },
    ...extra,
  ],
});
const party: IndicatorSpec = { code: "PARTY", name: "党建", points: 70, rule: { type: "mark" } };

const rows: DataRow[] = [
  ...rowsOf("GDP", { A: 100, B: 90 }),
  ...rowsOf("INV", { A: 50, B: 50 }),
  ...rowsOf("GDP_RANK", { A: 1, B: 11 }),
  ...rowsOf("PARTY", { A: 80, B: 90 }),
];

function score(plan: Plan, data: DataRow[] = rows): ScoringRun {
  const run = scorePlan(plan, data);
  if (!run.ok) throw new Error(run.error.message.en);
  return run.value;
}
const unit = (run: ScoringRun, code: string) => run.units.find((u) => u.unit === code)!;

describe("adjustments at any node, outside full marks (加减分)", () => {
  it("a rank table inside a node adds to its score before its parent, not to its full marks", () => {
    const plan = testPlan([economy(), party], { pointsTotal: 100 });
    // Full marks stay 100 (they read 105 when the rank table was a top-level 5-point indicator).
    const built = buildPlanStructure(plan);
    expect(built.ok && built.value.maxBase).toBe(100);
    const run = score(plan);
    const a = unit(run, "A");
    const b = unit(run, "B");
    expect([a.scores.ECON, b.scores.ECON]).toEqual([35, 23]); // 30 + 5, 28 - 5
    expect([a.total, b.total]).toEqual([91, 86]); // 35 + 56, 23 + 63
    expect([a.bonus, a.penalty]).toEqual([0, 0]); // not a bonus on the total
    const econ = a.trace[0]!;
    expect(econ.max).toBe(30);
    expect(econ.text["zh-CN"]).toBe(
      "各项得分合计，为 30 分；加减分：GDP_RANK GDP增速全省位次 +5 分，得 35 分（满分 30 分，加减分不计入满分）",
    );
    expect(b.trace[0]!.text.en).toBe(
      "sum of its items: 28 points; adjustments: GDP_RANK provincial rank of GDP growth -5: 23 of 30 points (adjustments outside full marks)",
    );
    // The adjustment at its node: marked, and read as points added rather than "5 of 0".
    const rank = econ.children!.find((c) => c.node === "GDP_RANK")!;
    expect(rank).toMatchObject({ adjustment: true, points: 5, max: 0 });
    expect(rank.text["zh-CN"]).toBe("第 1 位，加减分 +5 分（不计入满分）");
    expect(rank.text.en).toBe("ranked 1: adjustment +5 (outside full marks)");
  });

  it("under a weighted parent the adjusted score is weighted in (a share above 100% is kept)", () => {
    const plan = testPlan([
      {
        code: "T",
        name: "综合",
        points: 100,
        combine: "weighted",
        children: [
          {
            code: "I",
            name: "指标得分",
            points: 345,
            weight: 0.7,
            children: [
              { code: "I1", name: "指标", points: 345, rule: { type: "mark", markMax: 345 } },
              rankTable("I_RANK"),
            ],
          },
          { code: "E", name: "评价", points: 100, weight: 0.3, rule: { type: "mark" } },
        ],
      },
    ]);
    const run = score(plan, [
      ...rowsOf("I1", { A: 276, B: 345 }),
      ...rowsOf("I_RANK", { A: 2, B: 1 }),
      ...rowsOf("E", { A: 90, B: 100 }),
    ]);
    const a = unit(run, "A");
    expect(a.scores.I).toBe(280); // 276 + 4
    expect(a.total).toBeCloseTo(100 * (0.7 * (280 / 345) + 0.3 * 0.9), 9);
    // Full marks and the rank table together: over 100, as the scheme says (outside full marks).
    expect(unit(run, "B").total).toBeCloseTo(100 * (0.7 * (350 / 345) + 0.3), 9);
    expect(a.trace[0]!.children![0]!.text["zh-CN"]).toBe(
      "各项得分合计，为 276 分；加减分：I_RANK GDP增速全省位次 +4 分，得 280 分（满分 345 分，加减分不计入满分）",
    );
  });

  it("at the top level, an adjustment goes to the total without counting in full marks", () => {
    const plan = testPlan([economy([]), party, rankTable("RANK", "全省综合位次")], { pointsTotal: 100 });
    const built = buildPlanStructure(plan);
    expect(built.ok && built.value.maxBase).toBe(100);
    const run = score(
      plan,
      rows.map((r) => (r.indicator === "GDP_RANK" ? { ...r, indicator: "RANK" } : r)),
    );
    expect([unit(run, "A").total, unit(run, "B").total]).toEqual([91, 86]);
    expect(unit(run, "A").trace[2]).toMatchObject({ node: "RANK", adjustment: true, points: 5 });
  });

  it("bonus and penalty items may name the node they adjust, before it is weighted into its parent", () => {
    const plan = testPlan([economy([]), party], {
      bonus: [{ code: "award", name: "争先创优", levels: { 省级: 2 }, node: "ECON" }],
      penalties: [{ code: "notice", name: "通报批评", perOccurrence: 1, node: "GDP" }],
      // The plan-wide cap is for the items on the total; an item on a node has its own cap.
      caps: { bonus: 1 },
    });
    const data = [
      ...rows.filter((r) => r.indicator !== "GDP_RANK"),
      { unit: "A", indicator: "award", period: "2022", value: 1, level: "省级" },
      { unit: "A", indicator: "notice", period: "2022", value: 1 },
    ];
    const run = score(plan, data);
    const a = unit(run, "A");
    expect([a.scores.GDP, a.scores.ECON, a.total]).toEqual([19, 31, 87]); // 20 - 1; 29 + 2; 31 + 56
    // A unit the items did not apply to reads as before.
    expect(unit(run, "B").trace[0]).toMatchObject({
      text: { "zh-CN": "各项得分合计，得 28 分（满分 30 分）" },
    });
    expect(unit(run, "B").trace[0]!.adjustments).toBeUndefined();
    expect([a.bonus, a.penalty, a.adjustments]).toEqual([0, 0, []]);
    const econ = a.trace[0]!;
    expect(econ.adjustments?.map((l) => l.points)).toEqual([2]);
    expect(econ.text["zh-CN"]).toBe(
      "各项得分合计，为 29 分；加减分：加分项 争先创优：加 2 分（省级 2 分），得 31 分（满分 30 分，加减分不计入满分）",
    );
    expect(econ.children![0]!.text["zh-CN"]).toBe(
      "完成率 100.0%（实际 100，目标 100），得 20 分（满分 20 分）；扣分项 通报批评：1 次，扣 1 分，本项计 19 分（加减分不计入满分）",
    );
  });

  it("sensitivity keeps adjustments fixed: with no noise every replication gives the run's ranks", () => {
    const plan = testPlan([economy(), party, rankTable("RANK", "综合位次")], { pointsTotal: 100 });
    const data = [...rows, ...rowsOf("RANK", { A: 11, B: 1 })];
    const model = buildSensitivityModel(plan, data, { weights: 0 });
    if (!model.ok) throw new Error(model.error.message.en);
    const run = score(plan, data);
    const ranks = run.units.map((u) => u.rank);
    expect(ranks.slice(0, 2)).toEqual([2, 1]); // A 91 - 5, B 86 + 5
    expect(Array.from(model.value.nominalRank)).toEqual(ranks.map((r) => r ?? Number.NaN));
    // Weights multiplied by 1: the weighted path, with the adjustments added apart, not as weights.
    const result = runSensitivity(model.value, { runs: 8, seed: 1 });
    expect(result.units.map((u) => u.medianRank)).toEqual(ranks);
  });

  it("refuses adjustments that cannot be placed, naming the node", () => {
    const refused = (plan: Plan) => {
      const built = buildPlanStructure(plan);
      if (built.ok) throw new Error("accepted");
      return built.error;
    };
    const withChildren = refused(testPlan([{ ...economy(), adjustment: true } as IndicatorSpec, party]));
    expect(withChildren).toMatchObject({ code: "ADJUSTMENT_NODE", indicator: "ECON" });
    const weighted = refused(testPlan([economy([{ ...rankTable("R"), weight: 1 }]), party]));
    expect(weighted.message["zh-CN"]).toBe(
      "指标 R：加减分项（adjustment）须是末级指标，不设权重（weight），不作必达指标（must）：其得分在满分之外加到上级",
    );
    const alone = refused(
      testPlan([{ code: "P", name: "只有加减分", points: 10, children: [rankTable("R")] }, party]),
    );
    expect(alone.message.en).toBe(
      "indicator P: needs a child besides adjustments: they make up its full marks",
    );
    const nowhere = refused(
      testPlan([economy([]), party], {
        bonus: [{ code: "b", name: "加分", levels: { 省级: 1 }, node: "NOPE" }],
      }),
    );
    expect(nowhere).toMatchObject({ code: "UNKNOWN_INDICATOR", indicator: "NOPE" });
  });
});
