import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportedValues } from "../../src/server/db/schema/index.js";
import type { Client } from "../helpers/accounts.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * The city-scheme example on the server: two aggregating offices (汇总部门) apart from its one ranking
 * category, and a veto given as a 双评 rating.
 */
const folder = join(import.meta.dirname, "..", "..", "examples", "city-scheme");
const plan = JSON.parse(readFileSync(join(folder, "plan.json"), "utf8"));
/** Its indicator values (bonus, penalty and veto items are claims, left out here). */
const leaves = new Set(["GDP", "INV", "FIS", "GDP_RANK", "BIZ_SAT", "BIZ_IDX", "EDU", "AIR", "WATER"]);
const values = readFileSync(join(folder, "values.csv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(","))
  .filter(([, indicator]) => leaves.has(indicator!) || /^(W\d|MZ)$/.test(indicator!));

let t: TestApp;
let office: Client;

beforeAll(async () => {
  t = await testApp({ units: { units: [...plan.units, ...plan.organisations] } });
  office = await t.signIn("office", ["office_staff"]);
});
afterAll(() => t.close());

describe("a plan with aggregating offices", () => {
  it("is scored with each unit's office in the run, and a run can be read for one office", async () => {
    const { planId, versionId } = await t.publish(office, plan, false);
    await t.db.insert(reportedValues).values(
      values.map(([unit, indicator, period, value]) => ({
        planVersionId: versionId,
        unitCode: unit!,
        indicator: indicator!,
        period: period!,
        value: Number(value),
        status: "approved" as const,
      })),
    );
    const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
    expect(run.statusCode, run.body).toBe(201);
    const url = `/api/v1/plans/${planId}/runs/${run.json().id}`;
    const all = (await office.request("GET", url)).json().result;
    expect(all.units).toHaveLength(7);
    expect(all.units.find((u: { unit: string }) => u.unit === "ax").office).toEqual({
      code: "xyb",
      name: "市县域经济发展办公室",
      rank: null,
      rankOf: null,
    });
    const cqb = (await office.request("GET", `${url}?office=cqb`)).json().result;
    expect(cqb.units.map((u: { unit: string }) => u.unit)).toEqual(["dq", "nq", "kfq"]);
    expect(cqb.units.map((u: { office: { rank: number | null } }) => u.office.rank)).toEqual([1, 2, null]);
    const none = await office.request("GET", `${url}?office=zz`);
    expect(none.statusCode).toBe(404);
    expect(none.json().title).toBe("本次计分中没有由汇总部门 zz 汇总的单位");
  });

  it("records a veto by its rating (双评 较差) and refuses a rating the veto does not list", async () => {
    const { planId } = await t.publish(office, { ...plan, id: "city-scheme-veto" }, false);
    const claim = (level: string) =>
      office.request("POST", `/api/v1/plans/${planId}/units/bx/claims`, { item: "sp", level });
    const wrong = await claim("差");
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      code: "BAD_LEVEL",
      title: "否决项 sp 的类别（level）“差”无效，应为 好、较好、一般、较差",
    });
    expect((await claim("较差")).statusCode).toBe(201);
    const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
    const bx = run.json().result.units.find((u: { unit: string }) => u.unit === "bx");
    expect(bx.vetoes).toEqual(["sp"]);
  });

  it("refuses a plan whose unit is in two offices, naming the office and the unit", async () => {
    const twice = structuredClone(plan);
    twice.id = "city-scheme-twice";
    twice.offices[1].units.push("ax");
    const r = await office.request("POST", "/api/v1/plans", { document: twice });
    expect(r.statusCode).toBe(400);
    expect(r.json().title).toBe(
      "单位 ax 同时由汇总部门 xyb（市县域经济发展办公室）和汇总部门 cqb（市城区工作办公室）汇总，一个单位只能由一个汇总部门汇总",
    );
  });
});
