import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { testDatabase, usingPostgres } from "../helpers/database.js";

let database: DatabaseHandle;
let app: FastifyInstance;
beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("the HTTP application", () => {
  it("reports health with its database", async () => {
    const r = await app.inject({ method: "GET", url: "/api/v1/health" });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: "ok", database: usingPostgres ? "postgres" : "pglite" });
  });

  it("answers unknown paths with problem details, in the user's language", async () => {
    const zh = await app.inject({ method: "GET", url: "/api/v1/nope" });
    expect(zh.statusCode).toBe(404);
    expect(zh.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(zh.json()).toMatchObject({ status: 404, title: "未找到" });
    const en = await app.inject({
      method: "GET",
      url: "/api/v1/nope",
      headers: { "accept-language": "en-GB,en" },
    });
    expect(en.json().title).toBe("Not found");
  });

  it("publishes an OpenAPI 3.1 document at /api/docs", async () => {
    const r = await app.inject({ method: "GET", url: "/api/docs/json" });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/health");
    const ui = await app.inject({ method: "GET", url: "/api/docs" });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
