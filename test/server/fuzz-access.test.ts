import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "../helpers/accounts.js";
import type { OpenApiDocument } from "../helpers/fuzz.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * CSRF on every state change of the API, read from its OpenAPI document: a signed-in office's request
 * without the token, with a made-up one, and with another live session's token (the reviewer's) is
 * refused with 403 CSRF before anything else is looked at — so also before a 404 for a made-up id.
 * (Other units' data on every endpoint: unit-isolation.test.ts.)
 */

let t: TestApp;
let app: FastifyInstance;
type Session = { cookie: string; csrf: string };
let office: Session;
let reviewer: Session;
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
  office = await session("office");
  reviewer = await session("reviewer");
  const document = (await app.inject({ method: "GET", url: "/api/docs/json" })).json() as OpenApiDocument;
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
