import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type DataRow, type Plan, planSchema } from "../engine/index.js";
import { bulletinInputFromRun, type RunBulletinSource } from "./from-run.js";
import { draftBulletin } from "./index.js";
import { bulletinBodyHtml } from "./render.js";

const dir = join(import.meta.dirname, "..", "..", "examples", "city-departments");
const plan: Plan = planSchema.parse(JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")));
const rows: DataRow[] = readFileSync(join(dir, "values.csv"), "utf8")
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(","))
  .map(([unit, indicator, period, value, , level]) => ({
    unit: unit!,
    indicator: indicator!,
    period: period!,
    value: Number(value),
    ...(level ? { level } : {}),
  }));

const source = (over: Partial<RunBulletinSource> = {}): RunBulletinSource => ({
  plan,
  rows,
  result: { unit: "kjj", grade: "优秀", titles: ["优胜单位"] },
  date: "2023-02-01",
  ...over,
});
const text = (s: RunBulletinSource) => bulletinBodyHtml(draftBulletin(bulletinInputFromRun(s)), "zh-CN");
const withRow = (indicator: string, period: string, value: number) =>
  rows.map((r) =>
    r.unit === "kjj" && r.indicator === indicator && r.period === period ? { ...r, value } : r,
  );

describe("a run's bulletin input", () => {
  it("announces the plan's top grade and titles, and states a plain grade plainly", () => {
    const won = draftBulletin(bulletinInputFromRun(source()));
    expect(won.title["zh-CN"]).toBe(
      "喜报！市科技局荣获2022年度市直单位工作目标责任制考核优秀单位及优胜单位！",
    );
    expect(won.title.en).toBe(
      "Good news: S&T Bureau was rated Excellent Unit and Outstanding Unit in the 2022 target-responsibility assessment of municipal departments",
    );
    const plain = draftBulletin(
      bulletinInputFromRun(source({ result: { unit: "kjj", grade: "良好", titles: [] } })),
    );
    expect(plain.title["zh-CN"]).toBe("市科技局2022年度考核结果通报");
    expect(plain.lead[0]!["zh-CN"]).toBe("市科技局2022年度市直单位工作目标责任制考核等次为良好");
  });

  it("says a rank rule's rise from the run's earlier period, and nothing once the data no longer support it", () => {
    expect(text(source())).toContain("省级对口考核位次由第五位提升至第四位");
    // Third the year before: fourth is a fall, not worth a sentence.
    const fell = text(source({ rows: withRow("A3", "2021", 3) }));
    expect(fell).not.toContain("省级对口考核位次");
    // Earlier plans' ranks (worse each year) make it a record.
    const earlier = [2018, 2019, 2020].map((y) => ({
      unit: "kjj",
      indicator: "A3",
      period: String(y),
      value: 6,
    }));
    expect(text(source({ earlier }))).toContain("五年来首次由第五位提升至第四位");
  });

  it("gives a quantity its growth on the period before", () => {
    const earlier = [{ unit: "kjj", indicator: "A1", period: "2021", value: 20 }];
    expect(text(source({ earlier }))).toContain("年度重点工作任务完成24项，同比增长20%");
    expect(text(source())).not.toContain("同比");
  });

  it("leaves out expert marks and another unit's rows", () => {
    const input = bulletinInputFromRun(source());
    expect(input.indicators.map((i) => i.id)).not.toContain("B1");
    expect(input.indicators.every((i) => i.group === "bonus" || ["A", "B", "C"].includes(i.group))).toBe(
      true,
    );
    const other = bulletinInputFromRun(source({ result: { unit: "fgw", grade: null, titles: [] } }));
    expect(other.indicators.find((i) => i.id === "A1")!.value).toBe(
      rows.find((r) => r.unit === "fgw" && r.indicator === "A1" && r.period === "2022")!.value,
    );
  });
});
