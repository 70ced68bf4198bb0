import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

const planDocument = examplePlan();

let t: TestApp;
let app: FastifyInstance;
let office: Client;
let kjj: Client;
let auditor: Client;
let planId = "";

beforeAll(async () => {
  t = await testApp({ units: planDocument });
  ({ app } = t);
  office = await t.signIn("office", ["office_staff"]);
  kjj = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  auditor = await t.signIn("auditor", ["audit_admin"]);
  planId = (await t.publish(office, planDocument, false)).planId;
});
afterAll(() => t.close());

/** A CSV body's lines split into cells (quoted cells unquoted), the byte-order mark dropped. */
function cells(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const text = csv.replace(/^\uFEFF/, "");
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  return rows;
}

describe("CSV files kaohe writes never carry a formula", () => {
  it("notes starting with = + - @ come back in the CSV template with a leading quote; numbers stay numbers", async () => {
    const notes: Record<string, string> = {
      A1: "=cmd|' /C calc'!A0",
      A2: "+1+1",
      B2: "@SUM(1)",
      B3: "-2+3",
      C1: "\tTAB",
    };
    for (const [indicator, note] of Object.entries(notes)) {
      const r = await kjj.request("PUT", `/api/v1/plans/${planId}/units/kjj/values`, {
        indicator,
        period: "2022",
        value: 1,
        note,
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const r = await kjj.request("GET", `/api/v1/plans/${planId}/units/kjj/template.csv`);
    expect(r.statusCode).toBe(200);
    const [header, ...rows] = cells(r.body);
    const col = (name: string) => header!.indexOf(name);
    for (const [indicator, note] of Object.entries(notes)) {
      const row = rows.find((x) => x[col("指标代码")] === indicator && x[col("期间")] === "2022")!;
      expect(row[col("说明")], indicator).toBe(`'${note}`);
      expect(row[col("填报值")], indicator).toBe("1");
    }
    // the formula-like note itself is quoted where CSV needs it, and never starts a cell with =
    expect(r.body).toContain(`'=cmd|' /C calc'!A0`);
    expect(r.body).not.toMatch(/(^|,)[=+@]/m);
  });

  it("a sign-in with a formula as its user name reaches the audit export as text", async () => {
    const name = '=HYPERLINK("http://x")';
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: name, password: "wrong-password-1" },
    });
    expect(login.statusCode).toBe(401);
    const r = await auditor.request("GET", "/api/v1/audit/export?action=auth.login_failed");
    expect(r.statusCode).toBe(200);
    const [header, ...rows] = cells(r.body);
    const actors = rows.map((row) => row[header!.indexOf("actor")]);
    expect(actors).toContain(`'${name}`);
    expect(actors).not.toContain(name);
    // seq is a number, written as one
    expect(rows.every((row) => /^\d+$/.test(row[0]!))).toBe(true);
  });
});
