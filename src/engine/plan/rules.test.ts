import { describe, expect, it } from "vitest";
import { rowsOf, testPlan } from "./_fixtures.js";
import type { DataRow } from "./data.js";
import type { IndicatorSpec } from "./schema.js";
import { type ScoringRun, scorePlan } from "./score.js";

function score(leaf: IndicatorSpec, rows: DataRow[], extra = {}): ScoringRun {
  const run = scorePlan(testPlan([leaf], extra), rows);
  if (!run.ok) throw new Error(run.error.message.en);
  return run.value;
}
const points = (run: ScoringRun, code = "x") =>
  Object.fromEntries(run.units.map((u) => [u.unit, u.scores[code]]));
const text = (run: ScoringRun, unit: string, lang: "zh-CN" | "en" = "zh-CN") =>
  run.units.find((u) => u.unit === unit)!.trace[0]!.text[lang];

describe("a unit without data", () => {
  it.each([
    { type: "completion" },
    { type: "tiers", tiers: [{ threshold: 40, points: 10 }] },
    { type: "yesno" },
    { type: "mark" },
  ])("scores nothing and is explained as missing under a $type rule", (rule) => {
    const leaf = { code: "x", name: "任务", points: 10, target: 50, rule } as IndicatorSpec;
    const run = score(leaf, rowsOf("x", { A: 48, B: 50, C: 60, D: 20, E: 100 }));
    const f = run.units.find((u) => u.unit === "F")!;
    expect(f.scores.x).toBe(0);
    expect(text(run, "F")).toBe("未填报数据，得 0 分（满分 10 分）");
    expect(text(run, "A")).not.toBe(text(run, "F"));
  });
});

describe("completion (完成率计分)", () => {
  const leaf = (rule: object, extra: Partial<IndicatorSpec> = {}): IndicatorSpec => ({
    code: "x",
    name: "任务",
    points: 10,
    target: 50,
    rule: { type: "completion", ...rule } as IndicatorSpec["rule"],
    ...extra,
  });
  const rows = rowsOf("x", { A: 48, B: 50, C: 60, D: 20, E: 100 });

  it("full points at target, pro rata below, nothing without data", () => {
    const p = points(score(leaf({}), rows));
    expect(p).toMatchObject({ A: 9.6, B: 10, C: 10, D: 4, E: 10, F: 0 });
    expect(text(score(leaf({}), rows), "A")).toBe(
      "完成率 96.0%（实际 48，目标 50），得 9.6 分（满分 10 分）",
    );
    expect(text(score(leaf({}), rows), "A", "en")).toBe(
      "completion 96.0% (actual 48, target 50): 9.6 of 10 points",
    );
    expect(text(score(leaf({}), rows), "F")).toBe("未填报数据，得 0 分（满分 10 分）");
  });

  it("floor: below it, zero", () => {
    const p = points(score(leaf({ floor: 0.6 }), rows));
    expect(p.D).toBe(0); // 40% < 60%
    expect(p.A).toBe(9.6);
  });

  it("over-achievement bonus capped at a share of the points", () => {
    const p = points(score(leaf({ bonusCap: 0.2 }), rows));
    expect(p.C).toBe(12); // 120% -> +2, exactly the cap
    expect(p.E).toBe(12); // 200% -> capped at +2
    const per = points(score(leaf({ bonusCap: 0.2, bonusPerPercent: 0.05 }), rows));
    expect(per.C).toBeCloseTo(11, 12); // 20 points above target x 0.05
  });

  it("deductions per point short never exceed the item's points", () => {
    const p = points(score(leaf({ below: "deduct", deductPerPercent: 0.5 }), rows));
    expect(p.A).toBeCloseTo(8, 12); // 4 points short x 0.5
    expect(p.D).toBe(0); // 60 short x 0.5 = 30 > 10: capped at the item
  });

  it("lower-is-better: completion = target / actual", () => {
    const p = points(score(leaf({}, { direction: -1 }), rowsOf("x", { A: 40, B: 100 })));
    expect(p.A).toBe(10);
    expect(p.B).toBe(5);
    const run = score(leaf({}, { direction: -1 }), rowsOf("x", { A: 40, B: 100 }));
    expect(text(run, "B")).toBe(
      "完成率 50.0%（越低越好，完成率 = 目标 ÷ 实际：目标 50，实际 100），得 5 分（满分 10 分）",
    );
    expect(text(run, "B", "en")).toBe(
      "completion 50.0% (lower is better, completion = target / actual: target 50, actual 100): 5 of 10 points",
    );
  });

  it("per-unit targets override the indicator's", () => {
    const run = score(leaf({}), rowsOf("x", { A: 48 }), { targets: { x: { A: 96 } } });
    expect(points(run).A).toBe(5);
  });
});

describe("tiers (阶梯计分) and yes/no", () => {
  const tiers: IndicatorSpec = {
    code: "x",
    name: "办结率",
    points: 5,
    rule: {
      type: "tiers",
      tiers: [
        { threshold: 98, points: 5 },
        { threshold: 95, points: 4 },
        { threshold: 90, points: 2 },
      ],
    },
  };
  it("first tier reached, best first", () => {
    const run = score(tiers, rowsOf("x", { A: 99, B: 98, C: 96, D: 90, E: 89.9 }));
    expect(points(run)).toMatchObject({ A: 5, B: 5, C: 4, D: 2, E: 0 });
    expect(text(run, "C")).toBe("实际 96，达到第 2 档（≥ 95），得 4 分（满分 5 分）");
  });
  it("lower-is-better tiers use <=", () => {
    const low: IndicatorSpec = {
      ...tiers,
      direction: -1,
      rule: {
        type: "tiers",
        tiers: [
          { threshold: 1, points: 5 },
          { threshold: 3, points: 2 },
        ],
      },
    };
    expect(points(score(low, rowsOf("x", { A: 0, B: 2, C: 5 })))).toMatchObject({ A: 5, B: 2, C: 0 });
  });
  it("tiers on completion", () => {
    const c: IndicatorSpec = {
      ...tiers,
      target: 200,
      rule: {
        type: "tiers",
        basis: "completion",
        tiers: [
          { threshold: 1, points: 5 },
          { threshold: 0.8, points: 3 },
        ],
      },
    };
    expect(points(score(c, rowsOf("x", { A: 200, B: 170, C: 150 })))).toMatchObject({ A: 5, B: 3, C: 0 });
  });
  it("yes/no: all or nothing", () => {
    const yn: IndicatorSpec = {
      code: "x",
      name: "按时完成",
      points: 4,
      dataType: "yesno",
      rule: { type: "yesno" },
    };
    const run = score(yn, rowsOf("x", { A: 1, B: 0 }));
    expect(points(run)).toMatchObject({ A: 4, B: 0 });
    expect(text(run, "B")).toBe("未达到，得 0 分（满分 4 分）");
    const coverage: IndicatorSpec = { ...yn, rule: { type: "yesno", threshold: 100 } };
    expect(points(score(coverage, rowsOf("x", { A: 100, B: 99.5 })))).toMatchObject({ A: 4, B: 0 });
  });
});

describe("rank (位次计分)", () => {
  const peers = (rule: object): IndicatorSpec => ({
    code: "x",
    name: "研发投入强度",
    points: 10,
    rule: { type: "rank", source: "peers", ...rule } as IndicatorSpec["rule"],
  });
  const values = rowsOf("x", { A: 3.1, B: 2.87, C: 2.5, D: 2.5, E: 1.9, F: 1.2 });

  it("first place full points, minus k points per place; ties share the better place", () => {
    const p = points(score(peers({ step: { points: 1 } }), values));
    expect(p).toMatchObject({ A: 10, B: 9, C: 8, D: 8, E: 6, F: 5 });
  });

  it("minus k% of the points per place (Wenzhou: 5% per place)", () => {
    const p = points(score(peers({ step: { percent: 5 } }), values));
    expect(p.B).toBeCloseTo(9.5, 12);
    expect(p.F).toBeCloseTo(7.5, 12);
  });

  it("within the category only", () => {
    const p = points(score(peers({ scope: "category", step: { points: 2 } }), values));
    expect(p).toMatchObject({ A: 10, B: 8, C: 6, D: 6, E: 10, F: 8 });
  });

  it("an external provincial rank with a top/bottom table (top 5 +5..+1, bottom 5 -5..-1 of 11)", () => {
    const ext: IndicatorSpec = {
      code: "x",
      name: "全省位次",
      points: 5,
      dataType: "rank",
      rule: {
        type: "rank",
        source: "external",
        table: { top: [5, 4, 3, 2, 1], bottom: [-5, -4, -3, -2, -1], of: 11 },
      },
    };
    const run = score(ext, rowsOf("x", { A: 1, B: 4, C: 6, D: 7, E: 11, F: 9 }));
    expect(points(run)).toMatchObject({ A: 5, B: 2, C: 0, D: -1, E: -5, F: -3 });
    expect(text(run, "B")).toBe("第 4 位，得 2 分（满分 5 分）");
  });

  it("an external rank outside the table's places, or not a whole number, is refused (rank 12 of 11 scored 0)", () => {
    const ext: IndicatorSpec = {
      code: "x",
      name: "全省位次",
      points: 5,
      rule: { type: "rank", source: "external", table: { top: [5, 4, 3, 2, 1], of: 11 } },
    };
    for (const bad of [12, 0, 2.5, -1]) {
      const run = scorePlan(testPlan([ext]), [{ ...rowsOf("x", { A: bad })[0]!, row: 3 }]);
      expect(run.ok).toBe(false);
      if (!run.ok) {
        expect(run.error.code).toBe("BAD_RANK");
        expect(run.error.message["zh-CN"]).toBe(
          `单位 A 的指标 x（全省位次）：位次只能是 1 到 11 的整数，不是 ${bad}`,
        );
        expect(run.error.row).toBe(3);
      }
    }
    expect(scorePlan(testPlan([ext]), rowsOf("x", { A: 11 })).ok).toBe(true);
  });

  it("a rank rule whose first place scores less than the indicator's full points", () => {
    const peers: IndicatorSpec = {
      code: "x",
      name: "排名",
      points: 10,
      rule: { type: "rank", source: "peers", step: { first: 8, points: 1 } },
    };
    const run = score(peers, rowsOf("x", { A: 50, B: 40, C: 30 }));
    expect(points(run)).toMatchObject({ A: 8, B: 7, C: 6 });
    const over = scorePlan(
      testPlan([{ ...peers, rule: { type: "rank", source: "peers", step: { first: 12 } } }]),
      [],
    );
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error.message["zh-CN"]).toBe("指标 x：第一名得分 12 超过本项分值 10");
  });

  it("external ranks in lists of different sizes: places counted per unit, the bottom table and the bound by each", () => {
    const ext: IndicatorSpec = {
      code: "x",
      name: "全国/全省位次",
      points: 5,
      rule: {
        type: "rank",
        source: "external",
        table: { top: [5, 4, 3], bottom: [-3, -2, -1], ofByUnit: { A: 11, B: 11, C: 30 } },
      },
    };
    // C is 28th of 30: third from last (-1); A is 10th of 11: second from last (-2).
    const run = score(ext, rowsOf("x", { A: 10, B: 2, C: 28 }));
    expect(points(run)).toMatchObject({ A: -2, B: 4, C: -1 });
    // 12th is possible for C (of 30) but not for A (of 11).
    expect(scorePlan(testPlan([ext]), rowsOf("x", { C: 12 })).ok).toBe(true);
    const a = scorePlan(testPlan([ext]), rowsOf("x", { A: 12 }));
    expect(!a.ok && a.error.code).toBe("BAD_RANK");
    const unknown = scorePlan(
      testPlan([
        { ...ext, rule: { type: "rank", source: "external", table: { top: [5], ofByUnit: { Z: 3 } } } },
      ]),
      [],
    );
    expect(!unknown.ok && unknown.error).toMatchObject({ code: "UNKNOWN_UNIT", unit: "Z", indicator: "x" });
  });

  it("improvement bonus per place gained (进位加分), capped", () => {
    const ext: IndicatorSpec = {
      code: "x",
      name: "R&D/GDP 全省位次",
      points: 10,
      rule: { type: "rank", source: "external", step: { points: 1 }, improvement: { perPlace: 0.5, cap: 1 } },
    };
    const rows = [...rowsOf("x", { A: 4, B: 3, C: 2 }), ...rowsOf("x", { A: 5, B: 6, C: 1 }, "2021")];
    const run = score(ext, rows);
    expect(points(run)).toMatchObject({ A: 7.5, B: 9, C: 9 }); // A: 7 + 0.5; B: 8 + min(1, 1.5); C fell: no bonus
    // The rank's own points and the bonus are stated apart; a capped bonus says so; no bonus, no split.
    expect(text(run, "A")).toBe(
      "第 4 位，位次得分 7 分；上期第 5 位，进 1 位，进位加 0.5 分，得 7.5 分（满分 10 分）",
    );
    expect(text(run, "A", "en")).toBe(
      "ranked 4 (7 points for the rank); previously 5, gained 1, improvement bonus +0.5: 7.5 of 10 points",
    );
    expect(text(run, "B")).toBe(
      "第 3 位，位次得分 8 分；上期第 6 位，进 3 位，进位加 1 分（每进 1 位加 0.5 分，封顶 1 分），得 9 分（满分 10 分）",
    );
    expect(text(run, "C")).toBe("第 2 位；上期第 1 位，进 0 位，得 9 分（满分 10 分）");
  });

  it("a bonus above the item's points reads as rank points plus bonus, not 11 of 10 alone", () => {
    const ext: IndicatorSpec = {
      code: "x",
      name: "位次",
      points: 10,
      rule: { type: "rank", source: "external", step: { points: 1 }, improvement: { perPlace: 1 } },
    };
    const run = score(ext, [...rowsOf("x", { A: 1 }), ...rowsOf("x", { A: 2 }, "2021")]);
    expect(points(run).A).toBe(11);
    expect(text(run, "A")).toBe(
      "第 1 位，位次得分 10 分；上期第 2 位，进 1 位，进位加 1 分，得 11 分（满分 10 分）",
    );
  });

  it("monthly ranks averaged, by points or by rank", () => {
    const months = ["2022-01", "2022-02", "2022-03"];
    const rows = [
      ...rowsOf("x", { A: 1, B: 2 }, "2022-01"),
      ...rowsOf("x", { A: 2, B: 1 }, "2022-02"),
      ...rowsOf("x", { A: 1, B: 2 }, "2022-03"),
    ];
    const byPoints = {
      code: "x",
      name: "月度排名",
      points: 30,
      rule: { type: "rank", source: "external", step: { percent: 5 }, periods: months },
    } as IndicatorSpec;
    const p = points(score(byPoints, rows));
    expect(p.A).toBeCloseTo((30 + 28.5 + 30) / 3, 12);
    const byRank = { ...byPoints, rule: { ...byPoints.rule, average: "rank" } } as IndicatorSpec;
    expect(points(score(byRank, rows)).A).toBeCloseTo(30 - (4 / 3 - 1) * 1.5, 12);
  });
});

describe("rank tables whose top and bottom places overlap (as docs/plans.md says)", () => {
  const rule = {
    type: "rank" as const,
    source: "peers" as const,
    table: { top: [5, 4, 3, 2, 1], bottom: [-5, -4, -3, -2, -1] },
  };
  it("a place in both lists takes the top entry only; the bottom list starts after the top places", () => {
    // 7 units with data (A-F and S) under top 5 / bottom 5: places 1-5 +5..+1, 6th -4, 7th (last) -5.
    const run = scorePlan(
      testPlan([
        { code: "m", name: "m", points: 100, rule: { type: "mark" } },
        { code: "x", name: "x", adjustment: true, rule },
      ]),
      rowsOf("x", { A: 70, B: 60, C: 50, D: 40, E: 30, F: 20, S: 10 }),
    );
    if (!run.ok) throw new Error(run.error.message.en);
    expect(points(run.value)).toEqual({ A: 5, B: 4, C: 3, D: 2, E: 1, F: -4, S: -5 });
  });
});

describe("relative, expert and mark rules", () => {
  it("min-max among peers, share of full points", () => {
    const leaf: IndicatorSpec = {
      code: "x",
      name: "增长率",
      points: 8,
      rule: { type: "relative", normaliser: { method: "minmax", range: [0, 1] } },
    };
    const run = score(leaf, rowsOf("x", { A: 10, B: 20, C: 30 }));
    expect(points(run)).toMatchObject({ A: 0, B: 4, C: 8 });
    expect(text(run, "B")).toBe(
      "实际 20，3 个单位中最小 10、最大 30、平均 20，minmax 标准化 0.5，得分率 50.0%，得 4 分（满分 8 分）",
    );
  });

  it("ratio to a standard value capped at 100 (指数法)", () => {
    const leaf: IndicatorSpec = {
      code: "x",
      name: "R&D/GDP",
      points: 10,
      rule: { type: "relative", normaliser: { method: "standard", standard: 2.5 } },
    };
    const run = score(leaf, rowsOf("x", { A: 2.87, B: 2 }));
    expect(points(run)).toMatchObject({ A: 10, B: 8 });
    expect(text(run, "B")).toContain("指数 80（封顶 100）");
  });

  it("base-year index (base = 100)", () => {
    const leaf: IndicatorSpec = {
      code: "x",
      name: "创新指数",
      points: 10,
      rule: { type: "relative", normaliser: { method: "baseIndex", basePeriod: "2015" }, outOf: 200 },
    };
    const run = score(leaf, [...rowsOf("x", { A: 3, B: 1 }), ...rowsOf("x", { A: 2, B: 1 }, "2015")]);
    expect(points(run)).toMatchObject({ A: 7.5, B: 5 }); // index 150 and 100, of 200
  });

  it("expert marks: trimmed mean dropping the highest and lowest", () => {
    const leaf: IndicatorSpec = {
      code: "x",
      name: "党建",
      points: 10,
      dataType: "expert",
      rule: { type: "expert" },
    };
    const rows = [9, 7, 8, 10, 6].map((value, k) => ({
      unit: "A",
      indicator: "x",
      period: "2022",
      value,
      reviewer: `R${k}`,
    }));
    const run = score(leaf, rows);
    expect(points(run).A).toBe(8);
    expect(text(run, "A")).toBe(
      "5 位评委打分 9、7、8、10、6，去掉最高、最低分后平均 8（满分 10），得 8 分（满分 10 分）",
    );
  });

  it("expert marks: one per reviewer, naming the reviewer, within the scale; else the row is refused", () => {
    const leaf: IndicatorSpec = { code: "x", name: "党建", points: 20, rule: { type: "expert" } };
    const mark = (value: number, reviewer?: string, row?: number): DataRow => ({
      unit: "A",
      indicator: "x",
      period: "2022",
      value,
      ...(reviewer === undefined ? {} : { reviewer }),
      ...(row === undefined ? {} : { row }),
    });
    const refused = (rows: DataRow[]) => {
      const run = scorePlan(testPlan([leaf]), rows);
      if (run.ok) throw new Error("accepted");
      return run.error;
    };
    // A second mark from the same reviewer (it gave "8 位评委" and moved a total).
    const twice = refused([mark(18, "R1", 2), mark(17, "R2", 3), mark(12, "R1", 4)]);
    expect(twice.code).toBe("DUPLICATE_MARK");
    expect(twice.message["zh-CN"]).toBe("第 4 行：评委 R1 已为单位 A 的 x（2022）打分（第 2 行已有）");
    expect(refused([mark(18), mark(17, "R2")]).code).toBe("MARK_WITHOUT_REVIEWER");
    expect(refused([mark(18, " ")]).code).toBe("MARK_WITHOUT_REVIEWER");
    const over = refused([mark(25, "R1", 7)]);
    expect(over.code).toBe("MARK_OUT_OF_RANGE");
    expect(over.row).toBe(7);
    expect(over.message.en).toBe(
      "unit A, indicator x (党建): a mark is from 0 to 20, not 25 (it is refused, not capped: correct it)",
    );
    expect(refused([mark(-1, "R1")]).code).toBe("MARK_OUT_OF_RANGE");
    // Against the rule's own scale when it has one.
    const scaled = { ...leaf, rule: { type: "expert", markMax: 100 } } as IndicatorSpec;
    expect(scorePlan(testPlan([scaled]), [mark(95, "R1")]).ok).toBe(true);
    // The same reviewer may mark another unit, and the same unit in another period.
    const fine = scorePlan(testPlan([leaf]), [mark(18, "R1"), { ...mark(16, "R1"), unit: "B" }]);
    expect(fine.ok).toBe(true);
  });

  it("expert marks without trimming read with a separator before the mean", () => {
    const leaf: IndicatorSpec = { code: "x", name: "党建", points: 10, rule: { type: "expert", trim: 0 } };
    const rows = [9, 8].map((value, k) => ({
      unit: "A",
      indicator: "x",
      period: "2022",
      value,
      reviewer: `R${k}`,
    }));
    expect(text(score(leaf, rows), "A")).toBe(
      "2 位评委打分 9、8，平均 8.5（满分 10），得 8.5 分（满分 10 分）",
    );
  });

  it("a weighted average of sub-scores with different totals: each child's share of its full marks, at its weight", () => {
    // A 345-point set and a 100-point set at 0.7 / 0.3 (年度考核 = 指标体系 × 0.7 + 综合评价 × 0.3).
    const node: IndicatorSpec = {
      code: "T",
      name: "年度考核",
      points: 100,
      combine: "weighted",
      children: [
        { code: "I", name: "指标体系", points: 345, weight: 0.7, rule: { type: "mark", markMax: 345 } },
        { code: "E", name: "综合评价", points: 100, weight: 0.3, rule: { type: "mark" } },
      ],
    };
    const run = score(node, [...rowsOf("I", { A: 300, B: 345 }), ...rowsOf("E", { A: 90, B: 60 })]);
    expect(run.units[0]!.scores.T).toBeCloseTo(100 * (0.7 * (300 / 345) + 0.3 * 0.9), 9);
    expect(run.units[1]!.scores.T).toBeCloseTo(100 * (0.7 + 0.3 * 0.6), 9);
    expect(text(run, "A")).toBe(
      "按权重折算：I 得分率 87.0% × 权重 0.7 + E 得分率 90.0% × 权重 0.3 = 87.9%，乘以本项分值 100，得 87.87 分（满分 100 分）",
    );
    // Weights that do not add up to 1 are divided by their sum, and the trace says so.
    const halves = {
      ...node,
      children: node.children!.map((c, k) => ({ ...c, weight: k === 0 ? 8 : 2 })),
    } as IndicatorSpec;
    expect(text(score(halves, rowsOf("I", { A: 345 })), "A", "en")).toBe(
      "weighted mean of its items' shares: (I 100.0% of full marks × weight 8 + E 0.0% of full marks × weight 2) ÷ weights' sum 10 = 80.0%, times its 100 points: 80 of 100 points",
    );
  });

  it("a weighted parent's children must write their weights: with points alone the weights were the points", () => {
    const node = {
      code: "T",
      name: "年度考核",
      points: 100,
      combine: "weighted",
      children: [
        { code: "I", name: "指标体系", points: 345, weight: 0.7, rule: { type: "mark" } },
        { code: "E", name: "综合评价", points: 100, rule: { type: "mark" } },
      ],
    } as IndicatorSpec;
    const run = scorePlan(testPlan([node]), []);
    expect(run.ok).toBe(false);
    if (!run.ok) {
      expect(run.error.code).toBe("WEIGHT_REQUIRED");
      expect(run.error.message["zh-CN"]).toContain(
        "上级 T 按权重折算（combine: weighted），本项需写明权重（weight）",
      );
      expect(run.error.indicator).toBe("E");
    }
  });

  it("a sum that does not add up says when the node's own points were worked out from its weight", () => {
    const plan = testPlan(
      [
        {
          code: "P",
          name: "一级",
          weight: 4,
          children: [{ code: "p1", name: "二级", points: 100, rule: { type: "mark" } }],
        },
        { code: "Q", name: "一级", weight: 1, rule: { type: "mark" } },
      ],
      { pointsTotal: 100 },
    );
    const run = scorePlan(plan, []);
    expect(run.ok).toBe(false);
    if (!run.ok)
      expect(run.error.message["zh-CN"]).toContain(
        "下级分值合计 100，不等于本项分值 80（由其权重 weight 和上级分值算出）",
      );
  });

  it("sub-scores combined with fixed weights (领导评价/社会评价/民主测评)", () => {
    const node: IndicatorSpec = {
      code: "C",
      name: "综合评价",
      points: 20,
      combine: "weighted",
      children: [
        { code: "c1", name: "领导评价", weight: 0.5, rule: { type: "mark" } },
        { code: "c2", name: "社会评价", weight: 0.3, rule: { type: "mark" } },
        { code: "c3", name: "民主测评", weight: 0.2, rule: { type: "mark" } },
      ],
    };
    const run = score(node, [
      ...rowsOf("c1", { A: 90 }),
      ...rowsOf("c2", { A: 80 }),
      ...rowsOf("c3", { A: 100 }),
    ]);
    expect(run.units[0]!.scores.C).toBeCloseTo(20 * (0.5 * 0.9 + 0.3 * 0.8 + 0.2 * 1), 12);
    expect(run.units[0]!.scores.c1).toBe(9);
  });
});
