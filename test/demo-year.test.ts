/**
 * The demo year's files (examples/demo-2022/) scored by the engine under their own plans' rules: 市科技局
 * is 优秀 among the economic departments and 优胜单位 among the departments with talent duties because
 * its data earn it, and its bulletin, drafted from the two results and the history in the files, says
 * the seed's headline facts. Changing an input changes the grade or the sentence.
 */
import { describe, expect, it } from "vitest";
import { bulletinInputFromRun } from "../src/bulletins/from-run.js";
import { draftBulletin } from "../src/bulletins/index.js";
import { bulletinMarkdown } from "../src/bulletins/render.js";
import { type DataRow, type Plan, scorePlan } from "../src/engine/index.js";
import { readDemoYear } from "../src/server/demo-year/data.js";

const demo = readDemoYear();

function score(plan: Plan, rows: readonly DataRow[]) {
  const run = scorePlan(plan, rows);
  if (!run.ok) throw new Error(run.error.message["zh-CN"]);
  return run.value;
}
const kjjOf = (plan: Plan, rows: readonly DataRow[]) =>
  score(plan, rows).units.find((u) => u.unit === "kjj")!;

const change = (rows: readonly DataRow[], indicator: string, period: string, value: number) =>
  rows.map((r) =>
    r.unit === "kjj" && r.indicator === indicator && r.period === period ? { ...r, value } : r,
  );

function bulletin(workRows: readonly DataRow[] = demo.work.rows) {
  const work = kjjOf(demo.work.plan, workRows);
  const talent = kjjOf(demo.talent.plan, demo.talent.rows);
  const input = bulletinInputFromRun({
    plan: demo.work.plan,
    rows: workRows,
    result: { unit: "kjj", grade: work.grade, titles: work.titles },
    others: [{ plan: demo.talent.plan, result: { unit: "kjj", grade: talent.grade, titles: talent.titles } }],
    date: "2023-02-01",
  });
  return bulletinMarkdown(draftBulletin(input), ["zh-CN"]);
}

describe("the demo year", () => {
  it("has a city, its districts and counties, and about 40 municipal departments in four categories", () => {
    const kinds = demo.organisations.map((o) => o.kind);
    expect(kinds.filter((k) => k === "city")).toHaveLength(1);
    expect(kinds.filter((k) => k === "district").length).toBeGreaterThanOrEqual(6);
    expect(demo.work.plan.units.length).toBeGreaterThanOrEqual(38);
    expect(demo.work.plan.categories.map((c) => c.name)).toEqual([
      "经济发展部门",
      "社会事业部门",
      "党群部门",
      "执法监管部门",
    ]);
    // Every unit of every plan is one of the city's organisations.
    const codes = new Set(demo.organisations.map((o) => o.code));
    for (const p of [demo.work.plan, demo.talent.plan, demo.next])
      expect(p.units.filter((u) => !codes.has(u.code))).toEqual([]);
  });

  it("uses every rule type the engine offers across its plans", () => {
    const types = new Set<string>();
    const walk = (n: { rule?: { type: string } | undefined; children?: unknown[] | undefined }) => {
      if (n.rule) types.add(n.rule.type);
      for (const c of n.children ?? []) walk(c as typeof n);
    };
    for (const p of [demo.work.plan, demo.talent.plan]) p.indicators.forEach(walk);
    expect([...types].sort()).toEqual(["completion", "expert", "mark", "rank", "relative", "tiers", "yesno"]);
  });

  it("marks every value synthetic but 市科技局's, which cite the seed's facts", () => {
    for (const { rows } of [demo.prior, demo.work, demo.talent]) {
      const unmarked = rows.filter((r) => r.source !== "示例数据" && !/^seed F\d\d$/.test(r.source ?? ""));
      expect(unmarked).toEqual([]);
      expect(rows.filter((r) => r.source?.startsWith("seed")).every((r) => r.unit === "kjj")).toBe(true);
    }
  });

  it("has a 2021 of the same plan before 2022: every unit valued, ranks moved, 市科技局 良好 then 优秀", () => {
    const { plan, rows } = demo.prior;
    expect(plan.period).toEqual({ key: "2021", previous: "2020" });
    expect(plan.name).toBe("2021年度目标责任制考核方案（示例）");
    expect(plan.units).toEqual(demo.work.plan.units);
    expect(plan.categories).toEqual(demo.work.plan.categories);
    // Every unit has its year's values; the seed's only figure of 2021 is 市科技局's R&D/GDP rank, 5th.
    for (const u of plan.units)
      expect(rows.filter((r) => r.unit === u.code && r.period === "2021").length, u.code).toBeGreaterThan(10);
    expect(rows.filter((r) => r.source?.startsWith("seed"))).toMatchObject([
      { unit: "kjj", indicator: "A4", period: "2021", value: 5, source: "seed F01" },
    ]);
    const before = score(plan, rows).units;
    const after = score(demo.work.plan, demo.work.rows).units;
    const rankOf = (units: typeof before, unit: string) => units.find((u) => u.unit === unit)!.rank;
    expect(after.filter((u) => u.rank !== rankOf(before, u.unit)).length).toBeGreaterThan(10);
    const kjj = before.find((u) => u.unit === "kjj")!;
    expect(kjj.grade).toBe("良好");
    expect(kjj.rank).toBeGreaterThan(rankOf(after, "kjj")!);
  });

  it("grades 市科技局 优秀 in the first plan and 优胜 in the second, from its data", () => {
    const work = kjjOf(demo.work.plan, demo.work.rows);
    expect(work.grade).toBe("优秀");
    const talent = kjjOf(demo.talent.plan, demo.talent.rows);
    expect(talent.grade).toBe("优胜");
    // Not by name: with middling provincial results (values under the tiers, sixth in the province on
    // each, no 进位) and without the first-time inspection incentive, another department takes its place.
    let rows = demo.work.rows.filter((r) => !(r.unit === "kjj" && r.indicator === "incentive"));
    for (const [ind, value] of Object.entries({
      A3: 2.5,
      A4: 6,
      A5: 2.9,
      A6: 6,
      A7: 8,
      A8: 6,
      A9: 4,
      A10: 6,
    }))
      rows = change(rows, ind, "2022", value);
    expect(kjjOf(demo.work.plan, rows).grade).toBe("良好");
    // Half its overseas talents and foreign experts, and it is no longer 优胜.
    let t = change(demo.talent.rows, "T1", "2022", 8);
    t = change(t, "T3", "2022", 3);
    expect(kjjOf(demo.talent.plan, t).grade).toBe("合格");
  });

  it("drafts the bureau's bulletin with the seed's headline facts, and the rise follows the 2021 rank", () => {
    const text = bulletin();
    expect(text).toContain("市科技局荣获2022年度目标责任制考核优秀单位及人才工作目标责任制考核优胜单位");
    expect(text).toContain("全社会R&D经费占GDP比重2.87%，十年来首次由第五位提升至第四位");
    expect(text).toContain("规上工业研发费用占营业收入比重3.8%，全省第一位");
    expect(text).toContain("高新技术产业投资增长48.2%，全省第三位");
    expect(text).toContain("高新技术产业增加值增长10.4%，全省第三位");
    // Sixth in 2021: still a record, from a lower place.
    expect(bulletin(change(demo.work.rows, "A4", "2021", 6))).toContain(
      "全社会R&D经费占GDP比重2.87%，十年来首次由第六位提升至第四位",
    );
    // Fourth in 2021 already: no rise, and fourth is not worth a rank sentence.
    const flat = bulletin(change(demo.work.rows, "A4", "2021", 4));
    expect(flat).toContain("全社会R&D经费占GDP比重2.87%");
    expect(flat).not.toContain("提升至第四位");
    // Fourth in 2016: a rise from fifth, but only the first in six years (2017-2022).
    expect(bulletin(change(demo.work.rows, "A4", "2016", 4))).toContain("六年来首次由第五位提升至第四位");
  });
});
