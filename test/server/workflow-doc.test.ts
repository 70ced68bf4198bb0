import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { testDatabase } from "../helpers/database.js";

/** docs/workflow.md names API calls as `METHOD /api/v1/path`: each must be an operation of the OpenAPI document. */
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

it("every call docs/workflow.md names is a documented operation", async () => {
  const text = readFileSync(join(import.meta.dirname, "..", "..", "docs", "workflow.md"), "utf8");
  const calls = [...text.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/api\/v1\/[^`\s]+)`/g)].map(
    ([, method, path]) => `${method} ${path}`,
  );
  expect(calls.length).toBeGreaterThan(40);
  const document = (await app.inject({ method: "GET", url: "/api/docs/json" })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = new Set(
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    ),
  );
  expect(calls.filter((c) => !operations.has(c))).toEqual([]);
});
