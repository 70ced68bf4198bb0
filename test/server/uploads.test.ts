import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { lockUnitValues } from "../../src/server/modules/values/service.js";
import type { Client } from "../helpers/accounts.js";
import { usingPostgres } from "../helpers/database.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

const examples = join(import.meta.dirname, "..", "..", "examples", "city-departments");
const planDocument = examplePlan();
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** The example's values for 市科技局, by indicator and period. */
const kjjValues = new Map(
  readFileSync(join(examples, "values.csv"), "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split(","))
    .filter(([unit]) => unit === "kjj")
    .map(([, indicator, period, value]) => [`${indicator}/${period}`, Number(value)] as const),
);

let t: TestApp;
let database: DatabaseHandle;
let office: Client;
let kjj: Client;
let fgw: Client;
let planId = "";
let versionId = "";

beforeAll(async () => {
  t = await testApp({ units: planDocument });
  ({ database } = t);
  office = await t.signIn("office", ["office_staff"]);
  kjj = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  fgw = await t.signIn("fgw.reporter", ["unit_reporter"], "fgw");
  ({ planId, versionId } = await t.publish(office, planDocument, false));
});
afterAll(() => t.close());

const base = (unit: string) => `/api/v1/plans/${planId}/units/${unit}`;
async function download(client: Client, unit = "kjj") {
  const r = await client.request("GET", `${base(unit)}/template.xlsx`);
  const workbook = new ExcelJS.Workbook();
  if (r.statusCode === 200) await workbook.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
  return { r, workbook };
}
const upload = async (client: Client, workbook: ExcelJS.Workbook) =>
  client.send("POST", `${base("kjj")}/upload`, Buffer.from(await workbook.xlsx.writeBuffer()), XLSX);
const column = (sheet: ExcelJS.Worksheet, name: string) => (sheet.getRow(1).values as string[]).indexOf(name);

describe("Excel templates and uploads", () => {
  it("a unit downloads a real .xlsx template of what it reports", async () => {
    const { r, workbook } = await download(kjj);
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe(XLSX);
    const sheet = workbook.getWorksheet("填报")!;
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual([
      "指标代码",
      "指标名称",
      "计量单位",
      "期间",
      "目标值",
      "填报值",
      "说明",
      "版本",
    ]);
    const keys: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) keys.push(`${row.getCell(1).value}/${row.getCell(4).value}`);
    });
    // every leaf but the expert-marked B1, and last year's rank for the 进位 rule
    expect(keys).toEqual([
      "A1/2022",
      "A2/2022",
      "A3/2022",
      "A3/2021",
      "B2/2022",
      "B3/2022",
      "B4/2022",
      "C1/2022",
      "C2/2022",
      "C3/2022",
    ]);
    expect(sheet.getRow(2).getCell(5).value).toBe(24); // A1's target for kjj
    expect(workbook.getWorksheet("说明")).toBeDefined();
    expect((await fgw.request("GET", `${base("kjj")}/template.xlsx`)).statusCode).toBe(403);
  });

  it("a filled-in template is saved whole", async () => {
    const { workbook } = await download(kjj);
    const sheet = workbook.getWorksheet("填报")!;
    const valueCol = column(sheet, "填报值");
    sheet.eachRow((row, n) => {
      if (n > 1)
        row.getCell(valueCol).value =
          kjjValues.get(`${row.getCell(1).value}/${row.getCell(4).value}`) ?? null;
    });
    const r = await upload(kjj, workbook);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ saved: 10 });
    const saved = (await kjj.request("GET", `${base("kjj")}/values`)).json().items;
    expect(saved.find((v: { indicator: string }) => v.indicator === "A2")).toMatchObject({
      value: 2.87,
      revision: 1,
    });
  });

  it("a file with mistakes is rejected whole, every error naming sheet, row and column", async () => {
    const before = (await kjj.request("GET", `${base("kjj")}/values`)).json().items;
    const { workbook } = await download(kjj);
    const sheet = workbook.getWorksheet("填报")!;
    const v = column(sheet, "填报值");
    sheet.getRow(2).getCell(v).value = 30; // A1: a good change...
    sheet.getRow(3).getCell(v).value = "两点九"; // A2: not a number
    sheet.getRow(6).getCell(v).value = 2; // B2: yes/no must be 0 or 1
    sheet.getRow(4).getCell(column(sheet, "期间")).value = "2030"; // A3: no such period
    sheet.addRow(["A1", "", "", "2022", "", 31, "", 1]); // A1 again
    const r = await upload(kjj, workbook);
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body).toMatchObject({ code: "UPLOAD_INVALID", title: "上传文件有 4 处错误，未保存任何数据" });
    expect(
      body.errors.map(
        (e: { sheet: string; row: number; column: string }) => `${e.sheet}!${e.row}:${e.column}`,
      ),
    ).toEqual(["填报!3:填报值", "填报!4:期间", "填报!6:填报值", "填报!12:指标代码"]);
    expect(body.errors[0].message).toBe("“两点九”不是数字");
    // Each error also names the field it is about (the row's indicator and period), for the data-entry page.
    expect(
      body.errors.map((e: { indicator?: string; period?: string }) => `${e.indicator}/${e.period}`),
    ).toEqual(["A2/2022", "A3/2030", "B2/2022", "A1/2022"]);
    expect((await kjj.request("GET", `${base("kjj")}/values`)).json().items).toEqual(before);
  });

  it("a stale template cannot overwrite a newer change: conflict on that row, nothing saved", async () => {
    const { workbook } = await download(kjj); // revisions as of now
    const a1 = (await kjj.request("GET", `${base("kjj")}/values`))
      .json()
      .items.find((x: { indicator: string }) => x.indicator === "A1");
    expect(
      (
        await kjj.request("PUT", `${base("kjj")}/values`, {
          indicator: "A1",
          period: "2022",
          value: 25,
          revision: a1.revision,
        })
      ).statusCode,
    ).toBe(200);
    const sheet = workbook.getWorksheet("填报")!;
    const v = column(sheet, "填报值");
    sheet.getRow(2).getCell(v).value = 23; // A1, with the old revision
    sheet.getRow(7).getCell(v).value = 97; // B3, fine on its own
    const r = await upload(kjj, workbook);
    expect(r.statusCode).toBe(409);
    expect(r.json().errors).toEqual([
      {
        sheet: "填报",
        row: 2,
        column: "版本",
        message: "该数据已被他人修改，请刷新后再改",
        indicator: "A1",
        period: "2022",
      },
    ]);
    const after = (await kjj.request("GET", `${base("kjj")}/values`)).json().items;
    expect(after.find((x: { indicator: string }) => x.indicator === "A1").value).toBe(25);
    expect(after.find((x: { indicator: string }) => x.indicator === "B3").value).toBe(99.2); // untouched
  });

  // PGlite has one connection: a transaction held open by the test would stop every request.
  it.runIf(usingPostgres)(
    "writers of one unit queue on the unit's lock before touching any cell",
    async () => {
      let release = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let held = () => {};
      const holding = new Promise<void>((r) => {
        held = r;
      });
      // Another writer of kjj, mid-transaction, holding the unit.
      const other = database.db.transaction(async (tx) => {
        await lockUnitValues(tx, versionId, "kjj");
        held();
        await gate;
      });
      await holding;
      const { workbook } = await download(kjj); // reads do not wait
      const sheet = workbook.getWorksheet("填报")!;
      sheet.getRow(2).getCell(column(sheet, "填报值")).value = 70;
      const a1 = (await kjj.request("GET", `${base("kjj")}/values`))
        .json()
        .items.find((x: { indicator: string }) => x.indicator === "A1");
      let settled = 0;
      const writes = [
        upload(kjj, workbook),
        kjj.request("PUT", `${base("kjj")}/values`, {
          indicator: "A1",
          period: "2022",
          value: 71,
          revision: a1.revision,
        }),
        // Another unit's writer does not wait for kjj.
        fgw.request("PUT", `${base("fgw")}/values`, { indicator: "A1", period: "2022", value: 30 }),
      ].map((w) => w.finally(() => settled++));
      const fgwAnswer = await writes[2]!;
      expect(fgwAnswer.statusCode, fgwAnswer.body).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(1); // both kjj writers are still waiting for the unit
      release();
      await other;
      const [fromFile, single] = await Promise.all(writes.slice(0, 2));
      // One after the other, in lock order: whichever came second found A1 changed under it.
      expect([fromFile!.statusCode, single!.statusCode].sort()).toEqual([200, 409]);
    },
  );

  it("CSV works the same way, and a broken file is a clear error", async () => {
    const csv = await kjj.request("GET", `${base("kjj")}/template.csv`);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(lines[0]).toBe("指标代码,指标名称,计量单位,期间,目标值,填报值,说明,版本");
    const b4 = lines.find((l) => l.startsWith("B4,"))!.split(",");
    b4[5] = "96";
    const ok = await kjj.send("POST", `${base("kjj")}/upload`, `${lines[0]}\n${b4.join(",")}\n`, "text/csv");
    expect(ok.json()).toEqual({ saved: 1 });
    const junk = await kjj.send("POST", `${base("kjj")}/upload`, Buffer.from("not a workbook"), XLSX);
    expect(junk.statusCode).toBe(400);
    expect(junk.json().errors[0].message).toBe("不是有效的 Excel（.xlsx）文件");
  });
});
