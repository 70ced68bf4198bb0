import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { verifyAuditChain } from "../../src/server/modules/audit/service.js";
import { type Client, signIn } from "../helpers/accounts.js";
import { examplePlan, exampleValues, REPORTED } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const planDocument = examplePlan();
// The example's reported values of two units, as the statistics bureau might supply them.
const supplied = exampleValues((indicator) => REPORTED.has(indicator)).filter(
  (r) => r.unit === "kjj" || r.unit === "fgw",
);

let t: TestApp;
let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
let kjjReporter: Client;
let planId = "";

beforeAll(async () => {
  t = await testApp({ units: planDocument });
  ({ database, app } = t);
  office = await t.signIn("office", ["office_staff"]);
  kjjReporter = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  planId = (await t.publish(office, planDocument, false)).planId;
});
afterAll(() => t.close());

const imports = () => `/api/v1/plans/${planId}/imports`;

async function template() {
  const r = await office.request("GET", `${imports()}/template.xlsx`);
  expect(r.statusCode).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
  return workbook;
}

/** Sends a workbook to import, runs the job as a worker process would, and answers the finished job. */
async function runImport(workbook: ExcelJS.Workbook) {
  const r = await office.send("POST", imports(), Buffer.from(await workbook.xlsx.writeBuffer()), XLSX);
  expect(r.statusCode, r.body).toBe(202);
  expect(r.json()).toMatchObject({ kind: "import", status: "queued" });
  expect(await app.jobRunner.tick()).toBe(true);
  return (await office.request("GET", `/api/v1/jobs/${r.json().id}`)).json();
}

/** Fills the template's value column from rows of (unit, indicator, period, value). */
function fill(
  workbook: ExcelJS.Workbook,
  rows: { unit: string; indicator: string; period: string; value: number }[],
) {
  const sheet = workbook.getWorksheet("导入")!;
  const at = new Map<string, number>();
  sheet.eachRow((row, n) => {
    const [unit, , indicator, , period] = (row.values as unknown[]).slice(1);
    at.set(`${unit}/${indicator}/${period}`, n);
  });
  for (const r of rows)
    sheet.getRow(at.get(`${r.unit}/${r.indicator}/${r.period}`)!).getCell(6).value = r.value;
  return sheet;
}

describe("the office imports many units' values (数据导入) as a job", () => {
  it("offers a template of every unit's reported cells; only the office may import", async () => {
    const sheet = (await template()).getWorksheet("导入")!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      "单位代码",
      "单位名称",
      "指标代码",
      "指标名称",
      "期间",
      "数值",
      "说明",
    ]);
    // 13 units, each with the cells of its own value template.
    const perUnit =
      (await kjjReporter.request("GET", `/api/v1/plans/${planId}/units/kjj/template.csv`)).body
        .trim()
        .split("\n").length - 1;
    expect(sheet.rowCount - 1).toBe(13 * perUnit);
    expect((await kjjReporter.request("GET", `${imports()}/template.xlsx`)).statusCode).toBe(403);
    expect((await kjjReporter.send("POST", imports(), Buffer.from("x"), "text/csv")).statusCode).toBe(403);
    const broken = await office.send("POST", imports(), Buffer.from("not a workbook"), XLSX);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].message).toBe("不是有效的 Excel（.xlsx）文件");
  });

  it("a file with mistakes fails as a whole, naming every cell; nothing is saved", async () => {
    const workbook = await template();
    const sheet = fill(workbook, supplied);
    const kjjA1 = sheet
      .getColumn(1)
      .values.findIndex((v, n) => v === "kjj" && sheet.getRow(n).getCell(3).value === "A1");
    sheet.getRow(kjjA1).getCell(6).value = "二十三";
    const extra = sheet.addRow(["nowhere", "", "A1", "", "2022", 5]);
    const job = await runImport(workbook);
    expect(job).toMatchObject({ status: "failed", error: "上传文件有 2 处错误，未保存任何数据" });
    expect(job.result.errors).toEqual([
      { sheet: "导入", row: kjjA1, column: "数值", message: "“二十三”不是数字" },
      { sheet: "导入", row: extra.number, column: "单位代码", message: "方案中没有单位 nowhere" },
    ]);
    expect(
      (await kjjReporter.request("GET", `/api/v1/plans/${planId}/units/kjj/values`)).json().items,
    ).toEqual([]);
  });

  it("a good file lands whole: every value submitted for review, each change audited", async () => {
    const job = await runImport(fill(await template(), supplied).workbook);
    expect(job).toMatchObject({
      status: "done",
      progress: 1,
      result: { imported: supplied.length, created: supplied.length, updated: 0 },
    });
    const kjj = (await kjjReporter.request("GET", `/api/v1/plans/${planId}/units/kjj/values`)).json().items;
    expect(kjj).toHaveLength(supplied.filter((r) => r.unit === "kjj").length);
    expect(new Set(kjj.map((v: { status: string }) => v.status))).toEqual(new Set(["submitted"]));
    const a2 = kjj.find((v: { indicator: string }) => v.indicator === "A2");
    expect(a2.value).toBe(supplied.find((r) => r.unit === "kjj" && r.indicator === "A2")!.value);
    const auditor = await signIn(app, database.db, "auditor", ["audit_admin"]);
    const audit = (await auditor.request("GET", "/api/v1/audit?action=value.import&pageSize=1")).json();
    expect(audit.total).toBe(supplied.length);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("never overwrites submitted or approved values: the same file again is refused, row by row", async () => {
    const workbook = await template();
    const sheet = fill(workbook, supplied.slice(0, 2));
    const job = await runImport(workbook);
    expect(job).toMatchObject({
      status: "failed",
      error: "有 2 项数据已提交或已审核，不能导入覆盖；未导入任何数据",
    });
    expect(job.result.errors.map((e: { column: string }) => e.column)).toEqual(["数值", "数值"]);
    expect(job.result.errors.map((e: { row: number }) => sheet.getRow(e.row).getCell(1).value)).toEqual(
      supplied.slice(0, 2).map((r) => r.unit),
    );
  });
});
