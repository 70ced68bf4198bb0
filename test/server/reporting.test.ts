import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

const planDocument = examplePlan();

let t: TestApp;
let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
let kjjReporter: Client;
let kjjReporter2: Client;
let kjjLeader: Client;
let fgwReporter: Client;
let reviewer: Client;
let auditor: Client;
let planId = "";

beforeAll(async () => {
  t = await testApp({ units: planDocument });
  ({ database, app } = t);
  office = await t.signIn("office", ["office_staff"]);
  kjjReporter = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  kjjReporter2 = await t.signIn("kjj.reporter2", ["unit_reporter"], "kjj");
  kjjLeader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  fgwReporter = await t.signIn("fgw.reporter", ["unit_reporter"], "fgw");
  reviewer = await t.signIn("reviewer", ["reviewer"]);
  auditor = await t.signIn("auditor", ["audit_admin"]);
});
afterAll(() => t.close());

const values = (unit: string) => `/api/v1/plans/${planId}/units/${unit}/values`;

describe("plans", () => {
  it("the office creates a plan; the engine rejects a bad one, naming the node", async () => {
    const bad = structuredClone(planDocument);
    bad.indicators[0].children[0].points = 20;
    const r = await office.request("POST", "/api/v1/plans", { document: bad });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      code: "POINTS_DO_NOT_ADD_UP",
      field: "document.indicators:A",
      title: "指标 A：下级分值合计 55，不等于本项分值 60",
    });
    // A valid plan whose standalone unit is not a registered organisation.
    const unknownUnit = structuredClone(planDocument);
    unknownUnit.units.find((u: { code: string }) => u.code === "jwj").code = "nowhere";
    for (const t of [unknownUnit.targets.A1, unknownUnit.targets.A2]) {
      t.nowhere = t.jwj;
      delete t.jwj;
    }
    expect((await office.request("POST", "/api/v1/plans", { document: unknownUnit })).json().code).toBe(
      "UNKNOWN_UNIT",
    );
    // A lead department (牵头部门) must be a registered organisation too.
    const unknownLead = structuredClone(planDocument);
    unknownLead.indicators[1].lead = "xfj";
    expect((await office.request("POST", "/api/v1/plans", { document: unknownLead })).json()).toMatchObject({
      code: "UNKNOWN_LEAD",
      field: "document.indicators:B",
      title: "指标 B 的牵头部门 xfj 不是已登记的单位",
    });
    const created = await office.request("POST", "/api/v1/plans", { document: planDocument });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: "city-departments-2022", version: 1, status: "draft" });
    planId = created.json().planId;
    expect((await kjjReporter.request("POST", "/api/v1/plans", { document: planDocument })).statusCode).toBe(
      403,
    );
  });

  it("refuses an indicator tree deeper than the bound with a 400, not a 500", async () => {
    // Written as text: JSON.stringify itself runs out of stack on a tree this deep.
    let tree = '{"code":"D3000","name":"leaf","points":10,"rule":{"type":"yesno"}}';
    for (let level = 2999; level >= 1; level--)
      tree = `{"code":"D${level}","name":"n","points":10,"children":[${tree}]}`;
    const { indicators: _, ...rest } = planDocument;
    const body = `{"document":${JSON.stringify(rest).slice(0, -1)},"indicators":[${tree}]}}`;
    const r = await office.send("POST", "/api/v1/plans", body, "application/json");
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: "PLAN_TOO_DEEP", field: "document.indicators" });
  });

  it("units see a plan only once it is published", async () => {
    expect((await kjjReporter.request("GET", "/api/v1/plans")).json().items).toEqual([]);
    expect((await kjjReporter.request("GET", `/api/v1/plans/${planId}`)).statusCode).toBe(404);
    expect(
      (await kjjReporter.request("PUT", values("kjj"), { indicator: "A1", period: "2022", value: 24 }))
        .statusCode,
    ).toBe(404);
    expect((await office.request("POST", `/api/v1/plans/${planId}/publish`)).statusCode).toBe(204);
    expect(
      (await kjjReporter.request("GET", "/api/v1/plans")).json().items.map((p: { code: string }) => p.code),
    ).toEqual(["city-departments-2022"]);
    expect((await office.request("POST", `/api/v1/plans/${planId}/publish`)).statusCode).toBe(409);
  });
});

describe("reporting values", () => {
  it("a reporter saves a draft value, and every change needs the revision it read", async () => {
    const first = await kjjReporter.request("PUT", values("kjj"), {
      indicator: "A1",
      period: "2022",
      value: 23,
      note: "截至12月",
      source: "任务清单",
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ value: 23, status: "draft", revision: 1 });
    const blind = await kjjReporter.request("PUT", values("kjj"), {
      indicator: "A1",
      period: "2022",
      value: 24,
    });
    expect(blind.statusCode).toBe(409);
    expect(blind.json()).toMatchObject({ code: "CONFLICT", current: { value: 23, revision: 1 } });
    const second = await kjjReporter.request("PUT", values("kjj"), {
      indicator: "A1",
      period: "2022",
      value: 24,
      revision: 1,
    });
    expect(second.json()).toMatchObject({ value: 24, revision: 2 });
    // The data-entry page (built as JSON by the database) shows the value exactly as the save answered it.
    const page = await kjjReporter.request("GET", values("kjj"));
    expect(page.headers["content-type"]).toMatch(/^application\/json/);
    expect(page.json()).toEqual({ items: [second.json()] });
  });

  it("of two concurrent edits of one value, exactly one wins and the other gets a conflict", async () => {
    const [a, b] = await Promise.all([
      kjjReporter.request("PUT", values("kjj"), { indicator: "A1", period: "2022", value: 25, revision: 2 }),
      kjjReporter2.request("PUT", values("kjj"), { indicator: "A1", period: "2022", value: 26, revision: 2 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? a.json() : b.json();
    const loser = a.statusCode === 409 ? a.json() : b.json();
    expect(loser.current).toMatchObject({ value: winner.value, revision: 3 });
    const stored = (await kjjReporter.request("GET", values("kjj")))
      .json()
      .items.find((v: { indicator: string }) => v.indicator === "A1");
    expect(stored).toMatchObject({ value: winner.value, revision: 3 });
  });

  it("two first writes of the same new cell: one creates it, the other gets a conflict", async () => {
    const [a, b] = await Promise.all([
      kjjReporter.request("PUT", values("kjj"), { indicator: "A2", period: "2022", value: 2.87 }),
      kjjReporter2.request("PUT", values("kjj"), { indicator: "A2", period: "2022", value: 2.9 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
  });

  it("checks every value against the plan and names the field", async () => {
    const cases: [object, string, string][] = [
      [{ indicator: "B2", period: "2022", value: 2 }, "value", "BAD_YESNO"],
      [{ indicator: "Z9", period: "2022", value: 1 }, "indicator", "UNKNOWN_INDICATOR"],
      [{ indicator: "B1", period: "2022", value: 7 }, "indicator", "EXPERT_MARK"],
      [{ indicator: "A3", period: "2022", value: 2.5 }, "value", "BAD_RANK"],
      [{ indicator: "A", period: "2022", value: 1 }, "indicator", "UNKNOWN_INDICATOR"],
    ];
    for (const [body, field, code] of cases) {
      const r = await kjjReporter.request("PUT", values("kjj"), body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json()).toMatchObject({ field, code });
    }
    const text = await kjjReporter.request("PUT", values("kjj"), {
      indicator: "A1",
      period: "2022",
      value: "many",
    });
    expect(text.statusCode).toBe(400);
    expect(text.json().field).toBe("value");
  });

  it("a unit's people see and change only their own unit; others are refused", async () => {
    expect((await kjjReporter.request("GET", values("fgw"))).statusCode).toBe(403);
    expect(
      (await kjjReporter.request("PUT", values("fgw"), { indicator: "A1", period: "2022", value: 1 }))
        .statusCode,
    ).toBe(403);
    expect((await fgwReporter.request("GET", values("kjj"))).statusCode).toBe(403);
    expect((await kjjLeader.request("GET", values("kjj"))).statusCode).toBe(200);
    expect(
      (
        await kjjLeader.request("PUT", values("kjj"), {
          indicator: "A1",
          period: "2022",
          value: 1,
          revision: 3,
        })
      ).statusCode,
    ).toBe(403);
    expect((await reviewer.request("GET", values("kjj"))).statusCode).toBe(200);
    expect(
      (
        await reviewer.request("PUT", values("kjj"), {
          indicator: "A1",
          period: "2022",
          value: 1,
          revision: 3,
        })
      ).statusCode,
    ).toBe(403);
    expect((await auditor.request("GET", values("kjj"))).statusCode).toBe(403);
    expect((await app.inject({ method: "GET", url: values("kjj") })).statusCode).toBe(401);
    expect(
      (await kjjReporter.request("GET", `/api/v1/plans/${planId}/units/nowhere/values`)).statusCode,
    ).toBe(404);
  });

  it("every saved value is audited with before and after", async () => {
    const r = await auditor.request("GET", "/api/v1/audit?action=value.save&pageSize=100");
    const entries = r.json().items as {
      actor: string;
      before: { value: number } | null;
      after: { value: number; revision: number };
    }[];
    const a1 = entries.filter((e) => (e.after as { indicator?: string }).indicator === "A1");
    expect(a1.map((e) => e.after.revision).sort()).toEqual([1, 2, 3]);
    expect(a1.find((e) => e.after.revision === 2)!.before).toMatchObject({ value: 23, revision: 1 });
  });
  it("the data-entry page carries an ETag that changes with every change, on every node", async () => {
    const first = await kjjReporter.request("GET", values("kjj"));
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers["cache-control"]).toBe("private, no-cache");
    const unchanged = await kjjReporter.request("GET", values("kjj"), undefined, { "if-none-match": etag });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe("");
    // A second node on the same database, with its own page cache, takes a save: the first node's
    // next answer shows it, under a new ETag.
    const other = await buildApp({ database });
    try {
      const a1 = first.json().items.find((v: { indicator: string }) => v.indicator === "A1");
      const saved = await kjjReporter
        .on(other)
        .request("PUT", values("kjj"), { indicator: "A1", period: "2022", value: 27, revision: a1.revision });
      expect(saved.statusCode).toBe(200);
    } finally {
      await other.close();
    }
    const after = await kjjReporter.request("GET", values("kjj"), undefined, { "if-none-match": etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.json().items.find((v: { indicator: string }) => v.indicator === "A1").value).toBe(27);
    // A change made outside the app (an administrator's SQL) renews the stamp too: the database's trigger does it.
    await database.db.execute(
      sql`UPDATE reported_values SET note = '核对' WHERE unit_code = 'kjj' AND indicator = 'A1'`,
    );
    const patched = await kjjReporter.request("GET", values("kjj"), undefined, {
      "if-none-match": after.headers.etag as string,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().items.find((v: { indicator: string }) => v.indicator === "A1").note).toBe("核对");
  });
});
