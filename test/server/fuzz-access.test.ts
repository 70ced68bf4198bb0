import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Role, roles } from "../../src/server/db/schema/index.js";
import { type Action, policies } from "../../src/server/policies.js";
import { type Client, TEST_PASSWORD } from "../helpers/accounts.js";
import { minimalFor, type OpenApiDocument, type Operation } from "../helpers/fuzz.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * CSRF on every state change of the API, read from its OpenAPI document: a signed-in office's request
 * without the token, with a made-up one, and with another live session's token (the reviewer's) is
 * refused with 403 CSRF before anything else is looked at — so also before a 404 for a made-up id.
 * And every endpoint × every role, from the document and the policy table: a role that holds no action
 * of an area (accounts, the audit trail, organisations' changes, the plans and everything under them) is
 * refused with 403 on every endpoint of that area, whatever the ids. (Other units' data on every endpoint:
 * unit-isolation.test.ts; each action's roles: permissions.test.ts.)
 */

let t: TestApp;
let app: FastifyInstance;
type Session = { cookie: string; csrf: string };
let office: Session;
let reviewer: Session;
const as: Partial<Record<Role, Client>> = {};
let planId = "";
let endpoints: {
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  operation: Operation;
}[] = [];
let changes: { name: string; method: "POST" | "PUT" | "PATCH" | "DELETE"; url: string }[] = [];

async function session(username: string): Promise<Session> {
  const r = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password: TEST_PASSWORD },
  });
  expect(r.statusCode, r.body).toBe(200);
  const value = r.cookies.find((c) => c.name === "kaohe_session")!.value;
  return { cookie: `kaohe_session=${value}`, csrf: r.json().csrfToken };
}

beforeAll(async () => {
  t = await testApp({ units: true });
  ({ app } = t);
  await t.signIn("office", ["office_staff"]);
  await t.signIn("reviewer", ["reviewer"]);
  for (const role of roles) {
    const unit = role === "unit_reporter" || role === "unit_leader" ? "kjj" : undefined;
    as[role] = await t.signIn(`as.${role}`, [role], unit);
  }
  planId = (await t.publish(as.office_staff!)).planId;
  office = await session("office");
  reviewer = await session("reviewer");
  const document = (await app.inject({ method: "GET", url: "/api/docs/json" })).json() as OpenApiDocument;
  endpoints = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([m, operation]) => ({
      name: `${m.toUpperCase()} ${path}`,
      method: m.toUpperCase() as "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
      path,
      operation,
    })),
  );
  changes = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .map((m) => m.toUpperCase())
      .filter((m): m is "POST" | "PUT" | "PATCH" | "DELETE" => ["POST", "PUT", "PATCH", "DELETE"].includes(m))
      .map((method) => ({
        name: `${method} ${path}`,
        method,
        url: path.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === "unit" ? "kjj" : name === "format" ? "xlsx" : randomUUID(),
        ),
      })),
  );
});
afterAll(() => t.close());

describe("CSRF on every state change", () => {
  it("finds the state changes in the document", () => {
    expect(changes.length).toBeGreaterThan(40);
  });

  for (const [label, token] of [
    ["without a token", () => undefined],
    ["with a made-up token", () => "0".repeat(43)],
    ["with another session's token", () => reviewer.csrf],
  ] as const) {
    it(`refuses the office's requests ${label} (403 CSRF)`, async () => {
      let refused = 0;
      for (const c of changes) {
        if (c.name === "POST /api/v1/auth/login") continue; // before any session: nothing to forge
        const csrf = token();
        const r = await app.inject({
          method: c.method,
          url: c.url,
          headers: { cookie: office.cookie, ...(csrf ? { "x-csrf-token": csrf } : {}) },
          payload: {},
        });
        expect(r.statusCode, `${c.name}: ${r.body}`).toBe(403);
        expect(r.json().code, `${c.name}: ${r.body}`).toBe("CSRF");
        refused++;
      }
      expect(refused).toBe(changes.length - 1);
      // The office's session still works with its own token, and the reviewer's with theirs.
      for (const s of [office, reviewer]) {
        const r = await app.inject({
          method: "PUT",
          url: "/api/v1/auth/language",
          headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
          payload: { language: "en" },
        });
        expect(r.statusCode, r.body).toBeLessThan(300);
      }
    });
  }
});

/** The actions of the policy table that govern an endpoint's area, or none for an area it leaves open. */
function areaActions(e: { method: string; path: string }): Action[] | undefined {
  const all = Object.keys(policies) as Action[];
  const area = /^\/api\/v1\/(\w[\w-]*)/.exec(e.path)?.[1];
  if (area === "users") return all.filter((a) => a.startsWith("users."));
  if (area === "audit") return all.filter((a) => a.startsWith("audit."));
  if (area === "organisations" && e.method !== "GET") return ["organisations.write"];
  // Everything under a plan: any action but the administrators' own.
  if (area === "plans") return all.filter((a) => !/^(users|audit|organisations)\./.test(a));
  return undefined;
}

describe("every endpoint × every role", () => {
  it("refuses (403) a role on every endpoint of an area where it holds no action", async () => {
    let refused = 0;
    let unchecked = 0;
    for (const role of roles) {
      for (const e of endpoints) {
        const actions = areaActions(e);
        if (!actions || actions.some((a) => (policies[a] as readonly Role[]).includes(role))) continue;
        const url = e.path.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === "planId" ? planId : name === "unit" ? "kjj" : name === "format" ? "xlsx" : randomUUID(),
        );
        const query = (e.operation.parameters ?? [])
          .filter((p) => p.in === "query" && p.required)
          .map((p) => `${p.name}=${encodeURIComponent(String(minimalFor(p.schema)))}`)
          .join("&");
        const json = e.operation.requestBody?.content?.["application/json"]?.schema;
        const r = await as[role]!.request(
          e.method,
          query ? `${url}?${query}` : url,
          json ? minimalFor(json) : e.method === "GET" || e.method === "DELETE" ? undefined : {},
        );
        // An empty body or query is refused by the route's schema before any role is looked at: that says
        // nothing of the data either (counted apart, so that most pairs are seen reach the role check).
        if (
          r.statusCode === 400 &&
          r.json().code === "VALIDATION" &&
          ["body", "query"].includes(r.json().in)
        ) {
          unchecked++;
          if (process.env.FUZZ_TRACE) console.log(role, e.name, r.body.slice(0, 300));
          continue;
        }
        expect(r.statusCode, `${role} ${e.name}: ${r.body}`).toBe(403);
        expect(r.json().code, `${role} ${e.name}`).toBe("FORBIDDEN");
        refused++;
      }
    }
    console.log(
      `fuzz-access: ${refused} endpoint × role pairs refused by area (${unchecked} more refused by the body or query schema first)`,
    );
    expect(unchecked).toBeLessThan(refused / 4);
    // The three administrators alone are refused on every plan endpoint, so the matrix is never empty.
    expect(refused).toBeGreaterThan(3 * endpoints.filter((e) => e.path.startsWith("/api/v1/plans")).length);
  });
});
