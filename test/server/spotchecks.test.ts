import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawSample } from "../../src/server/modules/spotchecks/service.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

let t: TestApp;
let office: Client;
let reviewer: Client;
let kjjReporter: Client;
let planId = "";

beforeAll(async () => {
  const plan = examplePlan();
  t = await testApp({ units: plan });
  office = await t.signIn("office", ["office_staff"]);
  reviewer = await t.signIn("reviewer", ["reviewer"]);
  kjjReporter = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  planId = (await t.publish(office, plan)).planId;
});
afterAll(() => t.close());

describe("random spot checks (抽查)", () => {
  it("samples without replacement, the same way for the same seed", () => {
    const population = Array.from({ length: 50 }, (_, k) => k);
    const a = drawSample(population, 10, 42);
    expect(new Set(a).size).toBe(10);
    expect(drawSample(population, 10, 42)).toEqual(a);
    expect(drawSample(population, 10, 43)).not.toEqual(a);
    expect(drawSample(population, 80, 1).sort((x, y) => x - y)).toEqual(population);
  });

  it("the office draws a check; its seed is recorded so it can be drawn again exactly", async () => {
    const r = await office.request("POST", `/api/v1/plans/${planId}/spot-checks`, { size: 8 });
    expect(r.statusCode, r.body).toBe(201);
    const first = r.json();
    expect(first.items).toHaveLength(8);
    const again = (
      await office.request("POST", `/api/v1/plans/${planId}/spot-checks`, { size: 8, seed: first.seed })
    ).json();
    expect(again.items.map((i: { unit: string; indicator: string }) => `${i.unit}/${i.indicator}`)).toEqual(
      first.items.map((i: { unit: string; indicator: string }) => `${i.unit}/${i.indicator}`),
    );
    expect(
      (await kjjReporter.request("POST", `/api/v1/plans/${planId}/spot-checks`, { size: 3 })).statusCode,
    ).toBe(403);
  });

  it("reviewers record what they found; a discrepancy needs a note", async () => {
    const [check] = (await reviewer.request("GET", `/api/v1/plans/${planId}/spot-checks`)).json().items;
    const [a, b] = check.items;
    const base = `/api/v1/plans/${planId}/spot-checks/${check.id}/items`;
    expect((await reviewer.request("POST", `${base}/${a.id}`, { outcome: "confirmed" })).statusCode).toBe(
      204,
    );
    expect(
      (await reviewer.request("POST", `${base}/${b.id}`, { outcome: "discrepancy" })).json(),
    ).toMatchObject({ code: "NOTE_REQUIRED", field: "note" });
    expect(
      (
        await reviewer.request("POST", `${base}/${b.id}`, {
          outcome: "discrepancy",
          note: "台账与填报值不一致",
        })
      ).statusCode,
    ).toBe(204);
    const after = (await office.request("GET", `/api/v1/plans/${planId}/spot-checks`)).json().items[0].items;
    // Listed in the same order as before the findings (by unit, indicator, period), however rows were updated.
    expect(after.map((i: { id: string }) => i.id)).toEqual(check.items.map((i: { id: string }) => i.id));
    const key = (i: { unit: string; indicator: string; period: string }) =>
      `${i.unit}/${i.indicator}/${i.period}`;
    expect(after.map(key)).toEqual([...after.map(key)].sort());
    expect(after.find((i: { id: string }) => i.id === b.id)).toMatchObject({
      outcome: "discrepancy",
      note: "台账与填报值不一致",
    });
    expect((await kjjReporter.request("GET", `/api/v1/plans/${planId}/spot-checks`)).statusCode).toBe(403);
  });

  it("a check is recorded only under its own plan: another plan's URL finds no such item", async () => {
    const other = (await t.publish(office, { ...examplePlan(), id: "spot-other" })).planId;
    const [check] = (await office.request("GET", `/api/v1/plans/${planId}/spot-checks`)).json().items;
    const item = check.items[2];
    const elsewhere = await reviewer.request(
      "POST",
      `/api/v1/plans/${other}/spot-checks/${check.id}/items/${item.id}`,
      { outcome: "confirmed" },
    );
    expect(elsewhere.statusCode, elsewhere.body).toBe(404);
    const after = (await office.request("GET", `/api/v1/plans/${planId}/spot-checks`)).json().items[0].items;
    expect(after.find((i: { id: string }) => i.id === item.id).outcome).toBeNull();
  });
});

describe("freezing a plan", () => {
  it("ends reporting; scoring still runs", async () => {
    expect((await kjjReporter.request("POST", `/api/v1/plans/${planId}/freeze`)).statusCode).toBe(403);
    expect((await office.request("POST", `/api/v1/plans/${planId}/freeze`)).statusCode).toBe(204);
    expect((await office.request("POST", `/api/v1/plans/${planId}/freeze`)).json().code).toBe(
      "NOT_PUBLISHED",
    );
    const put = await kjjReporter.request("PUT", `/api/v1/plans/${planId}/units/kjj/values`, {
      indicator: "B4",
      period: "2022",
      value: 1,
    });
    expect(put.json().code).toBe("PLAN_FROZEN");
    expect((await office.request("POST", `/api/v1/plans/${planId}/runs`)).statusCode).toBe(201);
  });
});
