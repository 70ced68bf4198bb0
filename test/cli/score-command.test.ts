import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../helpers/run-cli.js";
import { sheetXml, textCell, workbookEntries, writeZip } from "../helpers/zip.js";

const examples = join(import.meta.dirname, "..", "..", "examples");
const cityPlan = join(examples, "city-departments", "plan.json");
const cityData = join(examples, "city-departments", "values.csv");
const provincePlan = join(examples, "province-cities", "plan.json");
const provinceData = join(examples, "province-cities", "values.csv");
const dir = mkdtempSync(join(tmpdir(), "kaohe-score-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csvRows = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((l) => l.split(","));

describe("kaohe score on the examples", () => {
  it("gives the examples' runs the input hashes earlier releases gave (stored runs keep verifying)", async () => {
    const hashes = async (plan: string, data: string) => {
      const r = await cli(["score", "--plan", plan, "--data", data, "--format", "json"]);
      expect(r.code).toBe(0);
      return JSON.parse(r.out).inputHash.run;
    };
    expect(await hashes(cityPlan, cityData)).toBe(
      "c3e376ac54e310904adada4be97b0cbf4f93037a6352e441877de2ac7d96516b",
    );
    expect(await hashes(provincePlan, provinceData)).toBe(
      "7fac0fb814db232f6e78d3b8d45b6fc7119d452d2a8d7dfb3dd57dfcf484f029",
    );
  });

  it("the municipal plan: the S&T bureau is 优秀 and 优胜单位, as in the seed document", async () => {
    const r = await cli(["score", "--plan", cityPlan, "--data", cityData]);
    expect(r.code).toBe(0);
    const [header, ...rows] = csvRows(r.out);
    const col = (name: string) => header!.indexOf(name);
    const kjj = rows.find((row) => row[0] === "kjj")!;
    expect([kjj[col("grade")], kjj[col("titles")], kjj[col("rank")]]).toEqual(["优秀", "优胜单位", "1"]);
    expect(header!.slice(col("failedMust") + 1)).toEqual([
      "A",
      "A1",
      "A2",
      "A3",
      "B",
      "B1",
      "B2",
      "B3",
      "B4",
      "C",
      "C1",
      "C2",
      "C3",
    ]);
    // quotas: 40% of each category, rounded down, never exceeded
    for (const [category, size] of [
      ["econ", 5],
      ["social", 4],
      ["party", 3],
    ] as const) {
      const excellent = rows.filter(
        (row) => row[col("category")] === category && row[col("grade")] === "优秀",
      );
      expect(excellent.length).toBeLessThanOrEqual(Math.floor(size * 0.4));
    }
    const veto = rows.find((row) => row[0] === "mzj")!;
    expect([veto[col("rank")], veto[col("grade")], veto[col("vetoes")]]).toEqual(["1", "合格", "discipline"]);
    const standalone = rows.find((row) => row[0] === "jwj")!;
    expect([standalone[col("rank")], standalone[col("grade")]]).toEqual(["", ""]);
  });

  it("the provincial ranking plan: Shaoxing rises from 5th to 4th on R&D/GDP and earns the 进位 bonus", async () => {
    const r = await cli(
      ["score", "--plan", provincePlan, "--data", provinceData, "--explain", "sx"],
      "zh-CN",
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "I1 全社会R&D经费支出占GDP比重：在 11 个单位中排第 4 位，位次得分 21.25 分；上期第 5 位，进 1 位，进位加 1 分，得 22.25 分（满分 25 分）",
    );
    expect(r.out).toContain("加分项 科技创新工作获省政府督查激励：加 2 分（2022督查激励 省级 2 分）");
  });

  it("--explain states the veto that kept 市民政局 from 优秀 and 良好 though first in its category", async () => {
    const zh = await cli(["score", "--plan", cityPlan, "--data", cityData, "--explain", "mzj"], "zh-CN");
    expect(zh.out).toContain("社会事业部门 第 1 名（共 4 个）；等次 合格");
    expect(zh.out).toContain(
      "  等次：一票否决（领导班子成员严重违纪违法）：不得评为 优秀、良好\n  等次：评为 合格（总分 94.28 ≥ 60）",
    );
    const en = await cli(
      ["--lang", "en", "score", "--plan", cityPlan, "--data", cityData, "--explain", "mzj"],
      "",
    );
    expect(en.out).toContain("  grade: veto (领导班子成员严重违纪违法): not eligible for 优秀, 良好\n");
  });

  it("json output carries every trace and is byte-for-byte reproducible", async () => {
    const a = await cli(["score", "--plan", cityPlan, "--data", cityData, "--format", "json"]);
    const b = await cli(["score", "--plan", cityPlan, "--data", cityData, "--format", "json"]);
    expect(a.out).toBe(b.out);
    const run = JSON.parse(a.out);
    expect(run.inputHash.run).toMatch(/^[0-9a-f]{64}$/);
    expect(run.units[0].trace[0].children[0].text.en).toBe(
      "completion 100.0% (actual 24, target 24): 25 of 25 points",
    );
  });

  it("reads a CSV whose lines end in CRLF and LF mixed (a file edited on Windows and Linux)", async () => {
    const lines = readFileSync(cityData, "utf8").trimEnd().split(/\r?\n/);
    const mixed = join(dir, "mixed-line-ends.csv");
    writeFileSync(mixed, `${lines.map((l, i) => (i % 3 === 0 ? `${l}\r\n` : `${l}\n`)).join("")}`);
    const a = await cli(["score", "--plan", cityPlan, "--data", mixed]);
    expect(a.err).toBe("");
    expect(a.code).toBe(0);
    expect(a.out).toBe((await cli(["score", "--plan", cityPlan, "--data", cityData])).out);
  });

  it("reads the same data from an Excel workbook, with Chinese column headers", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("填报数据");
    const lines = csvRows(readFileSync(cityData, "utf8"));
    const headers: Record<string, string> = {
      unit: "单位",
      indicator: "指标",
      period: "期间",
      value: "数值",
      source: "来源",
      level: "级别",
      ref: "成果",
      reviewer: "评委",
    };
    sheet.addRow(lines[0]!.map((h) => headers[h] ?? h));
    for (const line of lines.slice(1))
      sheet.addRow(line.map((cell, i) => (i === 3 || i === 2 ? Number(cell) : cell)));
    const xlsx = join(dir, "values.xlsx");
    await workbook.xlsx.writeFile(xlsx);
    const fromExcel = await cli(["score", "--plan", cityPlan, "--data", xlsx]);
    const fromCsv = await cli(["score", "--plan", cityPlan, "--data", cityData]);
    expect(fromExcel.code).toBe(0);
    expect(fromExcel.out).toBe(fromCsv.out);

    sheet.getCell("D5").value = "九十";
    await workbook.xlsx.writeFile(xlsx);
    const bad = await cli(["score", "--plan", cityPlan, "--data", xlsx]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('values.xlsx, sheet 填报数据, row 5, column 数值: "九十" is not a number');
  });

  it("an .xlsx past its limits is refused before or while it is read, naming the file and sheet", async () => {
    const header = `<row r="1">${["单位", "指标", "期间", "数值"].map((h, i) => textCell(`${"ABCD"[i]}1`, h)).join("")}</row>`;
    // a zip declaring 3.7 GB inflated: refused from its central directory, nothing inflated
    const bomb = join(dir, "bomb.xlsx");
    writeFileSync(
      bomb,
      await writeZip(
        workbookEntries(Buffer.concat([sheetXml.head, Buffer.from(header), sheetXml.tail]), {
          declaredSize: 0xf0000000,
        }),
      ),
    );
    const r = await cli(["score", "--plan", cityPlan, "--data", bomb]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("bomb.xlsx: the file inflates to more than 1024 MB, over the limit");
    // a cell longer than Excel allows, refused as it streams in
    const long = join(dir, "long.xlsx");
    const row = `<row r="2">${textCell("A2", "x".repeat(40_000))}</row>`;
    writeFileSync(
      long,
      await writeZip(
        workbookEntries(Buffer.concat([sheetXml.head, Buffer.from(header + row), sheetXml.tail])),
      ),
    );
    const l = await cli(["score", "--plan", cityPlan, "--data", long]);
    expect(l.code).toBe(1);
    expect(l.err).toBe(
      'long.xlsx, sheet 填报, row 2, column A: sheet "填报" has a cell longer than 32767 characters, over the limit',
    );
  });

  it("--out writes the file; overrides need a reason and are shown beside the rules' grade", async () => {
    const overrides = join(dir, "overrides.csv");
    writeFileSync(overrides, "unit,grade,reason\nswj,良好,经复核更正通报批评次数\n");
    const out = join(dir, "results.csv");
    expect(
      (await cli(["score", "--plan", cityPlan, "--data", cityData, "--overrides", overrides, "--out", out]))
        .code,
    ).toBe(0);
    const swj = csvRows(readFileSync(out, "utf8")).find((row) => row[0] === "swj")!;
    expect(swj.slice(9, 12)).toEqual(["良好", "合格", "良好: 经复核更正通报批评次数"]);
    writeFileSync(overrides, "unit,grade,reason\nswj,良好,\n");
    const r = await cli(["score", "--plan", cityPlan, "--data", cityData, "--overrides", overrides]);
    expect(r.err).toBe("overrides.csv, row 2, column reason: an override needs a reason");
  });
});

describe("the county example: adjustments outside full marks and value rules", () => {
  const plan = join(examples, "county-districts", "plan.json");
  const data = join(examples, "county-districts", "values.csv");

  it("full marks stay 100 with two rank tables; each adjustment shows at its node", async () => {
    const valid = await cli(["plan", "validate", plan]);
    expect(valid.out).toMatch(/, 100 points$/);
    const r = await cli(["score", "--plan", plan, "--data", data, "--explain", "cx"]);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n").map((l) => l.trim());
    expect(lines).toContain(
      "ECON 经济发展: sum of its items: 36.62 points; adjustments: GDP_RANK provincial rank of GDP growth -3: 33.62 of 40 points (adjustments outside full marks)",
    );
    expect(lines).toContain(
      "GDP_RANK 地区生产总值增速全省位次加减分: ranked 88: adjustment -3 (outside full marks)",
    );
    expect(lines).toContain(
      "RANK 全省高质量发展综合绩效位次加减分: ranked 89: adjustment -1 (outside full marks)",
    );
    // A bonus on a node: added to 重点工作 before it is weighted into 综合评价, not to the total.
    const dq = await cli(["score", "--plan", plan, "--data", data, "--explain", "dq"], "zh-CN");
    expect(dq.out).toContain(
      "WORK 重点工作（部门评分）：各项得分合计，为 26.2 分；加减分：加分项 重点工作获上级表彰：加 3 分（无废城市 国家级 3 分），得 29.2 分（满分 30 分，加减分不计入满分）",
    );
    expect(dq.out).toContain("总分 97.73 = 基本分 97.73 + 加分 0 − 扣分 0");
  });
});

describe("bad data and bad plans name the place", () => {
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const plan = JSON.parse(readFileSync(cityPlan, "utf8"));

  it.each([
    [
      "an unknown unit",
      "unit,indicator,period,value\nkjj,A1,2022,24\nnope,A1,2022,3\n",
      "values.csv: row 3: unit nope is not in the plan",
    ],
    [
      "an unknown indicator",
      "unit,indicator,period,value\nkjj,A9,2022,24\n",
      "values.csv: row 2: A9 is not an indicator, bonus, penalty or veto item of the plan",
    ],
    [
      "a value for an aggregate",
      "unit,indicator,period,value\nkjj,A,2022,24\n",
      "values.csv: row 2: A is an aggregate and takes no data",
    ],
    [
      "a duplicate value",
      "unit,indicator,period,value\nkjj,A1,2022,24\nkjj,A1,2022,25\n",
      "values.csv: row 3: duplicate value of A1 for kjj in 2022 (already on row 2)",
    ],
    [
      "a non-numeric value",
      "unit,indicator,period,value\nkjj,A1,2022,abc\n",
      'values.csv, row 2, column value: "abc" is not a number',
    ],
    [
      "a missing column",
      "unit,indicator,value\nkjj,A1,24\n",
      "values.csv, row 1, column period: required column period / 期间 is missing",
    ],
    [
      "an unknown bonus level",
      "unit,indicator,period,value,level\nkjj,award,2022,1,世界级\n",
      'values.csv: row 2: level "世界级" of bonus item award is not one of 国家级, 省级, 市级',
    ],
    [
      "a yes/no value that is neither",
      "unit,indicator,period,value\nkjj,B2,2022,2\n",
      "values.csv, row 2, column value: unit kjj, indicator B2 (lawful administration): a yes/no indicator takes 1 (yes) or 0 (no), not 2",
    ],
    [
      "a mark above its scale (refused, not capped at full marks)",
      "unit,indicator,period,value\nkjj,B4,2022,95\nfgw,B4,2022,105\n",
      "values.csv, row 3, column value: unit fgw, indicator B4 (government transparency): a mark is from 0 to 100, not 105 (it is refused, not capped: correct it)",
    ],
  ])("%s", async (_what, data, message) => {
    const r = await cli(["score", "--plan", cityPlan, "--data", write("values.csv", data)]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(message);
  });

  const mutate = (f: (p: typeof plan) => void) => {
    const copy = structuredClone(plan);
    f(copy);
    return write("plan.json", JSON.stringify(copy));
  };

  it("the plan's value rules: an indicator's range and the precision of marks by points, at the cell", async () => {
    const ruled = mutate((p) => {
      p.indicators[0].children[0].values = { min: 0, decimals: 0 }; // A1 counts tasks
      p.markDecimals = [{ minPoints: 8, decimals: 0 }]; // B1 is an 8-point expert mark
    });
    const score = (data: string, lang = "en") =>
      cli(["score", "--plan", ruled, "--data", write("ruled.csv", data)], lang);
    const half = await score("单位,指标,期间,数值\nkjj,A1,2022,24.5\n", "zh-CN");
    expect(half.code).toBe(1);
    expect(half.err).toBe(
      "ruled.csv 第 2 行 数值 列：单位 kjj 的指标 A1（年度重点工作任务完成）：须为整数，不是 24.5（本项数值规则）",
    );
    const mark = await score("unit,indicator,period,value,reviewer\nkjj,B1,2022,7,R1\nkjj,B1,2022,7.5,R2\n");
    expect(mark.err).toBe(
      "ruled.csv, row 3, column value: unit kjj, indicator B1 (Party building): must be a whole number, not 7.5 (the plan's markDecimals for indicators worth 8 points or more; this one is worth 8)",
    );
    expect((await score("unit,indicator,period,value\nkjj,A1,2022,24\n")).code).toBe(0);
  });

  it.each([
    [
      "an unknown rule",
      (p: typeof plan) => {
        p.indicators[1].children[2].rule = { type: "lottery" };
      },
      'plan.json: indicators[1].children[2]（B3 信访事项按期办结率）.rule.type: "lottery" is not recognised',
    ],
    [
      "points that do not add up",
      (p: typeof plan) => {
        p.indicators[0].children[0].points = 20;
      },
      "plan.json: indicator A: children's points add up to 55, not its 60",
    ],
    [
      "a unit in two categories",
      (p: typeof plan) => {
        p.categories[1].units.push("kjj");
      },
      "plan.json: unit kjj is in two categories: econ and social",
    ],
    [
      "a quota above 100%",
      (p: typeof plan) => {
        p.grades[0].quota.share = 1.5;
      },
      "plan.json: grade 优秀 has a quota of 150%, above 100%",
    ],
    [
      "an unknown field",
      (p: typeof plan) => {
        p.indicators[0].children[1].pionts = 3;
      },
      "plan.json: indicators[0].children[1]（A2 核心业务指标完成（各单位一项））: unknown field(s) pionts",
    ],
  ])("rejects %s", async (_what, change, message) => {
    const path = mutate(change);
    for (const args of [
      ["plan", "validate", path],
      ["score", "--plan", path, "--data", cityData],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expect(r.err).toBe(message);
    }
  });

  it("a negative bonus level is refused in the user's language, pointing to penalties and rank tables", async () => {
    const plan = JSON.parse(readFileSync(cityPlan, "utf8"));
    plan.bonus[0].levels = { ...plan.bonus[0].levels, 倒扣: -1 };
    const path = join(dir, "negative-bonus.json");
    writeFileSync(path, JSON.stringify(plan));
    const zh = await cli(["plan", "validate", path], "zh-CN");
    expect(zh.code).toBe(1);
    expect(zh.err).toBe(
      "negative-bonus.json：bonus[0].levels.倒扣：-1 无效，应不小于 0（加分项的分值不能为负：扣分请用 penalties，按位次加减分请用位次计分的 table.bottom）",
    );
    const en = await cli(["plan", "validate", path], "en");
    expect(en.err).toContain(
      "-1 is invalid, expected a number of at least 0 (a bonus level's points cannot be negative",
    );
  });

  it("plan validate summarises a valid plan", async () => {
    const r = await cli(["plan", "validate", cityPlan], "zh-CN");
    expect(r.out).toBe(
      "方案 city-departments-2022（2022年度市直单位工作目标责任制考核方案（示例））有效：13 个指标（10 个末级），13 个单位，3 个类别，满分 100 分",
    );
  });
});

describe("kaohe plan schema", () => {
  it("publishes a JSON Schema that accepts the examples and rejects a broken plan", async () => {
    const r = await cli(["plan", "schema"]);
    const schema = JSON.parse(r.out);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const ajv = new Ajv2020.default({ strict: false });
    const validate = ajv.compile(schema);
    for (const path of [cityPlan, provincePlan, join(examples, "county-districts", "plan.json")]) {
      expect(validate(JSON.parse(readFileSync(path, "utf8"))), JSON.stringify(validate.errors)).toBe(true);
    }
    const broken = JSON.parse(readFileSync(cityPlan, "utf8"));
    broken.indicators[0].children[0].rule.type = "lottery";
    expect(validate(broken)).toBe(false);
  });
});
