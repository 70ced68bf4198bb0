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
});
