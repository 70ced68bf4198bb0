import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/** Hostile file names and file contents on the upload endpoints (as the body, or in a multipart form). */

let t: TestApp;
let office: Client;
let reporter: Client;
let planId = "";
const PDF = Buffer.from("%PDF-1.4\n%%EOF\n");

beforeAll(async () => {
  t = await testApp({ units: true });
  office = await t.signIn("office", ["office_staff"]);
  reporter = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  planId = (await t.publish(office, examplePlan(), false)).planId;
});
afterAll(() => t.close());

/** A form with one file part named `filename` (the bytes of the name as given, UTF-8). */
function form(filename: string, type: string, content: Buffer) {
  const boundary = "----kaohe-attack";
  return {
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

describe("a form file's name", () => {
  it("with a NUL is a 400 naming it, not a 500 from the database (evidence and office import)", async () => {
    const evidence = form("任务\u0000清单.pdf", "application/pdf", PDF);
    const r = await reporter.send(
      "POST",
      `/api/v1/plans/${planId}/units/kjj/evidence?indicator=A1&period=2022`,
      evidence.body,
      evidence.type,
    );
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ code: "NUL_CHARACTER", field: "filename" });
    const csv = form(
      "导入\u0000.csv",
      "text/csv",
      Buffer.from("单位代码,指标代码,期间,数值\nkjj,A1,2022,1\n"),
    );
    const i = await office.send("POST", `/api/v1/plans/${planId}/imports`, csv.body, csv.type);
    expect(i.statusCode, i.body).toBe(400);
    expect(i.json()).toMatchObject({ code: "NUL_CHARACTER", field: "filename" });
    const files = await reporter.request("GET", `/api/v1/plans/${planId}/units/kjj/evidence`);
    expect(files.json().total).toBe(0);
  });

  it("with a path is kept as a name only (the server writes no file by it)", async () => {
    const evidence = form("../../etc/passwd.pdf", "application/pdf", PDF);
    const r = await reporter.send(
      "POST",
      `/api/v1/plans/${planId}/units/kjj/evidence?indicator=A1&period=2022`,
      evidence.body,
      evidence.type,
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().filename).toBe("passwd.pdf");
  });
});

describe("an objection's evidence also comes as a multipart form, with the same checks", () => {
  let url = "";
  let objector: Client;
  beforeAll(async () => {
    const other = (await t.publish(office, { ...examplePlan(), id: "objections-2022", name: "异议方案" }))
      .planId;
    const run = await office.request("POST", `/api/v1/plans/${other}/runs`);
    const published = await office.request("POST", `/api/v1/plans/${other}/runs/${run.json().id}/publish`);
    expect(published.statusCode, published.body).toBe(201);
    const leader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
    const base = `/api/v1/plans/${other}/publications/${published.json().id}/objections`;
    const filed = await leader.request("POST", base, { unit: "kjj", reason: "重点工作任务得分有误" });
    expect(filed.statusCode, filed.body).toBe(201);
    url = `${base}/${filed.json().id}/evidence?filename=${encodeURIComponent("复核申请.pdf")}`;
    objector = leader;
  });

  it("takes the form's file (it answered 415 to the browser's natural form)", async () => {
    const good = form("scan.pdf", "application/pdf", PDF);
    const r = await objector.send("POST", url, good.body, good.type);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      filename: "复核申请.pdf",
      contentType: "application/pdf",
      size: PDF.length,
    });
  });

  it("refuses a form whose file lies about its type, or a broken form, like a value's evidence", async () => {
    const lying = form("a.png", "image/png", PDF);
    expect((await objector.send("POST", url, lying.body, lying.type)).json()).toMatchObject({
      status: 415,
      code: "FILE_TYPE_MISMATCH",
    });
    const broken = await objector.send(
      "POST",
      url,
      Buffer.from("--x\r\n"),
      "multipart/form-data; boundary=x",
    );
    expect(broken.json()).toMatchObject({ status: 400, code: "FORM_INVALID" });
  });
});
