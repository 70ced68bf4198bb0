import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { importFiles, jobs } from "../../src/server/db/schema/index.js";
import { type Client, signIn } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";
import { examplePlan, publishExample, registerUnits } from "../helpers/example-plan.js";
import { sheetXml, textCell, workbookEntries, writeZip } from "../helpers/zip.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const planDocument = examplePlan();

let database: DatabaseHandle;
let app: FastifyInstance;
/** A second node of the service on the same database, allowing 5 data rows a file. */
let strict: FastifyInstance;
let office: Client;
let kjj: Client;
let planId = "";

beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
  strict = await buildApp({ database, uploads: { maxRows: 5 } });
  const orgId = await registerUnits(database.db, planDocument);
  office = await signIn(app, database.db, "office", ["office_staff"]);
  kjj = await signIn(app, database.db, "kjj.reporter", ["unit_reporter"], orgId("kjj"));
  planId = (await publishExample(database.db, office, planDocument, false)).planId;
});
afterAll(async () => {
  await strict.close();
  await app.close();
  await database.close();
});

const upload = () => `/api/v1/plans/${planId}/units/kjj/upload`;
/** What a problem document says (its title, and its detail if any). */
const said = (r: { json(): { title?: string; detail?: string } }) =>
  [r.json().title, r.json().detail].filter(Boolean).join(" ");
const health = async () => (await app.inject({ method: "GET", url: "/api/v1/health" })).statusCode;

/** The value template's header row, as an .xlsx sheet row. */
const headerRow = `<row r="1">${textCell("A1", "指标代码")}${textCell("B1", "期间")}${textCell("C1", "填报值")}</row>`;
/** One repeated row element: highly compressible, so a small file holds millions of them. */
const bombRow = '<row><c t="inlineStr"><is><t>A1</t></is></c></row>';
/** About `mb` megabytes of repeated rows after the header. */
const bombSheet = (mb: number) => ({
  head: Buffer.concat([sheetXml.head, Buffer.from(headerRow)]),
  chunk: Buffer.from(bombRow.repeat(Math.ceil(1_000_000 / bombRow.length))),
  times: mb,
  tail: sheetXml.tail,
});

function multipart(files: { name: string; type: string; content: Buffer }[]) {
  const boundary = "----kaohe-test-boundary";
  const parts = files.flatMap((f) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
    ),
    f.content,
    Buffer.from("\r\n"),
  ]);
  return {
    body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

describe("spreadsheet uploads are read within limits", () => {
  it("an .xlsx whose sheet inflates to 300 MB is refused from its declared size, and the server still answers", async () => {
    const file = await writeZip(workbookEntries(bombSheet(300)));
    expect(file.length).toBeLessThan(2_000_000);
    const r = await kjj.send("POST", upload(), file, XLSX);
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json()).toMatchObject({
      code: "UPLOAD_TOO_LARGE",
      limit: "maxInflatedBytes",
      max: 64 * 1024 * 1024,
    });
    expect(said(r)).toContain("文件解压后超过 64 MB");
    expect(await health()).toBe(200);
  });

  it("one that declares a small size but inflates to 300 MB is stopped while streaming, at the row limit", async () => {
    const file = await writeZip(workbookEntries(bombSheet(300), { declaredSize: 60 * 1024 * 1024 }));
    const r = await kjj.send("POST", upload(), file, XLSX);
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json()).toMatchObject({
      code: "UPLOAD_TOO_LARGE",
      limit: "maxRows",
      max: 100_000,
      sheet: "填报",
    });
    expect(said(r)).toContain("工作表“填报”超过 100000 行数据，超出限制");
    expect(await health()).toBe(200);
  });

  it("an entry that inflates past the size its zip declares is refused as a broken file", async () => {
    const file = await writeZip(workbookEntries(bombSheet(20), { declaredSize: 2000 }));
    const r = await kjj.send("POST", upload(), file, XLSX);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().code).toBe("UPLOAD_INVALID");
    expect(r.json().errors[0].message).toContain("不是有效的 Excel");
    expect(await health()).toBe(200);
  });

  it("rows past KAOHE_UPLOAD_MAX_ROWS are refused, in .xlsx and in CSV, naming the sheet and the limit", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("填报");
    sheet.addRow(["指标代码", "期间", "填报值"]);
    for (let i = 0; i < 6; i++) sheet.addRow(["A1", "2022", i]);
    const client = kjj.on(strict);
    const xlsx = await client.send("POST", upload(), Buffer.from(await workbook.xlsx.writeBuffer()), XLSX);
    expect(xlsx.statusCode, xlsx.body).toBe(413);
    expect(xlsx.json()).toMatchObject({ code: "UPLOAD_TOO_LARGE", limit: "maxRows", max: 5, sheet: "填报" });
    expect(said(xlsx)).toContain("工作表“填报”超过 5 行数据，超出限制");
    const csv = await client.send(
      "POST",
      upload(),
      `指标代码,期间,填报值\n${"A1,2022,1\n".repeat(6)}`,
      "text/csv",
    );
    expect(csv.statusCode, csv.body).toBe(413);
    expect(csv.json()).toMatchObject({ code: "UPLOAD_TOO_LARGE", limit: "maxRows", max: 5, sheet: "CSV" });
    // five rows are within the limit (and are checked as usual: here, duplicates)
    const five = await client.send(
      "POST",
      upload(),
      `指标代码,期间,填报值\n${"A1,2022,1\n".repeat(5)}`,
      "text/csv",
    );
    expect(five.statusCode).toBe(400);
    expect(five.json().code).toBe("UPLOAD_INVALID");
  });

  it("a cell longer than 10,000 characters, or a value past column 64, is refused", async () => {
    const long = `${sheetXml.head}${headerRow}<row r="2">${textCell("A2", "x".repeat(10_001))}</row>${sheetXml.tail}`;
    const r = await kjj.send("POST", upload(), await writeZip(workbookEntries(Buffer.from(long))), XLSX);
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json()).toMatchObject({ limit: "maxCellChars", max: 10_000 });
    expect(r.json().errors[0]).toMatchObject({ sheet: "填报", row: 2, column: "A" });
    const wide = `${sheetXml.head}${headerRow}<row r="2">${textCell("BM2", "1")}</row>${sheetXml.tail}`;
    const w = await kjj.send("POST", upload(), await writeZip(workbookEntries(Buffer.from(wide))), XLSX);
    expect(w.statusCode, w.body).toBe(413);
    expect(w.json()).toMatchObject({ limit: "maxColumns", max: 64 });
    // a row repeating one cell reference with values is stopped at the same limit
    const repeated = `${sheetXml.head}${headerRow}<row r="2">${textCell("A2", "1").repeat(65)}</row>${sheetXml.tail}`;
    const x = await kjj.send("POST", upload(), await writeZip(workbookEntries(Buffer.from(repeated))), XLSX);
    expect(x.statusCode, x.body).toBe(413);
    expect(x.json()).toMatchObject({ limit: "maxColumns", max: 64 });
    const csv = await kjj.send(
      "POST",
      upload(),
      `指标代码,期间,填报值\nA1,2022,${"9".repeat(10_001)}\n`,
      "text/csv",
    );
    expect(csv.statusCode, csv.body).toBe(413);
    expect(csv.json()).toMatchObject({ limit: "maxCellChars" });
  });

  it("a CSV with 1,000 mistakes tells the first 100 and how many there are", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `A1,2022,not-${i}`).join("\n");
    const r = await kjj.send("POST", upload(), `指标代码,期间,填报值\n${rows}\n`, "text/csv");
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().code).toBe("UPLOAD_INVALID");
    expect(r.json().total).toBe(1000);
    expect(r.json().errors).toHaveLength(100);
    expect(r.json().errors[0]).toMatchObject({ row: 2, column: "填报值" });
    expect(r.json().errors[99]).toMatchObject({ row: 101 });
    expect(said(r)).toContain("上传文件有 1000 处错误");
  });

  it("an import keeps its file in import_files, not in the job's params; the job's result stays small", async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `kjj,A1,2022,x${i}`).join("\n");
    const r = await office.send(
      "POST",
      `/api/v1/plans/${planId}/imports`,
      `单位代码,指标代码,期间,数值\n${rows}\n`,
      "text/csv",
    );
    expect(r.statusCode, r.body).toBe(202);
    const [job] = await database.db.select().from(jobs).where(eq(jobs.id, r.json().id));
    const params = job!.params as Record<string, unknown>;
    expect(Object.keys(params).sort()).toEqual(["actor", "fileId", "lang", "planId"]);
    // Who asked, and from where: the import's audit entries name both.
    expect(Object.keys(params.actor as object).sort()).toEqual([
      "id",
      "ip",
      "organisation",
      "roles",
      "username",
    ]);
    expect(JSON.stringify(params).length).toBeLessThan(500);
    const [stored] = await database.db
      .select()
      .from(importFiles)
      .where(eq(importFiles.id, String(params.fileId)));
    expect(stored).toMatchObject({ contentType: "csv", filename: "import.csv" });
    expect(stored!.content.toString("utf8")).toContain("kjj,A1,2022,x499");
    expect(await app.jobRunner.tick()).toBe(true);
    const done = (await office.request("GET", `/api/v1/jobs/${r.json().id}`)).json();
    expect(done.status).toBe("failed");
    expect(done.result.total).toBe(500);
    expect(done.result.errors).toHaveLength(100);
    // the file went with its job
    expect(await database.db.select().from(importFiles)).toEqual([]);
    // the import's rows are bounded as the value upload's are
    const many = await office
      .on(strict)
      .send(
        "POST",
        `/api/v1/plans/${planId}/imports`,
        `单位代码,指标代码,期间,数值\n${"kjj,A1,2022,1\n".repeat(6)}`,
        "text/csv",
      );
    expect(many.statusCode, many.body).toBe(413);
    expect(many.json()).toMatchObject({ code: "UPLOAD_TOO_LARGE", limit: "maxRows" });
  });
});

describe("uploads also accept multipart/form-data, with the same checks and limits", () => {
  it("a form's file is read like a raw body: saved when good, refused cell by cell when not", async () => {
    const good = multipart([
      { name: "kjj.csv", type: "text/csv", content: Buffer.from("指标代码,期间,填报值\nA1,2022,25\n") },
    ]);
    const r = await kjj.send("POST", upload(), good.body, good.type);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ saved: 1 });
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("填报").addRows([
      ["指标代码", "期间", "填报值"],
      ["A2", "2022", "many"],
    ]);
    const bad = multipart([
      {
        name: "kjj.xlsx",
        type: "application/octet-stream",
        content: Buffer.from(await workbook.xlsx.writeBuffer()),
      },
    ]);
    const b = await kjj.send("POST", upload(), bad.body, bad.type);
    expect(b.statusCode, b.body).toBe(400);
    expect(b.json().errors).toEqual([
      { sheet: "填报", row: 2, column: "填报值", message: "“many”不是数字", indicator: "A2", period: "2022" },
    ]);
  });

  it("a form's bomb, a second file or a file over 10 MB is refused with 413", async () => {
    const bomb = multipart([
      { name: "bomb.xlsx", type: XLSX, content: await writeZip(workbookEntries(bombSheet(300))) },
    ]);
    const r = await kjj.send("POST", upload(), bomb.body, bomb.type);
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json()).toMatchObject({
      code: "UPLOAD_TOO_LARGE",
      filename: "bomb.xlsx",
      limit: "maxInflatedBytes",
    });
    expect(said(r)).toContain("文件“bomb.xlsx”：");
    const csv = Buffer.from("指标代码,期间,填报值\nA1,2022,25\n");
    const two = multipart([
      { name: "a.csv", type: "text/csv", content: csv },
      { name: "b.csv", type: "text/csv", content: csv },
    ]);
    const t = await kjj.send("POST", upload(), two.body, two.type);
    expect(t.statusCode, t.body).toBe(413);
    expect(t.json().code).toBe("FORM_TOO_LARGE");
    const big = multipart([
      { name: "big.csv", type: "text/csv", content: Buffer.alloc(10 * 1024 * 1024 + 1, 0x41) },
    ]);
    const g = await kjj.send("POST", upload(), big.body, big.type);
    expect(g.statusCode, g.body).toBe(413);
    expect(g.json().code).toBe("UPLOAD_TOO_LARGE");
    const empty = multipart([]);
    const e = await kjj.send("POST", upload(), empty.body, empty.type);
    expect(e.statusCode, e.body).toBe(400);
    expect(await health()).toBe(200);
  });

  it("an evidence file can be sent as a form too, named by the form; the size limit holds", async () => {
    const evidence = `/api/v1/plans/${planId}/units/kjj/evidence?indicator=A1&period=2022`;
    const pdf = Buffer.from("%PDF-1.4\n% 任务清单\n%%EOF\n");
    const form = multipart([{ name: "任务清单.pdf", type: "application/pdf", content: pdf }]);
    const r = await kjj.send("POST", evidence, form.body, form.type);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      filename: "任务清单.pdf",
      contentType: "application/pdf",
      size: pdf.length,
    });
    // the same checks as a raw body: the declared type must be what the bytes are
    const lying = multipart([{ name: "x.png", type: "image/png", content: pdf }]);
    expect((await kjj.send("POST", evidence, lying.body, lying.type)).json().code).toBe("FILE_TYPE_MISMATCH");
    const big = multipart([
      {
        name: "big.pdf",
        type: "application/pdf",
        content: Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024)]),
      },
    ]);
    const b = await kjj.send("POST", evidence, big.body, big.type);
    expect(b.statusCode, b.body).toBe(413);
    expect(b.json().code).toBe("FILE_TOO_LARGE");
    // a raw body still needs its name in the query
    const raw = await kjj.send("POST", evidence, pdf, "application/pdf");
    expect(raw.statusCode).toBe(400);
    expect(raw.json().field).toBe("filename");
  });

  it("the OpenAPI document describes each upload's body: the file itself or a form with one file", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/docs/json" })).json();
    for (const path of [
      "/api/v1/plans/{planId}/units/{unit}/upload",
      "/api/v1/plans/{planId}/units/{unit}/targets/upload",
      "/api/v1/plans/{planId}/imports",
    ]) {
      const body = doc.paths[path].post.requestBody;
      expect(Object.keys(body.content).sort(), path).toEqual(
        [XLSX, "multipart/form-data", "text/csv"].sort(),
      );
      expect(body.content["multipart/form-data"].schema.properties.file).toEqual({
        type: "string",
        format: "binary",
        description: ".xlsx or .csv",
      });
      expect(body.content["text/csv"].schema).toEqual({ type: "string", format: "binary" });
    }
    const evidence = doc.paths["/api/v1/plans/{planId}/units/{unit}/evidence"].post;
    expect(Object.keys(evidence.requestBody.content)).toContain("application/pdf");
    expect(Object.keys(evidence.requestBody.content)).toContain("multipart/form-data");
    expect(evidence.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(["query:indicator", "query:period", "query:filename"]),
    );
  });
});
