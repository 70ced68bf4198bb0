import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { organisations } from "../../src/server/db/schema/index.js";
import { seedExampleDemo } from "../../src/server/demo.js";
import { type Client, signIn, signInAs } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";
import { districtsPlan } from "../helpers/districts-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * Every endpoint of the API, read from its own OpenAPI document, called about 市科技局 (kjj) by another
 * unit's reporter and leader and by no one at all. Each must refuse (401 for no one; 403 or 404 for the
 * others), or, for the few plan-wide reads units share, show none of kjj's rows. A new endpoint is
 * covered as soon as it is documented, so none can ship unscoped.
 */

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  pattern?: string;
};
type Operation = {
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema: JsonSchema }> };
};

/** A smallest valid value for a schema, so that a request gets past validation to the authorisation. */
function sample(schema: JsonSchema, name = "", unit = "kjj"): unknown {
  if (name === "unit") return unit;
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return sample(choice.find((s) => s.type !== "null") ?? choice[0]!, name, unit);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(
        (schema.required ?? []).map((k) => [k, sample(schema.properties![k]!, k, unit)]),
      );
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items!, "", unit));
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    default:
      if (schema.format === "uuid") return randomUUID();
      if (schema.format === "date-time") return new Date(Date.now() + 86_400_000).toISOString();
      if (schema.pattern) return "kaohe1".padEnd(schema.minLength ?? 1, "x"); // codes: letters, digits, - and _
      return "核对本单位数据".padEnd(schema.minLength ?? 1, "。");
  }
}

/** Open to everyone, or about the caller's own account: nothing of a unit's to refuse. */
const PUBLIC = [
  /^\/api\/v1\/health$/,
  /^\/api\/v1\/demo$/,
  /^\/api\/v1\/public\//,
  /^\/api\/v1\/auth\//,
  // The caller's own inbox (another account's notification is 404: test/server/notifications.test.ts).
  /^\/api\/v1\/notifications(\/|$)/,
  /^\/api\/docs/,
];
/** Plan-wide reads every signed-in unit shares (the plan itself, the organisation tree). */
const SHARED = new Set(["GET /api/v1/plans", "GET /api/v1/plans/{planId}", "GET /api/v1/organisations"]);

let database: DatabaseHandle;
let app: FastifyInstance;
let others: Client[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
  const accounts = await seedExampleDemo(database.db);
  const password = (username: string) => accounts.find((a) => a.username === username)!.password;
  const [fgw] = await database.db.select().from(organisations).where(eq(organisations.code, "fgw"));
  others = [
    await signIn(app, database.db, "fgw.reporter", ["unit_reporter"], fgw!.id),
    await signIn(app, database.db, "fgw.leader", ["unit_leader"], fgw!.id),
  ];
  const office = await signInAs(app, "office", password("office"));
  const kjjLeader = await signInAs(app, "kjj.leader", password("kjj.leader"));
  ids.planId = (await app.inject({ method: "GET", url: "/api/v1/public/plans" })).json().items[0].planId;
  const results = await app.inject({ method: "GET", url: `/api/v1/public/plans/${ids.planId}/results` });
  ids.publicationId = results.json().publicationId;
  const runId: string = (await office.request("GET", `/api/v1/plans/${ids.planId}/runs`)).json().items[0].id;
  ids.runId = runId;
  ids.otherId = runId;
  // Rows of kjj's in the plan-wide lists: an objection and a target adjustment of its own.
  const objection = await kjjLeader.request(
    "POST",
    `/api/v1/plans/${ids.planId}/publications/${ids.publicationId}/objections`,
    { unit: "kjj", reason: "对党建工作评分有异议，请复核" },
  );
  expect(objection.statusCode, objection.body).toBe(201);
  ids.objectionId = objection.json().id;
  const adjustment = await kjjLeader.request(
    "POST",
    `/api/v1/plans/${ids.planId}/units/kjj/target-adjustments`,
    {
      indicator: "A2",
      target: 3,
      reason: "市政府年中调整了研发投入强度目标",
    },
  );
  expect(adjustment.statusCode, adjustment.body).toBe(201);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** Every documented operation, with its path filled in for a unit (kjj) and a valid body and query. */
async function operations(on = app, known: Record<string, string> = ids, unit = "kjj") {
  const document = (await on.inject({ method: "GET", url: "/api/docs/json" })).json() as {
    paths: Record<string, Record<string, Operation>>;
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const query = (operation.parameters ?? [])
        .filter((p) => p.in === "query" && p.required)
        .map((p) => `${p.name}=${encodeURIComponent(String(sample(p.schema, p.name, unit)))}`)
        .join("&");
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
        name === "unit" ? unit : name === "format" ? "xlsx" : (known[name] ?? randomUUID()),
      );
      const json = operation.requestBody?.content?.["application/json"]?.schema;
      return {
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase() as "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
        path,
        url: query ? `${url}?${query}` : url,
        body: json ? sample(json, "", unit) : undefined,
      };
    }),
  );
}

/**
 * Whether the call was refused (403 or 404); if it was not, it must be a plan-wide list (a GET without
 * a unit in its path) answering with none of the unit's rows.
 */
function refusedOrWithout(
  o: { method: string; path: string },
  r: { statusCode: number; json(): unknown },
  unit: string,
  what: string,
): boolean {
  if (r.statusCode === 403 || r.statusCode === 404) return true;
  expect(o.method, what).toBe("GET");
  expect(o.path.includes("{unit}"), what).toBe(false);
  expect(r.statusCode, what).toBe(200);
  const items = (r.json() as { items: { unit?: string }[] }).items;
  expect(Array.isArray(items), what).toBe(true);
  expect(
    items.filter((i) => i.unit === unit),
    what,
  ).toEqual([]);
  return false;
}

describe("every endpoint keeps a unit's data to the unit", () => {
  it("covers the whole API", async () => {
    const all = await operations();
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter((o) => o.path.includes("{unit}")).length).toBeGreaterThanOrEqual(15);
  });

  it("refuses callers who are not signed in (401)", async () => {
    for (const o of await operations()) {
      if (PUBLIC.some((p) => p.test(o.path))) continue;
      const r = await app.inject({
        method: o.method,
        url: o.url,
        ...(o.body === undefined ? {} : { payload: o.body as object }),
      });
      expect(r.statusCode, `${o.name}: ${r.body}`).toBe(401);
    }
  });

  it("refuses another unit's reporter and leader (403/404), or shows them none of kjj's rows", async () => {
    let refused = 0;
    let filtered = 0;
    for (const o of await operations()) {
      if (PUBLIC.some((p) => p.test(o.path)) || SHARED.has(o.name)) continue;
      for (const other of others) {
        const r = await other.request(o.method, o.url, o.body);
        const what = `${other.username} ${o.name}: ${r.statusCode} ${r.body.slice(0, 300)}`;
        if (refusedOrWithout(o, r, "kjj", what)) refused++;
        else filtered++;
      }
    }
    // Both outcomes really happen: most endpoints refuse, the unit-scoped lists filter.
    expect(refused).toBeGreaterThan(60);
    expect(filtered).toBeGreaterThan(3);
  });
});

/**
 * A lead department that scores an indicator for every unit (scoredBy: lead) reads those values back,
 * and only those: every other endpoint about the unit still refuses its reporter, and the unit's own
 * indicators stay out of what it reads.
 */
describe("a lead department scoring for every unit (scoredBy: lead) sees only what it scores", () => {
  const plan = districtsPlan("lead-isolation", [
    { code: "BIZ", name: "营商环境", points: 40, lead: "fgw", scoredBy: "lead", rule: { type: "mark" } },
    { code: "PARTY", name: "党建", points: 60, lead: "fgw", rule: { type: "mark" } },
  ]);
  let t: TestApp;
  let fgw: Client;
  const known: Record<string, string> = {};

  beforeAll(async () => {
    t = await testApp({ units: { units: [...plan.units, { code: "fgw", name: "市发改委" }] } });
    const office = await t.signIn("office", ["office_staff"]);
    fgw = await t.signIn("fgw.reporter", ["unit_reporter"], "fgw");
    const d1 = await t.signIn("d1.reporter", ["unit_reporter"], "d1");
    known.planId = (await t.publish(office, plan, false)).planId;
    const put = (who: Client, indicator: string) =>
      who.request("PUT", `/api/v1/plans/${known.planId}/units/d1/values`, {
        indicator,
        period: "2025",
        value: 30,
      });
    expect((await put(d1, "PARTY")).statusCode).toBe(200);
    expect((await put(fgw, "BIZ")).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  it("refuses the department's reporter every endpoint about the unit but the values it scores", async () => {
    const readsValues = "GET /api/v1/plans/{planId}/units/{unit}/values";
    let refused = 0;
    for (const o of await operations(t.app, known, "d1")) {
      if (PUBLIC.some((p) => p.test(o.path)) || SHARED.has(o.name)) continue;
      const r = await fgw.request(o.method, o.url, o.body);
      const what = `fgw.reporter ${o.name}: ${r.statusCode} ${r.body.slice(0, 300)}`;
      if (o.name === readsValues) {
        expect(r.statusCode, what).toBe(200);
        expect(r.json().items.map((v: { indicator: string }) => v.indicator)).toEqual(["BIZ"]);
        continue;
      }
      // Writing BIZ is its job (and tested in lead-scoring.test.ts); the sample body writes no BIZ.
      if (refusedOrWithout(o, r, "d1", what)) refused++;
    }
    expect(refused).toBeGreaterThan(30);
  });
});
