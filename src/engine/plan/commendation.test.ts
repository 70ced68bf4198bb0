import { describe, expect, it } from "vitest";
import { rowsOf, testPlan } from "./_fixtures.js";
import { carryBreaches } from "./carry.js";
import type { Plan } from "./schema.js";
import { type ScoringRun, scorePlan } from "./score.js";
import { buildPlanStructure } from "./structure.js";

/*
 * 取消评优评先资格: a lead department's breach (拉开档次) in one period withholds its commendations in the
 * next: year 1's run records department D's tied scores, carryBreaches writes D into year 2's
 * noCommendation, and year 2's grading withholds the grade and title marked commendation.
 */

/** Year 1: department D leads SAT and scores every unit (noTies: flag); PARTY is each unit's own. */
const year1: Plan = testPlan(
  [
    {
      code: "WORK",
      name: "重点工作",
      points: 100,
      children: [
        { code: "PARTY", name: "党建", points: 80, rule: { type: "mark" } },
        {
          code: "SAT",
          name: "企业满意度",
          points: 20,
          lead: "D",
          noTies: "flag",
          rule: { type: "mark", markMax: 20 },
        },
      ],
    },
  ],
  { id: "y1", version: 2, period: { key: "2023", previous: "2022" } },
);
const year1Rows = [
  ...rowsOf("PARTY", { A: 80, B: 70, C: 60, D: 50, E: 50, F: 40 }, "2023"),
  ...rowsOf("SAT", { A: 18, B: 18, C: 15, D: 14, E: 12, F: 10 }, "2023"),
];

/** Year 2: one mark; 优秀 (1 per category) and the title 先进单位 commend, 良好 does not. */
const year2 = (extra: Partial<Plan> = {}): Plan =>
  testPlan([{ code: "PARTY", name: "党建", points: 100, rule: { type: "mark" } }], {
    id: "y2",
    period: { key: "2024", previous: "2023" },
    grades: [
      { code: "优秀", minScore: 90, quota: { count: 1 }, commendation: true },
      { code: "良好", minScore: 60 },
      { code: "一般" },
    ],
    titles: [{ code: "先进单位", name: "先进单位", top: 1, commendation: true }],
    ...extra,
  });
const year2Rows = rowsOf("PARTY", { A: 92, B: 80, C: 70, D: 96, E: 95, F: 91 }, "2024");

function score(plan: Plan, rows = year2Rows): ScoringRun {
  const run = scorePlan(plan, rows);
  if (!run.ok) throw new Error(run.error.message.en);
  return run.value;
}
const unit = (run: ScoringRun, code: string) => run.units.find((u) => u.unit === code)!;

function carried(next: Plan): Plan {
  const r = carryBreaches(score(year1, year1Rows), next);
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value.plan;
}

describe("withholding commendations (noCommendation)", () => {
  it("year 1's breach by D withholds D's 优秀 and 先进单位 in year 2, naming the reason in both languages", () => {
    const first = score(year1, year1Rows);
    expect(first.breaches?.map((b) => [b.lead, b.indicator])).toEqual([["D", "SAT"]]);
    const plan = carried(year2());
    expect(plan.noCommendation).toEqual([
      {
        unit: "D",
        reason: "考核期 2023（方案 y1 第 2 版）作为牵头部门对指标 SAT 评分未拉开档次",
        reasonEn: "as lead department, gave tied scores on indicator SAT in period 2023 (plan y1 version 2)",
        source: {
          plan: "y1",
          planVersion: 2,
          period: "2023",
          run: first.inputHash.run,
          breach: "LEAD_TIED_SCORES",
          indicator: "SAT",
        },
      },
    ]);

    const without = score(year2());
    expect([unit(without, "D").grade, unit(without, "D").titles]).toEqual(["优秀", ["先进单位"]]);
    const run = score(plan);
    const d = unit(run, "D");
    // D is still first (96) and reaches 90, but gets the next grade; 优秀's one place goes to A (92).
    expect([d.rank, d.grade, d.titles]).toEqual([1, "良好", []]);
    expect([unit(run, "A").grade, unit(run, "A").titles]).toEqual(["优秀", []]);
    expect(d.gradeReasons.map((r) => r["zh-CN"])).toEqual([
      "取消评优评先资格（考核期 2023（方案 y1 第 2 版）作为牵头部门对指标 SAT 评分未拉开档次）：不得评为 优秀",
      "评为 良好（总分 96 ≥ 60）",
      "取消评优评先资格（考核期 2023（方案 y1 第 2 版）作为牵头部门对指标 SAT 评分未拉开档次）：不得授予 先进单位",
    ]);
    expect(d.gradeReasons[0]!.en).toBe(
      "commendation withheld (as lead department, gave tied scores on indicator SAT in period 2023 (plan y1 version 2)): not eligible for 优秀",
    );
    expect(d.gradeReasons[2]!.en).toMatch(
      /^commendation withheld \(.*\): not eligible for the title 先进单位$/,
    );
    // The other category is untouched: E keeps its grade and title.
    expect([unit(run, "E").grade, unit(run, "E").titles]).toEqual(["优秀", ["先进单位"]]);
  });

  it("withholds only what the plan marks commendation: a grade without the mark stays open", () => {
    const plan = year2({
      grades: [{ code: "优秀", minScore: 90, quota: { count: 1 } }, { code: "良好" }],
      titles: [{ code: "先进单位", top: 1, commendation: true }],
      noCommendation: [{ unit: "D", reason: "市考核办决定" }],
    });
    const d = unit(score(plan), "D");
    expect([d.grade, d.titles]).toEqual(["优秀", []]);
  });

  it("refuses a unit that is not in the plan, naming the entry, and a list nothing is marked for", () => {
    const unknown = buildPlanStructure(
      year2({
        noCommendation: [
          { unit: "D", reason: "x" },
          { unit: "Z", reason: "x" },
        ],
      }),
    );
    expect(unknown.ok || unknown.error).toMatchObject({
      code: "UNKNOWN_UNIT",
      unit: "Z",
      message: {
        "zh-CN": "取消评优评先资格 noCommendation[1] 中的单位 Z 不在方案的单位列表中",
        en: "noCommendation[1] (withheld commendation): unit Z is not a unit of the plan",
      },
    });
    const unmarked = buildPlanStructure(
      testPlan([{ code: "P", name: "P", points: 100, rule: { type: "mark" } }], {
        grades: [{ code: "优秀", minScore: 90 }, { code: "良好" }],
        noCommendation: [{ unit: "D", reason: "x" }],
      }),
    );
    expect(unmarked.ok || unmarked.error.code).toBe("NO_COMMENDATION_MARKED");
    // A last grade without a minimum takes everyone left: it cannot be a commendation to withhold.
    const last = buildPlanStructure(
      year2({
        grades: [
          { code: "优秀", minScore: 90 },
          { code: "良好", commendation: true },
        ],
      }),
    );
    expect(last.ok || last.error.message["zh-CN"]).toBe(
      "最后一个等次 良好 应为兜底等次（不设比例和条件；可设最低分，低于者不定等次；不设最低分的不能作评优评先）",
    );
  });

  it("a scheme's only grade, a commendation with a minimum, is withheld: no grade, and the reason", () => {
    const plan = year2({
      grades: [{ code: "先进", minScore: 90, commendation: true }],
      titles: [],
      noCommendation: [{ unit: "D", reason: "上年度违规" }],
    });
    const d = unit(score(plan), "D");
    expect([d.grade, d.gradeReasons.map((r) => r["zh-CN"])]).toEqual([
      null,
      ["取消评优评先资格（上年度违规）：不得评为 先进"],
    ]);
  });
});

describe("carrying a breach into the next plan (carryBreaches)", () => {
  const first = score(year1, year1Rows);

  it("adds an entry once: carrying the same run again changes nothing", () => {
    const again = carryBreaches(first, carried(year2()));
    expect(again.ok && again.value.carried).toEqual([]);
    expect(again.ok && again.value.plan.noCommendation).toHaveLength(1);
  });

  it("refuses a run without breaches, of another period, or whose departments the plan does not assess", () => {
    const { breaches: _none, ...clean } = first;
    expect(carryBreaches(clean, year2())).toMatchObject({ ok: false, error: { code: "NO_BREACHES" } });
    const wrong = carryBreaches(first, year2({ period: { key: "2025", previous: "2024" } }));
    expect(wrong.ok || wrong.error.message["zh-CN"]).toBe(
      "结果的考核期 2023 不是方案 y2 的上一期（本期 2025，上一期 2024）",
    );
    expect(carryBreaches(first, year2({ period: { key: "2023" } }))).toMatchObject({
      error: { code: "CARRY_PERIOD" },
    });
    const elsewhere = carryBreaches(
      { ...first, breaches: [{ ...first.breaches![0]!, lead: "fgw" }] },
      year2(),
    );
    expect(elsewhere.ok || elsewhere.error.message.en).toBe(
      "no breaching lead department (fgw) is a unit of plan y2: nothing to carry",
    );
  });

  it("carries what it can and says what it did not", () => {
    const two = { ...first, breaches: [...first.breaches!, { ...first.breaches![0]!, lead: "fgw" }] };
    const r = carryBreaches(two, year2());
    expect(r.ok && r.value.carried.map((e) => e.unit)).toEqual(["D"]);
    expect(r.ok && r.value.notCarried.map((n) => n.message["zh-CN"])).toEqual([
      "牵头部门 fgw（指标 SAT）不是方案 y2 的考核单位，未结转",
    ]);
  });

  it("checks the plan it writes: a next plan marking no commendation is refused", () => {
    const r = carryBreaches(
      first,
      year2({ grades: [{ code: "优秀", minScore: 90 }, { code: "良好" }], titles: [] }),
    );
    expect(r).toMatchObject({ ok: false, error: { code: "NO_COMMENDATION_MARKED" } });
  });
});
