import { sql } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultRows } from "../../src/server/db/client.js";
import { reportedValues } from "../../src/server/db/schema/index.js";
import type { Client } from "../helpers/accounts.js";
import { districtsPlan } from "../helpers/districts-plan.js";
import { examplePlan } from "../helpers/example-plan.js";
import type { JsonSchema, OpenApiDocument } from "../helpers/fuzz.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * IDOR in request bodies, read from the OpenAPI document: every POST, PUT and PATCH whose JSON body
 * carries an id (a unit, a run, an indicator, a bonus item, at any depth: `cells[].unit`) is sent by the
 * role that may make it with one id replaced by another unit's (for a unit's people) or another plan's
 * (for the office and reviewers). Each must be refused — 403, 404 or 409, or 400/422 naming that field as
 * not of this plan (UNKNOWN_INDICATOR: a code, no row of anyone's), with an RFC 9457 body — and
 * change nothing in the database; the same request with the caller's own ids is then accepted, so the
 * refusal was for the id and not for the shape. (Ids in paths: unit-isolation.test.ts.)
 */

/** The kinds of id a body field names, by the field's name; a new id-like field must be given one. */
const kindOf = (name: string): string | undefined =>
  ({ unit: "unit", runId: "run", indicator: "indicator", item: "item" })[name] ??
  (/(Id|Code|Version)$/.test(name) ? name : undefined);

/**
 * Id fields left out, with why: no caller of theirs is confined to a unit or a plan, so no other one's
 * id exists for them (the system administrator manages every organisation; a version number is of the
 * plan in the path and checked against it: plan-adjustments.test.ts).
 */
const NOT_IDOR: Record<string, string> = {
  "POST /api/v1/organisations parentCode": "the system administrator manages every organisation",
  "PATCH /api/v1/organisations/{id} parentCode": "the system administrator manages every organisation",
  "POST /api/v1/users organisationCode": "the system administrator manages every organisation",
  "POST /api/v1/plans/{planId}/revisions baseVersion": "a version number of the plan in the path",
};

/** Every field of a body schema whose name says it is an id, as a path (`cells[].unit`). */
function idFields(schema: JsonSchema, at = ""): { path: string; kind: string }[] {
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return choice.flatMap((s) => idFields(s, at));
  if (schema.items) return idFields(schema.items, `${at}[]`);
  return Object.entries(schema.properties ?? {}).flatMap(([name, s]) => {
    const path = at ? `${at}.${name}` : name;
    const kind = kindOf(name);
    return [...(kind ? [{ path, kind }] : []), ...idFields(s, path)];
  });
}

/** A copy of a body with the field at `path` (through arrays: every element) set to `value`. */
function withField(body: unknown, path: string, value: unknown): unknown {
  const [head, ...rest] = path.split(".");
  const clone = structuredClone(body) as Record<string, unknown>;
  const many = head!.endsWith("[]");
  const key = many ? head!.slice(0, -2) : head!;
  if (!(key in clone)) throw new Error(`the fixture's body has no ${key} for ${path}`);
  const set = (v: unknown) => (rest.length ? withField(v, rest.join("."), value) : value);
  clone[key] = many ? (clone[key] as unknown[]).map(set) : set(clone[key]);
  return clone;
}

const planA = { ...examplePlan(), publication: { noticeDays: 5 } };
const planB = districtsPlan(
  "idor-other-plan",
  [{ code: "BIZ", name: "营商环境", points: 100, rule: { type: "mark" } }],
  { bonus: [{ code: "only-b", name: "乙方案加分", levels: { 市级: 1 } }] },
);

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

/**
 * The valid request of each operation whose body carries ids, as its caller makes it with its own ids,
 * and the ids of another unit or plan it must not reach (`foreign`, by kind).
 */
type Foreign = () => Record<string, unknown[]>;
type Fixture = {
  who: string;
  url: () => string;
  body: () => unknown;
  foreign: Foreign;
  /** Others who may make the request, with what they must not reach (a department's reviewer). */
  alsoBy?: { who: string; foreign: Foreign }[];
};
const a = (path: string) => `/api/v1/plans/${ids.a}${path}`;
/** What another plan's ids are, for a caller who sees every unit of its own plan. */
const otherPlan = () => ({ unit: ["d1"], run: [ids.runB], indicator: ["BIZ"], item: ["only-b"] });
/**
 * What 发改委's reviewer (a lead department's, fgw) must not reach: its own department's values, and
 * indicators it does not lead (it leads none of this plan's).
 */
const department = () => ({ unit: ["fgw"], indicator: ["B1", "B2", "B3"] });
const fixtures: Record<string, Fixture> = {
  "PUT /api/v1/plans/{planId}/units/{unit}/values": {
    who: "swj.reporter",
    url: () => a("/units/swj/values"),
    body: () => ({ indicator: "A1", period: "2022", value: 20 }),
    foreign: () => ({ indicator: ["BIZ"] }),
  },
  "POST /api/v1/plans/{planId}/units/{unit}/target-adjustments": {
    who: "kjj.leader",
    url: () => a("/units/kjj/target-adjustments"),
    body: () => ({ indicator: "A2", target: 3, reason: "市政府年中调整了研发投入强度目标" }),
    foreign: () => ({ indicator: ["BIZ"] }),
  },
  "POST /api/v1/plans/{planId}/units/{unit}/claims": {
    who: "kjj.leader",
    url: () => a("/units/kjj/claims"),
    body: () => ({ item: "award", level: "市级", ref: "科技进步奖" }),
    foreign: () => ({ item: ["only-b"] }),
  },
  "POST /api/v1/plans/{planId}/publications/{publicationId}/objections": {
    who: "kjj.leader",
    url: () => a(`/publications/${ids.publicationId}/objections`),
    body: () => ({
      unit: "kjj",
      reason: "对A1评分有异议，请复核",
      cells: [{ indicator: "A1", period: "2022" }],
    }),
    foreign: () => ({ unit: ["fgw", "d1"], indicator: ["BIZ"] }),
  },
  "PUT /api/v1/plans/{planId}/units/{unit}/marks": {
    who: "reviewer",
    url: () => a("/units/kjj/marks"),
    body: () => ({ indicator: "B1", period: "2022", mark: 7 }),
    foreign: otherPlan,
  },
  "POST /api/v1/plans/{planId}/units/{unit}/review": {
    who: "reviewer",
    url: () => a("/units/kjj/review"),
    body: () => ({ indicator: "B2", period: "2022", decision: "approve" }),
    foreign: otherPlan,
    alsoBy: [{ who: "fgw.reviewer", foreign: department }],
  },
  "POST /api/v1/plans/{planId}/review/approve": {
    who: "reviewer",
    url: () => a("/review/approve"),
    body: () => ({ cells: [{ unit: "kjj", indicator: "B3", period: "2022" }] }),
    foreign: otherPlan,
    alsoBy: [{ who: "fgw.reviewer", foreign: department }],
  },
  "POST /api/v1/plans/{planId}/scenarios": {
    who: "office",
    url: () => a("/scenarios"),
    body: () => ({
      runId: ids.runA,
      name: "党建权重测算",
      changes: { values: [{ unit: "kjj", indicator: "A1", period: "2022", value: 30 }] },
    }),
    foreign: otherPlan,
  },
  "PUT /api/v1/plans/{planId}/scenarios/{scenarioId}": {
    who: "office",
    url: () => a(`/scenarios/${ids.scenarioId}`),
    body: () => ({
      name: "党建权重测算（二）",
      changes: { values: [{ unit: "kjj", indicator: "A1", period: "2022", value: 28 }] },
    }),
    foreign: otherPlan,
  },
  "POST /api/v1/plans/{planId}/bulletins": {
    who: "office",
    url: () => a("/bulletins"),
    body: () => ({ unit: "kjj", runId: ids.runA }),
    foreign: otherPlan,
  },
};

/**
 * What a refused request must leave as it was: every table's rows, hashed (the sessions' last-seen
 * times aside, which every request moves).
 */
async function digest(): Promise<Record<string, string>> {
  const tables = resultRows<{ name: string }>(
    await t.db.execute(
      sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    ),
  ).map((r) => r.name);
  const out: Record<string, string> = {};
  for (const name of tables) {
    if (name === "sessions") continue;
    const [row] = resultRows<{ n: string; h: string | null }>(
      await t.db.execute(
        sql`SELECT count(*)::text AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${sql.identifier(name)} x`,
      ),
    );
    out[name] = `${row!.n}:${row!.h}`;
  }
  return out;
}

let operations: { name: string; fields: { path: string; kind: string }[] }[] = [];
/** The fields of NOT_IDOR met in the document (each must be: a stale entry would hide nothing). */
const left = new Set<string>();

beforeAll(async () => {
  t = await testApp({ units: { units: [...planA.units, ...planB.units] } });
  as.office = await t.signIn("office", ["office_staff"]);
  as.reviewer = await t.signIn("reviewer", ["reviewer"]);
  as["fgw.reviewer"] = await t.signIn("fgw.reviewer", ["reviewer"], "fgw");
  as["kjj.leader"] = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  as["swj.reporter"] = await t.signIn("swj.reporter", ["unit_reporter"], "swj");
  const published = await t.publish(as.office, planA, false);
  ids.a = published.planId;
  ids.b = (await t.publish(as.office, planB, false)).planId;
  // Plan B scored; plan A with two of kjj's values submitted for review (needing no evidence), scored and put up for notice.
  ids.runB = (await as.office.request("POST", `/api/v1/plans/${ids.b}/runs`)).json().id;
  await t.db.insert(reportedValues).values(
    [
      ["B2", 1],
      ["B3", 96],
    ].map(([indicator, value]) => ({
      planVersionId: published.versionId,
      unitCode: "kjj",
      indicator: indicator as string,
      period: "2022",
      value: value as number,
      status: "submitted" as const,
    })),
  );
  const run = await as.office.request("POST", a("/runs"));
  expect(run.statusCode, run.body).toBe(201);
  ids.runA = run.json().id;
  const scenario = await as.office.request("POST", a("/scenarios"), {
    runId: ids.runA,
    name: "基准",
    changes: {},
  });
  expect(scenario.statusCode, scenario.body).toBe(201);
  ids.scenarioId = scenario.json().id;
  const notice = await as.office.request("POST", a(`/runs/${ids.runA}/publish`));
  expect(notice.statusCode, notice.body).toBe(201);
  ids.publicationId = notice.json().id;

  const document = (await t.app.inject({ method: "GET", url: "/api/docs/json" })).json() as OpenApiDocument;
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) => {
      const schema = operation.requestBody?.content?.["application/json"]?.schema;
      if (!["post", "put", "patch"].includes(method) || !schema) return [];
      const name = `${method.toUpperCase()} ${path}`;
      const fields = idFields(schema).filter((f) => {
        const key = `${name} ${f.path}`;
        if (!NOT_IDOR[key]) return true;
        left.add(key);
        return false;
      });
      return fields.length ? [{ name, fields }] : [];
    }),
  );
});
afterAll(() => t.close());

const method = (name: string) => name.split(" ")[0] as "POST" | "PUT" | "PATCH";

/**
 * A refusal of a body for its id at `path`: 403, 404 or 409; or 400/422 as the check of that very id,
 * not of the body's shape (not one of this plan's); always an RFC 9457 problem.
 */
function refused(r: LightMyRequestResponse, path: string, what: string) {
  expect([400, 403, 404, 409, 422], what).toContain(r.statusCode);
  expect(r.headers["content-type"], what).toMatch(/^application\/problem\+json/);
  expect(r.json(), what).toMatchObject({ status: r.statusCode, title: expect.any(String) });
  if (r.statusCode === 400 || r.statusCode === 422) {
    expect(r.json().code, what).not.toBe("VALIDATION");
    // The field as a path (`cells[0].indicator`), or the part of the body that holds it (`changes`).
    const named = String(r.json().field).replace(/\[\d+\]/g, "[]");
    expect([path, ...path.split(/[.[\]]+/)], what).toContain(named);
  }
}

describe("ids in request bodies (IDOR)", () => {
  it("finds the bodies that carry ids in the document, each with a fixture", () => {
    expect(operations.map((o) => o.name).sort()).toEqual(Object.keys(fixtures).sort());
    expect([...left].sort()).toEqual(Object.keys(NOT_IDOR).sort());
  });

  it("refuses another unit's or plan's id in every such body, changing nothing; accepts the caller's own", async () => {
    let cases = 0;
    for (const o of operations) {
      const f = fixtures[o.name]!;
      const callers = [{ who: f.who, foreign: f.foreign }, ...(f.alsoBy ?? [])];
      for (const caller of callers) {
        for (const field of o.fields) {
          const values = caller.foreign()[field.kind] ?? [];
          // Every caller, the extra ones too, has another unit's or plan's ids to try: none would test nothing.
          expect(
            values.length,
            `${caller.who} ${o.name}: no foreign ${field.kind} for ${field.path}`,
          ).toBeGreaterThan(0);
          for (const value of values) {
            const before = await digest();
            const r = await as[caller.who]!.request(
              method(o.name),
              f.url(),
              withField(f.body(), field.path, value),
            );
            const what = `${caller.who} ${o.name} with ${field.path} = ${String(value)}: ${r.statusCode} ${r.body.slice(0, 300)}`;
            refused(r, field.path, what);
            expect(await digest(), `${what}: the database changed`).toEqual(before);
            cases++;
          }
        }
      }
      const before = await digest();
      const own = await as[f.who]!.request(method(o.name), f.url(), f.body());
      expect(own.statusCode, `${f.who} ${o.name} with its own ids: ${own.body.slice(0, 300)}`).toBeLessThan(
        300,
      );
      // The digest does see a change: the accepted request's.
      expect(await digest(), `${o.name}: the accepted request changed nothing`).not.toEqual(before);
    }
    console.log(
      `access-body-ids: ${cases} bodies with another unit's or plan's id refused, ${operations.length} operations`,
    );
  });
});
