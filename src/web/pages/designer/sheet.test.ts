import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Plan, planSchema } from "../../../engine/index.js";
import { indicatorRows, readIndicatorRows } from "./sheet";
import { indicatorWorkbook, readIndicatorWorkbook } from "./xlsx";

const examples = join(import.meta.dirname, "..", "..", "..", "..", "examples");
const load = (name: string) =>
  planSchema.parse(JSON.parse(readFileSync(join(examples, name, "plan.json"), "utf8"))) as Plan;

describe("the 指标体系 sheet", () => {
  for (const name of ["city-departments", "county-districts", "city-scheme"]) {
    it(`${name}: the tree through the sheet's rows and an .xlsx workbook is the same tree`, async () => {
      const plan = load(name);
      const rows = indicatorRows(plan.indicators);
      expect(rows[0]!.slice(0, 3)).toEqual(["层级", "代码", "名称"]);
      const back = readIndicatorRows(rows);
      expect(back).toEqual({ ok: true, indicators: plan.indicators });
      const book = await readIndicatorWorkbook(await indicatorWorkbook(plan.indicators));
      expect(book).toEqual({ ok: true, indicators: plan.indicators });
    });
  }

  it("names the row and column at fault", () => {
    const rows = indicatorRows([
      {
        code: "A",
        name: "A",
        points: 10,
        children: [{ code: "A1", name: "A1", points: 10, rule: { type: "mark" } }],
      },
    ]);
    const skipped = rows.map((r) => [...r]);
    skipped[2]![0] = 3;
    const r = readIndicatorRows(skipped);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ row: 3, column: "层级" });
      expect(r.error.message["zh-CN"]).toBe("指标体系表第 3 行“层级”列：层级 3 缺少上一级指标");
    }
    const bad = rows.map((x) => [...x]);
    bad[1]![4] = "十";
    const b = readIndicatorRows(bad);
    expect(!b.ok && b.error.message["zh-CN"]).toBe("指标体系表第 2 行“分值”列：应为数字");
  });

  it("reads a sheet filled by hand: the rule's type from 计分规则, its parameters from 规则参数", () => {
    const r = readIndicatorRows([
      ["层级", "代码", "名称", "分值", "计分规则", "规则参数", "目标值"],
      [1, "A", "经济发展", 30, null, null, null],
      [2, "A1", "地区生产总值增速", 10, "completion", null, 6.5],
      [2, "A2", "固定资产投资", 10, "tiers", null, 100],
      [2, "A3", "招商引资", 10, "yesno", '{"threshold":3}', null],
      [1, "B", "群众满意度", 20, "expert", '{"type":"expert","trim":1}', null],
    ]);
    expect(r).toEqual({
      ok: true,
      indicators: [
        {
          code: "A",
          name: "经济发展",
          points: 30,
          children: [
            { code: "A1", name: "地区生产总值增速", points: 10, target: 6.5, rule: { type: "completion" } },
            {
              code: "A2",
              name: "固定资产投资",
              points: 10,
              target: 100,
              // A type alone starts with the designer's defaults (the form's two tiers).
              rule: {
                type: "tiers",
                tiers: [
                  { threshold: 100, points: 10 },
                  { threshold: 80, points: 6 },
                ],
              },
            },
            { code: "A3", name: "招商引资", points: 10, rule: { type: "yesno", threshold: 3 } },
          ],
        },
        { code: "B", name: "群众满意度", points: 20, rule: { type: "expert", trim: 1 } },
      ],
    });
  });

  it("a rule type changed in 计分规则 is not lost under 规则参数: a conflict or an unknown type names its row", () => {
    const rows = indicatorRows([
      {
        code: "A",
        name: "A",
        points: 10,
        children: [{ code: "A1", name: "A1", points: 10, rule: { type: "completion", floor: 0.6 } }],
      },
    ]);
    const typeAt = rows[0]!.indexOf("计分规则");
    const changed = rows.map((r) => [...r]);
    changed[2]![typeAt] = "mark";
    const c = readIndicatorRows(changed);
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.error).toMatchObject({ row: 3, column: "计分规则" });
      expect(c.error.message["zh-CN"]).toBe(
        '指标体系表第 3 行“计分规则”列：规则类型 mark 与“规则参数”列中的 "completion" 不一致',
      );
    }
    const unknown = rows.map((r) => [...r]);
    unknown[2]![typeAt] = "完成率";
    const u = readIndicatorRows(unknown);
    expect(!u.ok && u.error).toMatchObject({ row: 3, column: "计分规则" });
    expect(!u.ok && u.error.message.en).toContain("unknown rule type 完成率");
    // The type given and 规则参数 without one: the parameters under that type.
    const untyped = rows.map((r) => [...r]);
    untyped[2]![rows[0]!.indexOf("规则参数")] = '{"floor":0.6}';
    const t = readIndicatorRows(untyped);
    expect(t.ok && t.indicators[0]!.children![0]!.rule).toEqual({ type: "completion", floor: 0.6 });
  });

  it("reads an .xlsx workbook laid out by hand (its own column order, the sheet not first)", async () => {
    const ExcelJS = ((m) => (m as unknown as { default?: typeof m }).default ?? m)(await import("exceljs"));
    const book = new ExcelJS.Workbook();
    book.addWorksheet("说明").addRow(["本表由考核办下发"]);
    const sheet = book.addWorksheet("指标体系");
    sheet.addRow(["代码", "名称", "层级", "计分规则", "分值", "必达指标"]);
    sheet.addRow(["A", "安全生产", 1, null, 10, null]);
    sheet.addRow(["A1", "事故起数", 2, "yesno", 10, "是"]);
    const read = await readIndicatorWorkbook((await book.xlsx.writeBuffer()) as ArrayBuffer);
    expect(read).toEqual({
      ok: true,
      indicators: [
        {
          code: "A",
          name: "安全生产",
          points: 10,
          children: [{ code: "A1", name: "事故起数", points: 10, must: true, rule: { type: "yesno" } }],
        },
      ],
    });
  });
});
