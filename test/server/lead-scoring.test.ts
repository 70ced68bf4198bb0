import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../helpers/accounts.js";
import { districtsPlan } from "../helpers/districts-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/** 营商环境 is scored for both districts by 发改委 (fgw, not itself assessed); 党建 each district reports. */
const plan = districtsPlan("lead-scoring", [
  {
    code: "BIZ",
    name: "营商环境",
    points: 40,
    lead: "fgw",
    scoredBy: "lead",
    rule: { type: "mark", markMax: 40 },
  },
  { code: "PARTY", name: "党建", points: 60, lead: "fgw", rule: { type: "mark", markMax: 60 } },
]);

let t: TestApp;
let office: Client;
let fgw: Client;
let fgwReviewer: Client;
let d1: Client;
let planId: string;

beforeAll(async () => {
  t = await testApp({ units: { units: [...plan.units, { code: "fgw", name: "市发改委" }] } });
  office = await t.signIn("office", ["office_staff"]);
  fgw = await t.signIn("fgw.reporter", ["unit_reporter"], "fgw");
  fgwReviewer = await t.signIn("fgw.reviewer", ["reviewer"], "fgw");
  d1 = await t.signIn("d1.reporter", ["unit_reporter"], "d1");
  ({ planId } = await t.publish(office, plan, false));
});
afterAll(() => t.close());

const put = (who: Client, unit: string, indicator: string, value: number) =>
  who.request("PUT", `/api/v1/plans/${planId}/units/${unit}/values`, { indicator, period: "2025", value });

describe("the lead department as the scorer (scoredBy: lead)", () => {
  it("the lead department's reporter enters the indicator for every unit of the plan", async () => {
    for (const unit of ["d1", "d2"]) {
      const r = await put(fgw, unit, "BIZ", 32);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ indicator: "BIZ", value: 32, status: "draft" });
    }
    // A draft it entered can be withdrawn by it too, by the revision read.
    const withdrawn = await fgw.request(
      "DELETE",
      `/api/v1/plans/${planId}/units/d2/values?indicator=BIZ&period=2025&revision=1`,
    );
    expect(withdrawn.statusCode).toBe(204);
  });

  it("the unit itself may not write it, nor anyone else; nor withdraw the lead's draft", async () => {
    const own = await put(d1, "d1", "BIZ", 40);
    expect(own.statusCode).toBe(403);
    expect(own.json().title).toBe("指标 BIZ 由牵头部门 fgw 为各单位评分，只有该部门的填报人员可以录入");
    const del = await d1.request(
      "DELETE",
      `/api/v1/plans/${planId}/units/d1/values?indicator=BIZ&period=2025&revision=1`,
    );
    expect(del.statusCode).toBe(403);
    // A lead department's reviewer reviews; it does not enter values (no values.write).
    expect((await put(fgwReviewer, "d1", "BIZ", 30)).statusCode).toBe(403);
    expect((await put(office, "d1", "BIZ", 30)).statusCode).toBe(403);
    // A unit not in the plan is 404, as for the units' own values.
    expect((await put(fgw, "nowhere", "BIZ", 30)).statusCode).toBe(404);
  });

  it("isolation otherwise unchanged: a lead that only reviews (PARTY) gives its reporter no other unit", async () => {
    expect((await put(d1, "d1", "PARTY", 50)).statusCode).toBe(200);
    expect((await put(fgw, "d1", "PARTY", 50)).statusCode).toBe(403);
    expect((await put(d1, "d2", "PARTY", 50)).statusCode).toBe(403);
  });

  it("the lead department's reporter reads back what it scores for a unit (BIZ), and nothing else of the unit's", async () => {
    const url = `/api/v1/plans/${planId}/units/d1/values`;
    // d1 has PARTY (its own) and BIZ (entered by fgw): fgw's reporter sees BIZ only.
    const r = await fgw.request("GET", url);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items.map((v: { indicator: string }) => v.indicator)).toEqual(["BIZ"]);
    expect(r.json().items[0]).toMatchObject({ value: 32, period: "2025", status: "draft" });
    // The unit itself still reads both; its page and fgw's view are not the same content, nor tag.
    const own = await d1.request("GET", url);
    expect(own.json().items.map((v: { indicator: string }) => v.indicator)).toEqual(["BIZ", "PARTY"]);
    expect(own.headers.etag).not.toBe(r.headers.etag);
    const again = await fgw.request("GET", url, undefined, { "if-none-match": String(r.headers.etag) });
    expect(again.statusCode).toBe(304);
    // Nobody else of another organisation: fgw's leader (it enters nothing) and d2's reporter.
    const fgwLeader = await t.signIn("fgw.leader", ["unit_leader"], "fgw");
    const d2 = await t.signIn("d2.reporter", ["unit_reporter"], "d2");
    for (const who of [fgwLeader, d2]) expect((await who.request("GET", url)).statusCode).toBe(403);
  });

  it("nor through the unit's spreadsheet: its template leaves BIZ out, and a BIZ row added is refused at its cell, nothing saved", async () => {
    const base = `/api/v1/plans/${planId}/units/d1`;
    const lines = (await d1.request("GET", `${base}/template.csv`)).body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(lines.some((l) => l.startsWith("BIZ,"))).toBe(false);
    const party = lines.find((l) => l.startsWith("PARTY,"))!.split(",");
    const row = (code: string, value: string) => {
      const cells = [...party];
      cells[0] = code;
      cells[5] = value;
      return cells.join(",");
    };
    // The template as downloaded, filled in: saved.
    const own = await d1.send("POST", `${base}/upload`, `${lines[0]}\n${row("PARTY", "55")}\n`, "text/csv");
    expect(own.statusCode, own.body).toBe(200);
    // A BIZ row written in by hand beside a valid PARTY row: the file is refused, the error at the BIZ
    // row, and nothing of it saved (PARTY keeps 55).
    const body = `${lines[0]}\n${row("PARTY", "58")}\n${row("BIZ", "40")}\n`;
    const r = await d1.send("POST", `${base}/upload`, body, "text/csv");
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([
      expect.objectContaining({
        row: 3,
        indicator: "BIZ",
        message: expect.stringContaining("由牵头部门 fgw 为各单位评分"),
      }),
    ]);
    const values = (await office.request("GET", `${base}/values`)).json().items;
    expect(values.find((v: { indicator: string }) => v.indicator === "BIZ")).toMatchObject({ value: 32 });
    expect(values.find((v: { indicator: string }) => v.indicator === "PARTY")).toMatchObject({ value: 55 });
  });
});
