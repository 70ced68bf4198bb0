import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../hash.js";
import { rowsOf, testPlan } from "./_fixtures.js";
import type { DataRow } from "./data.js";
import { type Plan, planSchema } from "./schema.js";
import { rowJson, runHashes, type ScoringRun, scorePlan } from "./score.js";

/** One mark indicator worth 100 points, so a unit's total is its mark. */
const marks = (extra: Partial<Plan>) =>
  testPlan([{ code: "x", name: "得分", points: 100, rule: { type: "mark" } }], extra);
const grades: Plan["grades"] = [
  { code: "优秀", minScore: 90, quota: { share: 0.3 }, requires: ["noVeto", "noFailedMust"] },
  { code: "良好", minScore: 80 },
  { code: "合格", minScore: 60 },
  { code: "不合格" },
];

function run(plan: Plan, rows: DataRow[], overrides = []): ScoringRun {
  const r = scorePlan(plan, rows, { overrides });
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}
const byUnit = (r: ScoringRun) => Object.fromEntries(r.units.map((u) => [u.unit, u]));

describe("ranking within categories", () => {
  it("ranks each category separately; standalone units are neither ranked nor graded", () => {
    const r = byUnit(
      run(marks({ grades }), rowsOf("x", { A: 70, B: 95, C: 85, D: 85, E: 50, F: 99, S: 100 })),
    );
    expect([r.A!.rank, r.B!.rank, r.C!.rank, r.D!.rank]).toEqual([4, 1, 2, 2]);
    expect([r.E!.rank, r.F!.rank, r.F!.rankOf]).toEqual([2, 1, 2]);
    expect(r.S!.rank).toBeNull();
    expect(r.S!.grade).toBeNull();
  });

  it("tie-breakers by named indicators", () => {
    const plan = testPlan(
      [
        { code: "x", name: "x", points: 50, rule: { type: "mark" } },
        { code: "y", name: "y", points: 50, rule: { type: "mark" } },
      ],
      { ranking: { ties: "breakers", breakers: ["y"] } },
    );
    const r = byUnit(run(plan, [...rowsOf("x", { A: 100, B: 80 }), ...rowsOf("y", { A: 80, B: 100 })]));
    expect([r.A!.total, r.B!.total]).toEqual([90, 90]);
    expect([r.A!.rank, r.B!.rank]).toEqual([2, 1]);
  });
});

describe("grades under quotas", () => {
  it("a last grade with a minimum: below it no grade, with the reason; or a named 不定等次 grade after it", () => {
    const withMinimum = grades.slice(0, 3); // 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60: nothing below
    const u = byUnit(run(marks({ grades: withMinimum }), rowsOf("x", { A: 95, B: 85, C: 61, D: 50 })));
    expect([u.A!.grade, u.B!.grade, u.C!.grade, u.D!.grade]).toEqual(["优秀", "良好", "合格", null]);
    expect(u.D!.gradeReasons.map((r) => r["zh-CN"])).toEqual([
      "总分 50 低于最低等次 合格 的 60 分，不定等次",
    ]);
    expect(u.D!.gradeReasons[0]!.en).toBe("total 50 is below the lowest grade 合格's 60: no grade");
    const named = byUnit(
      run(marks({ grades: [...withMinimum, { code: "不定等次" }] }), rowsOf("x", { A: 95, D: 50 })),
    );
    expect(named.D!.grade).toBe("不定等次");
  });
  it("quota = share x category size, rounded down by default; the rounding rule is stated", () => {
    // dept has 4 units: 30% of 4 = 1.2 -> 1 优秀
    const r = run(marks({ grades }), rowsOf("x", { A: 95, B: 92, C: 91, D: 50, E: 99, F: 98 }));
    const u = byUnit(r);
    expect([u.A!.grade, u.B!.grade, u.C!.grade, u.D!.grade]).toEqual(["优秀", "良好", "良好", "不合格"]);
    expect(r.quotas.find((q) => q.category === "dept" && q.grade === "优秀")?.limit).toBe(1);
    expect(u.B!.gradeReasons.map((x) => x["zh-CN"])).toContain(
      "优秀 名额已满（4 × 30% = 1.2，向下取整为 1 个）",
    );
    // district has 2: 30% of 2 = 0.6 -> 0 优秀 when rounding down, 1 when rounding up
    expect([u.E!.grade, u.F!.grade]).toEqual(["良好", "良好"]);
    const ceil = byUnit(
      run(
        marks({ grades: [{ ...grades[0]!, quota: { share: 0.3, rounding: "ceil" } }, ...grades.slice(1)] }),
        rowsOf("x", { A: 95, B: 92, C: 91, D: 50, E: 99, F: 98 }),
      ),
    );
    expect([ceil.A!.grade, ceil.B!.grade, ceil.E!.grade, ceil.F!.grade]).toEqual([
      "优秀",
      "优秀",
      "优秀",
      "良好",
    ]);
  });

  it("10 x 30% is exactly 3, not 2 (floating point)", () => {
    const plan: Plan = {
      ...marks({ grades }),
      units: Array.from({ length: 10 }, (_, i) => ({ code: `U${i}`, name: `U${i}` })),
      categories: [{ code: "all", name: "全部", units: Array.from({ length: 10 }, (_, i) => `U${i}`) }],
    };
    const rows = Array.from({ length: 10 }, (_, i) => ({
      unit: `U${i}`,
      indicator: "x",
      period: "2022",
      value: 99 - i,
    }));
    expect(run(plan, rows).units.filter((u) => u.grade === "优秀")).toHaveLength(3);
  });

  it("a tied group that does not fit the quota gets none of it, and the grade closes", () => {
    const two = [{ ...grades[0]!, quota: { count: 2 } }, ...grades.slice(1)];
    const u = byUnit(run(marks({ grades: two }), rowsOf("x", { A: 99, B: 95, C: 95, D: 94 })));
    expect([u.A!.grade, u.B!.grade, u.C!.grade, u.D!.grade]).toEqual(["优秀", "良好", "良好", "良好"]);
    expect(u.B!.gradeReasons[0]!.en).toContain("tied with 1 other(s); 1 优秀 place(s) left");
    // Both languages count the others, not the unit itself.
    expect(u.B!.gradeReasons[0]!["zh-CN"]).toBe(
      "与其他 1 个单位并列，优秀 剩余名额 1 个不足，均不评为 优秀（限 2 个）",
    );
    const three = byUnit(run(marks({ grades: two }), rowsOf("x", { A: 99, B: 95, C: 95, D: 95 })));
    expect(three.C!.gradeReasons[0]!["zh-CN"]).toMatch(/^与其他 2 个单位并列/);
    expect(three.C!.gradeReasons[0]!.en).toMatch(/^tied with 2 other\(s\)/);
  });

  it("quotas by category", () => {
    const plan = marks({
      grades: [{ ...grades[0]!, quotaByCategory: { district: { count: 2 } } }, ...grades.slice(1)],
    });
    const u = byUnit(run(plan, rowsOf("x", { A: 95, B: 92, E: 99, F: 98 })));
    expect([u.A!.grade, u.B!.grade, u.E!.grade, u.F!.grade]).toEqual(["优秀", "良好", "优秀", "优秀"]);
  });

  it("a veto forces a grade or removes eligibility; a failed must-indicator blocks 优秀", () => {
    const plan = testPlan(
      [
        { code: "x", name: "得分", points: 90, rule: { type: "mark" } },
        { code: "m", name: "必达", points: 10, must: true, rule: { type: "yesno" } },
      ],
      {
        grades: [{ ...grades[0]!, quota: { share: 1 } }, ...grades.slice(1)],
        vetoes: [
          { code: "safety", name: "重大安全事故", grade: "不合格" },
          { code: "discipline", name: "违纪", ineligible: ["优秀", "良好"] },
        ],
      },
    );
    const rows = [
      ...rowsOf("x", { A: 100, B: 100, C: 100, D: 100 }),
      ...rowsOf("m", { A: 1, B: 1, C: 1, D: 0 }),
      { unit: "B", indicator: "safety", period: "2022", value: 1 },
      { unit: "C", indicator: "discipline", period: "2022", value: 1 },
    ];
    // A veto is 1 or 0: 0.5 and 2 triggered it before.
    for (const bad of [0.5, 2, -1]) {
      const refused = scorePlan(plan, [...rows.slice(0, -1), { ...rows.at(-1)!, value: bad }]);
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.code).toBe("BAD_VETO");
    }
    const u = byUnit(run(plan, rows));
    expect([u.A!.grade, u.B!.grade, u.C!.grade, u.D!.grade]).toEqual(["优秀", "不合格", "合格", "良好"]);
    expect(u.B!.vetoes).toEqual(["safety"]);
    expect(u.D!.failedMust).toEqual(["m"]);
    expect(u.B!.gradeReasons[0]!["zh-CN"]).toBe("一票否决（重大安全事故），定为 不合格");
    // Every cause is stated: the veto and the must-indicator that barred the better grades.
    expect(u.C!.gradeReasons.map((r) => r["zh-CN"])).toEqual([
      "一票否决（违纪）：不得评为 优秀、良好",
      "评为 合格（总分 100 ≥ 60）",
    ]);
    expect(u.C!.gradeReasons.map((r) => r.en)).toEqual([
      "veto (违纪): not eligible for 优秀, 良好",
      "graded 合格 (total 100 >= 60)",
    ]);
    expect(u.D!.gradeReasons.map((r) => r["zh-CN"])).toEqual([
      "必达指标 m 未完成：不得评为 优秀",
      "评为 良好（总分 90 ≥ 80）",
    ]);
    expect(u.D!.gradeReasons[0]!.en).toBe("must-indicator m not fully achieved: not eligible for 优秀");
    // A unit below the grade's minimum anyway is not told about a bar that changed nothing.
    const low = byUnit(
      run(plan, [...rows.filter((r) => r.unit !== "D" || r.indicator !== "x"), ...rowsOf("x", { D: 70 })]),
    );
    expect(low.D!.gradeReasons.map((r) => r["zh-CN"])).toEqual(["评为 合格（总分 63 ≥ 60）"]);
  });

  it("an override is recorded with its reason beside the grade by the rules", () => {
    const overrides = [{ unit: "D", grade: "合格", reason: "经考核委员会复核，数据更正" }] as never;
    const u = byUnit(run(marks({ grades }), rowsOf("x", { A: 95, B: 92, C: 91, D: 50 }), overrides));
    expect(u.D!.grade).toBe("合格");
    expect(u.D!.gradeByRules).toBe("不合格");
    expect(u.D!.override?.reason).toBe("经考核委员会复核，数据更正");
    const noReason = scorePlan(marks({ grades }), rowsOf("x", { A: 95 }), {
      overrides: [{ unit: "A", grade: "合格", reason: " " }],
    });
    expect(noReason.ok).toBe(false);
    if (!noReason.ok) expect(noReason.error.code).toBe("OVERRIDE_NEEDS_REASON");
  });

  it("titles for the top N with a grade (优胜单位)", () => {
    const plan = marks({
      grades,
      titles: [{ code: "优胜", name: "优胜单位", top: 1, requiresGrade: "优秀" }],
    });
    const u = byUnit(run(plan, rowsOf("x", { A: 95, B: 92, E: 85, F: 80 })));
    expect(u.A!.titles).toEqual(["优胜"]);
    expect(u.E!.titles).toEqual([]); // first in its category but not 优秀
  });
});

describe("bonus, penalty and caps", () => {
  const plan = marks({
    bonus: [{ code: "award", name: "争先创优", levels: { 国家级: 3, 省级: 2, 市级: 1 }, cap: 4 }],
    penalties: [{ code: "criticism", name: "通报批评", perOccurrence: 1, cap: 2 }],
    caps: { bonus: 3, total: 100 },
  });
  it("only the highest level of one achievement counts; items and totals are capped", () => {
    const rows = [
      ...rowsOf("x", { A: 90, B: 99, C: 80 }),
      { unit: "A", indicator: "award", period: "2022", value: 1, level: "省级", ref: "ach-1" },
      { unit: "A", indicator: "award", period: "2022", value: 1, level: "国家级", ref: "ach-1" },
      { unit: "B", indicator: "award", period: "2022", value: 1, level: "国家级", ref: "ach-2" },
      { unit: "C", indicator: "criticism", period: "2022", value: 3 },
    ];
    const u = byUnit(run(plan, rows));
    expect(u.A!.bonus).toBe(3); // 3 for the national level, not 3 + 2
    // The achievements that counted are listed: ach-1 at its highest level only.
    expect(u.A!.adjustments[0]!.text["zh-CN"]).toBe("加分项 争先创优：加 3 分（ach-1 国家级 3 分）");
    expect(u.A!.adjustments[0]!.text.en).toBe("bonus 争先创优: +3 (ach-1 国家级 +3)");
    expect(u.A!.total).toBe(93);
    expect(u.B!.total).toBe(100); // 99 + 3 capped at 100
    expect(u.C!.penalty).toBe(2); // 3 x 1, capped at 2
    expect(u.C!.total).toBe(78);
    expect(u.C!.adjustments[0]!.text["zh-CN"]).toBe("扣分项 通报批评：3 次，扣 2 分（本项封顶 2 分）");
  });
  it("the plan-wide caps bound all bonus and all penalty points, and say so", () => {
    const capped = marks({
      bonus: [{ code: "award", name: "争先创优", levels: { 国家级: 3, 省级: 2, 市级: 1 }, cap: 4 }],
      penalties: [{ code: "criticism", name: "通报批评", perOccurrence: 1, cap: 2 }],
      caps: { bonus: 3, penalty: 1 },
    });
    const rows = [
      ...rowsOf("x", { A: 90, B: 80 }),
      { unit: "A", indicator: "award", period: "2022", value: 1, level: "国家级", ref: "ach-1" },
      { unit: "A", indicator: "award", period: "2022", value: 1, level: "省级", ref: "ach-2" },
      { unit: "B", indicator: "criticism", period: "2022", value: 2 },
    ];
    const u = byUnit(run(capped, rows));
    expect(u.A!.bonus).toBe(3); // 3 + 2 = 5, item cap 4, plan cap 3
    expect(u.A!.adjustments[0]!.text["zh-CN"]).toBe(
      "加分项 争先创优：加 4 分（ach-1 国家级 3 分；ach-2 省级 2 分）（本项封顶 4 分）",
    );
    expect(u.A!.adjustments.at(-1)!.text["zh-CN"]).toBe("加分合计封顶 3 分");
    expect(u.B!.penalty).toBe(1); // 2 x 1 = 2, plan cap 1
    expect(u.B!.total).toBe(79);
    expect(u.B!.adjustments.at(-1)!.text.en).toBe("penalty capped at 1 in all");
  });
});

describe("vetoes that block titles", () => {
  it("a veto may name a title (先进单位) it rules out, and the reasons say so", () => {
    const plan = marks({
      grades: [{ code: "优秀", minScore: 90 }, { code: "合格" }],
      titles: [{ code: "先进单位", name: "先进单位", top: 2 }],
      vetoes: [{ code: "env", name: "环保督察问题", ineligible: ["先进单位"] }],
    });
    const rows = [
      ...rowsOf("x", { A: 95, B: 92, C: 91 }),
      { unit: "A", indicator: "env", period: "2022", value: 1 },
    ];
    const u = byUnit(run(plan, rows));
    expect([u.A!.titles, u.B!.titles, u.C!.titles]).toEqual([[], ["先进单位"], []]);
    expect(u.A!.grade).toBe("优秀"); // the veto names the title only, not the grade
    expect(u.A!.gradeReasons.map((r) => r["zh-CN"])).toContain("一票否决（环保督察问题）：不得授予 先进单位");
    // A name that is neither a grade nor a title is refused (it was "引用了不存在的等次 先进单位").
    const wrong = scorePlan(
      marks({ grades, vetoes: [{ code: "env", name: "环保", ineligible: ["先进"] }] }),
      [],
    );
    expect(!wrong.ok && wrong.error.message["zh-CN"]).toBe("否决项 env 引用了不存在的等次或称号 先进");
  });
});

describe("vetoes given as categories (双评 较差)", () => {
  const plan = marks({
    grades,
    vetoes: [
      {
        code: "sp",
        name: "双评结果较差",
        levels: ["好", "较好", "一般", "较差"],
        triggeredBy: ["较差"],
        ineligible: ["优秀"],
      },
    ],
  });
  const rating = (unit: string, level?: string) => ({
    unit,
    indicator: "sp",
    period: "2022",
    value: 1,
    ...(level === undefined ? {} : { level }),
  });

  it("a row's rating triggers the veto only when the scheme names it", () => {
    const rows = [...rowsOf("x", { A: 95, B: 94, C: 70, D: 65 }), rating("A", "较差"), rating("B", "一般")];
    const u = byUnit(run(plan, rows));
    expect([u.A!.vetoes, u.B!.vetoes]).toEqual([["sp"], []]);
    // A first in its category, its veto took 优秀; the reasons say so (4 x 30% = 1 place of 优秀, to B).
    expect([u.A!.grade, u.B!.grade]).toEqual(["良好", "优秀"]);
    expect(u.A!.gradeReasons.map((r) => r["zh-CN"])).toContain("一票否决（双评结果较差）：不得评为 优秀");
  });

  it("refuses a rating that is not one of its levels, or none, and a plan whose triggers are not levels", () => {
    for (const [row, level] of [
      [rating("A", "差"), "差"],
      [rating("A"), ""],
    ] as const) {
      const refused = scorePlan(plan, [row]);
      expect(!refused.ok && refused.error).toMatchObject({
        code: "BAD_LEVEL",
        unit: "A",
        indicator: "sp",
        message: { "zh-CN": `否决项 sp 的类别（level）“${level}”无效，应为 好、较好、一般、较差` },
      });
    }
    const stray = scorePlan(
      marks({ vetoes: [{ code: "sp", name: "双评", levels: ["好", "较差"], triggeredBy: ["差"] }] }),
      [],
    );
    expect(!stray.ok && stray.error).toMatchObject({ code: "VETO_LEVELS", indicator: "sp" });
    expect(!stray.ok && stray.error.message.en).toContain("差 is not one of its levels");
    const half = scorePlan(marks({ vetoes: [{ code: "sp", name: "双评", triggeredBy: ["较差"] }] }), []);
    expect(!half.ok && half.error.code).toBe("VETO_LEVELS");
  });
});

describe("penalties that take points directly (按省扣分)", () => {
  const plan = marks({
    penalties: [
      { code: "province", name: "省考核扣分", amount: true, cap: 3 },
      { code: "criticism", name: "通报批评", perOccurrence: 0.5 },
    ],
  });
  it("deduct the value itself, capped, and say so without counting times", () => {
    const rows = [
      ...rowsOf("x", { A: 90, B: 90 }),
      { unit: "A", indicator: "province", period: "2022", value: 1.5 },
      { unit: "B", indicator: "province", period: "2022", value: 4 },
      { unit: "B", indicator: "criticism", period: "2022", value: 2 },
    ];
    const u = byUnit(run(plan, rows));
    expect(u.A!.penalty).toBe(1.5);
    expect(u.A!.total).toBe(88.5);
    expect(u.A!.adjustments[0]!.text["zh-CN"]).toBe("扣分项 省考核扣分：直接扣分 1.5 分，扣 1.5 分");
    expect(u.A!.adjustments[0]!.text.en).toBe("penalty 省考核扣分: 1.5 points deducted as given, -1.5");
    expect(u.B!.penalty).toBe(4); // 4 capped at 3, and 2 x 0.5
    expect(u.B!.adjustments.map((a) => a.text["zh-CN"])).toEqual([
      "扣分项 省考核扣分：直接扣分 4 分，扣 3 分（本项封顶 3 分）",
      "扣分项 通报批评：2 次，扣 1 分",
    ]);
  });
  it("refuse a count of occurrences that is not a whole number (it read '1.5 次'), and negative amounts", () => {
    for (const [indicator, value] of [
      ["criticism", 1.5],
      ["criticism", -1],
      ["province", -2],
    ] as const) {
      const r = scorePlan(plan, [...rowsOf("x", { A: 90 }), { unit: "A", indicator, period: "2022", value }]);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe("BAD_PENALTY");
    }
  });
  it("an item gives either points per occurrence or amount, not both or neither", () => {
    for (const item of [
      { code: "p", name: "p" },
      { code: "p", name: "p", perOccurrence: 1, amount: true },
    ])
      expect(planSchema.safeParse(marks({ penalties: [item as never] })).success).toBe(false);
    expect(planSchema.safeParse(plan).success).toBe(true);
  });
});

describe("reproducibility", () => {
  it("the same plan and data give the same bytes and the same input hash, in any row order", () => {
    const rows = rowsOf("x", { A: 95, B: 92, C: 91, D: 50 });
    const a = run(marks({ grades }), rows);
    const b = run(marks({ grades }), [...rows].reverse());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.inputHash.run).toMatch(/^[0-9a-f]{64}$/);
    const c = run(marks({ grades }), rowsOf("x", { A: 95, B: 92, C: 91, D: 51 }));
    expect(c.inputHash.data).not.toBe(a.inputHash.data);
  });
});

/** The input hashes of the golden case below, from the engine before its hashing was streamed. */
const GOLDEN = {
  plan: "61366c5718b9e6a69638201ca16d08e81c5cbce14fa565dca44f2657d3af9565",
  data: "0319b98437147231b1f461b438ca25980416d77ece1011d2d24badeb76144cb9",
  overrides: "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
  run: "db81d9459058508a7a9e9efe7fb6c2358341ef8d0890778fbb25f30f8881787e",
};

describe("input hashes", () => {
  it("a row's canonical text is canonicalJson of the row less its source line, whatever fields it has", () => {
    // "binary" strings include lone surrogates and control characters, which JSON escapes.
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.string({ unit: "binary", maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            unit: text,
            indicator: text,
            period: text,
            value: fc.oneof(fc.double(), fc.integer(), fc.constant(-0)),
            source: text,
            level: text,
            ref: text,
            reviewer: text,
            row: fc.nat(),
            extra: fc.oneof(text, fc.dictionary(text, fc.integer(), { maxKeys: 3 })),
          },
          { requiredKeys: ["unit", "indicator", "period", "value"] },
        ),
        (row) => {
          const { row: _line, ...data } = row;
          expect(rowJson(row as DataRow)).toBe(canonicalJson(data));
        },
      ),
    );
  });

  it("are those the earlier engine gave for the same inputs (stored runs keep verifying)", () => {
    // Computed by the engine before hashing was streamed (kaohe 0.1, its own SHA-256 over one string).
    const rows = rowsOf("x", { A: 95, B: 92.5, C: 0.1 + 0.2, D: 50 }).map((r, i) => ({
      ...r,
      source: i % 2 ? "统计局" : undefined,
      row: i + 2,
    }));
    expect(runHashes(marks({ grades }), rows)).toEqual(GOLDEN);
  });
});

describe("explanations on demand", () => {
  it("a run that explains one unit gives it the very trace a full run gives, and the same numbers", () => {
    const plan = marks({ grades });
    const rows = rowsOf("x", { A: 95, B: 92, C: 91, D: 50 });
    const full = run(plan, rows);
    const one = scorePlan(plan, rows, { explain: ["B"] });
    const none = scorePlan(plan, rows, { explain: [] });
    if (!one.ok || !none.ok) throw new Error("scoring failed");
    const withoutTraces = (r: ScoringRun) => r.units.map(({ trace: _trace, ...u }) => u);
    expect(withoutTraces(one.value)).toEqual(withoutTraces(full));
    expect(withoutTraces(none.value)).toEqual(withoutTraces(full));
    expect(one.value.inputHash).toEqual(full.inputHash);
    const b = (r: ScoringRun) => r.units.find((u) => u.unit === "B")!.trace;
    expect(JSON.stringify(b(one.value))).toBe(JSON.stringify(b(full)));
    expect(b(full).length).toBeGreaterThan(0);
    expect(one.value.units.filter((u) => u.trace.length > 0).map((u) => u.unit)).toEqual(["B"]);
    expect(none.value.units.every((u) => u.trace.length === 0)).toBe(true);
  });
});

describe("exact ties are not split by rounding", () => {
  it("26/3 + 20/3 and 31/3 + 5 are both 46/3: the same total, rank 1 both, and the quota treats them alike", () => {
    // A mark out of 6 on a 20-point item gives 10/3 points per mark point.
    const plan = testPlan(
      [
        { code: "x", name: "x", points: 20, rule: { type: "mark", markMax: 6 } },
        { code: "y", name: "y", points: 20, rule: { type: "mark", markMax: 6 } },
      ],
      { grades },
    );
    const r = byUnit(
      run(plan, [
        ...rowsOf("x", { A: 2.6, B: 3.1, C: 1, D: 1 }),
        ...rowsOf("y", { A: 2, B: 1.5, C: 1, D: 1 }),
      ]),
    );
    expect([r.A!.scores.x, r.A!.scores.y, r.B!.scores.x, r.B!.scores.y]).toEqual([
      8.666666667, 6.666666667, 10.333333333, 5,
    ]);
    expect([r.A!.total, r.B!.total]).toEqual([15.333333333, 15.333333333]);
    expect([r.A!.base, r.B!.base]).toEqual([15.333333333, 15.333333333]);
    expect([r.A!.rank, r.B!.rank]).toEqual([1, 1]);
    expect(r.A!.grade).toBe(r.B!.grade);
  });
});

describe("ranking many units", () => {
  it("ranks as one plus the number of units with a higher total in the category, over hundreds of units with ties", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 40, maxLength: 400 }), (marksOf) => {
        const codes = marksOf.map((_, u) => `u${u}`);
        const half = Math.ceil(codes.length / 2);
        const plan: Plan = {
          ...marks({}),
          units: codes.map((code) => ({ code, name: code })),
          categories: [
            { code: "a", name: "a", units: codes.slice(0, half) },
            { code: "b", name: "b", units: codes.slice(half) },
          ],
        };
        const r = run(
          plan,
          marksOf.map((m, u) => ({ unit: `u${u}`, indicator: "x", period: "2022", value: m * 5 })),
        );
        for (const [u, unit] of r.units.entries()) {
          const peers = u < half ? r.units.slice(0, half) : r.units.slice(half);
          expect(unit.rank).toBe(1 + peers.filter((p) => p.total > unit.total).length);
        }
      }),
      { numRuns: 30 },
    );
  });
});
