import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { type BulletinMeta, bulletinInputFromTables, type FactRow, type TableRow } from "./facts-table.js";
import {
  type Bulletin,
  type BulletinInput,
  BulletinInputError,
  draftBulletin,
  type Sentence,
} from "./index.js";

const root = join(import.meta.dirname, "..", "..");
const seedFacts = join(root, "test", "fixtures", "bulletins", "facts.csv");
const fixtures = join(root, "test", "fixtures", "bulletins");
const csv = (path: string): TableRow[] =>
  (
    parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true, info: true }) as {
      record: FactRow;
      info: { lines: number };
    }[]
  ).map((r) => ({ line: r.info.lines, cells: r.record }));
const facts = csv(seedFacts);
const history = csv(join(fixtures, "history.csv"));
const meta: BulletinMeta = JSON.parse(readFileSync(join(fixtures, "meta.json"), "utf8"));

/** The seed's facts with one cell changed. */
const withCell = (id: string, column: string, value: string) =>
  facts.map((r) => (r.cells.id === id ? { ...r, cells: { ...r.cells, [column]: value } } : r));
const draft = (rows = facts, past = history): Bulletin =>
  draftBulletin(bulletinInputFromTables(rows, past, meta));
const sentences = (b: Bulletin): Sentence[] => [
  b.title,
  ...b.lead,
  ...b.highlights,
  ...b.sections.flatMap((s) => s.sentences),
];
const sentenceOf = (b: Bulletin, id: string) => sentences(b).find((s) => s.facts.some((f) => f.id === id));

describe("draftBulletin on the seed's facts", () => {
  const b = draft();

  it("has the seed's title, date, source and both results", () => {
    expect(b.title["zh-CN"]).toBe(
      "喜报！市科技局荣获2022年度目标责任制考核优秀单位及人才工作目标责任制考核优胜单位！",
    );
    expect(b.title.facts).toEqual([
      { id: "F33", field: "grade", value: "优秀单位" },
      { id: "F34", field: "grade", value: "优胜单位" },
    ]);
    expect(b.lead.map((s) => s.en)).toEqual([
      "the Municipal Science and Technology Bureau was rated Excellent Unit in the 2022 target-responsibility assessment and Outstanding Unit in the 2022 talent-work target-responsibility assessment",
    ]);
    expect(b).toMatchObject({ date: "2023-02-01", source: { "zh-CN": "市科技局" } });
  });

  it("states the headline facts as the seed does, each with the facts it rests on", () => {
    expect(b.highlights.map((s) => s["zh-CN"])).toEqual([
      "全社会R&D经费占GDP比重2.87%，十年来首次由第五位提升至第四位",
      "规上工业研发费用占营业收入比重3.8%，全省第一位",
      "高新技术产业投资增长48.2%，全省第三位",
      "高新技术产业增加值增长10.4%，全省第三位",
      "科技创新工作获省政府督查激励（首次）",
    ]);
    expect(b.highlights[0]?.en).toBe(
      "Gross R&D expenditure as share of GDP: 2.87%, up from fifth to fourth in the province, its best in ten years",
    );
    // The record rests on this year's rank and every earlier year's, 2021 back to 2013.
    expect(b.highlights[0]?.facts).toEqual([
      { id: "F01", field: "value", value: 2.87 },
      { id: "F01", field: "rank", value: 4, year: 2022 },
      ...[5, 5, 5, 5, 6, 5, 5, 6, 6].map((rank, k) => ({
        id: "F01",
        field: "rank",
        value: rank,
        year: 2021 - k,
      })),
    ]);
    expect(b.highlights[1]?.facts).toEqual([
      { id: "F02", field: "value", value: 3.8 },
      { id: "F02", field: "rank", value: 1, year: 2022 },
    ]);
  });

  it("numbers the sections by indicator group, with growth, shares and quantities in their units", () => {
    expect(b.sections.map((s) => [s.number, s.title["zh-CN"]])).toEqual([
      [1, "全域创新体系建设"],
      [2, "关键核心技术攻关"],
      [3, "科技人才引进培育"],
      [4, "共建研究院"],
      [5, "创新主体倍增提质"],
      [6, "科技助力稳进提质"],
      [7, "科技体制机制改革"],
      [8, "创新创业生态系统"],
    ]);
    expect(sentenceOf(b, "F12")?.["zh-CN"]).toBe("获省科技奖成果28项，同比增长40%");
    expect(sentenceOf(b, "F26")).toMatchObject({
      "zh-CN": "技术交易额200亿元，同比增长38%",
      en: "Technology transaction value: 200 × 100 million yuan, up 38% on the year before",
    });
    expect(sentenceOf(b, "F25")?.["zh-CN"]).toBe("规上工业研发活动覆盖面83.1%");
    expect(sentenceOf(b, "F15")?.["zh-CN"]).toBe("入选国家海外引才计划人才17个，全省第一位");
    expect(sentenceOf(b, "F06")?.["zh-CN"]).toBe("绍兴高新区全国评价位次上升14位");
  });

  it("every number in every sentence, in either language, is one of its facts", () => {
    // Names are the table's words, said as given ("… (16 of 16 good or better)"): not numbers stated.
    const names = new Map(
      bulletinInputFromTables(facts, history, meta).indicators.map((i) => [i.id, i.name] as const),
    );
    for (const s of sentences(b)) {
      const known = s.facts.map((f) => String(f.value)).concat(String(meta.year));
      const own = s.facts.map((f) => names.get(f.id)).filter((n) => n !== undefined);
      const unnamed = (text: string, lang: "zh-CN" | "en") =>
        own.reduce((t, name) => t.replaceAll(name[lang], ""), text);
      // "100 million yuan" is the name of a unit (亿元), not a number stated.
      for (const text of [
        unnamed(s["zh-CN"], "zh-CN"),
        unnamed(s.en, "en").replaceAll("× 100 million yuan", ""),
      ])
        for (const n of text.match(/\d+(\.\d+)?/g) ?? []) expect(known, text).toContain(n);
    }
  });
});

describe("the sentences follow the data", () => {
  const f01 = (b: Bulletin) => sentenceOf(b, "F01")?.["zh-CN"];

  it("another 2021 rank changes the rise, or removes it", () => {
    expect(f01(draft(withCell("F01", "previous_rank", "6")))).toBe(
      "全社会R&D经费占GDP比重2.87%，十年来首次由第六位提升至第四位",
    );
    // As good the year before: no rise, no record, and fourth is not worth a rank clause.
    expect(f01(draft(withCell("F01", "previous_rank", "4")))).toBe("全社会R&D经费占GDP比重2.87%");
    expect(f01(draft(withCell("F01", "previous_rank", "3")))).toBe("全社会R&D经费占GDP比重2.87%");
    expect(f01(draft(withCell("F01", "previous_rank", "")))).toBe("全社会R&D经费占GDP比重2.87%");
  });

  it("the record counts only the years since one as good or better", () => {
    const past = history.map((h) =>
      h.cells.year === "2016" ? { ...h, cells: { ...h.cells, rank: "3" } } : h,
    );
    expect(f01(draft(facts, past))).toBe("全社会R&D经费占GDP比重2.87%，六年来首次由第五位提升至第四位");
    // With only the year before known, the rise is said but no record.
    expect(f01(draft(facts, []))).toBe("全社会R&D经费占GDP比重2.87%，由第五位提升至第四位");
  });

  it("a top place held is said as held", () => {
    expect(sentenceOf(draft(withCell("F02", "previous_rank", "1")), "F02")).toMatchObject({
      "zh-CN": "规上工业研发费用占营业收入比重3.8%，保持全省第一位",
      en: "R&D spending of industrial firms above designated size as share of revenue: 3.8%, first in the province again",
    });
  });

  it("ranks outside the top three, falls and achievements not made are not reported", () => {
    expect(sentenceOf(draft(withCell("F02", "provincial_rank", "5")), "F02")?.["zh-CN"]).toBe(
      "规上工业研发费用占营业收入比重3.8%",
    );
    expect(sentenceOf(draft(withCell("F03", "value", "-2.5")), "F03")?.["zh-CN"]).toBe(
      "高新技术产业投资下降2.5%，全省第三位",
    );
    expect(sentenceOf(draft(withCell("F05", "value", "0")), "F05")).toBeUndefined();
    const passMeta = { ...meta, grades: { ...meta.grades, 合格: { en: "Pass", commendable: false } } };
    const rows = withCell("F33", "value", "合格");
    const passed = draftBulletin(bulletinInputFromTables(rows, history, passMeta));
    expect(passed.title["zh-CN"]).toBe("喜报！市科技局荣获2022年度人才工作目标责任制考核优胜单位！");
    expect(passed.lead.map((s) => s["zh-CN"])).toEqual([
      "市科技局荣获2022年度人才工作目标责任制考核优胜单位",
      "市科技局2022年度目标责任制考核等次为合格",
    ]);
  });

  it("without key indicators marked, the lead picks the most noteworthy: records, first places", () => {
    const input: BulletinInput = bulletinInputFromTables(facts, history, meta);
    const unmarked = draftBulletin({ ...input, groups: input.groups.map(({ lead: _, ...g }) => g) });
    expect(unmarked.highlights.map((s) => s.facts[0]?.id)).toEqual(["F01", "F02", "F05", "F15"]);
  });
});

/** The error drafting throws, for its place and messages. */
const errorOf = (run: () => unknown): BulletinInputError => {
  try {
    run();
  } catch (e) {
    if (e instanceof BulletinInputError) return e;
    throw e;
  }
  throw new Error("no error");
};

describe("input a bulletin cannot rest on", () => {
  it("is refused from the tables with its table, row and column", () => {
    expect(errorOf(() => draft(withCell("F02", "provincial_rank", "1.5")))).toMatchObject({
      place: { table: "facts", row: 3, column: "provincial_rank" },
      messages: { en: "1.5 is not a positive whole number", "zh-CN": "1.5 不是正整数" },
      message: "facts row 3, column provincial_rank: 1.5 is not a positive whole number",
    });
    expect(errorOf(() => draft(withCell("F03", "value", "高")))).toMatchObject({
      place: { table: "facts", row: 4, column: "value" },
      messages: { en: '"高" is not a number', "zh-CN": "“高”不是数字" },
    });
    expect(() => draft(withCell("F03", "value", "高"))).toThrow('row 4, column value: "高" is not a number');
    expect(errorOf(() => draft(withCell("F04", "id", "F03")))).toMatchObject({
      place: { table: "facts", row: 5, column: "id" },
      messages: { en: "duplicate id F03 (first on row 4)" },
    });
    expect(errorOf(() => draft(withCell("F04", "kind", "")))).toMatchObject({
      place: { table: "facts", row: 5, column: "kind" },
    });
  });

  it("names the history row, not the facts", () => {
    const row = (line: number, id: string, year: string, rank: string): TableRow => ({
      line,
      cells: { id, year, rank },
    });
    const last = history.at(-1)!.line;
    // 2021 is the year before: facts.csv's previous_rank of F01 already gives it.
    expect(errorOf(() => draft(facts, [...history, row(last + 1, "F01", "2021", "5")]))).toMatchObject({
      place: { table: "history", row: last + 1, column: "year" },
      messages: { en: "2021 is the year before, whose rank is the previous_rank of the facts' row 2" },
    });
    expect(errorOf(() => draft(facts, [...history, row(last + 3, "F01", "2014", "4")]))).toMatchObject({
      place: { table: "history", row: last + 3, column: "year" },
      messages: { en: expect.stringMatching(/^two ranks for F01 in 2014 \(the first on row \d+\)$/) },
    });
    expect(errorOf(() => draft(facts, [row(7, "F01", "2014", "0")]))).toMatchObject({
      place: { table: "history", row: 7, column: "rank" },
      messages: { en: "0 is not a positive whole number" },
    });
    expect(errorOf(() => draft(facts, [row(2, "F01", "2022", "3")]))).toMatchObject({
      place: { table: "history", row: 2, column: "year" },
      messages: { en: "history year 2022 is not before 2022" },
    });
    expect(errorOf(() => draft(facts, [row(2, "F99", "2020", "3")]))).toMatchObject({
      place: { table: "history", row: 2, column: "id" },
    });
  });

  it("is refused from a BulletinInput with the indicator named", () => {
    const input = bulletinInputFromTables(facts, history, meta);
    const withRank = (rank: number) =>
      draftBulletin({
        ...input,
        indicators: input.indicators.map((i) => (i.id === "F02" ? { ...i, rank } : i)),
      });
    const e = errorOf(() => withRank(1.5));
    expect(e.place).toBeUndefined();
    expect(e.message).toBe(
      "indicator F02 (R&D spending of industrial firms above designated size as share of revenue): the rank 1.5 is not a positive whole number",
    );
  });
});
