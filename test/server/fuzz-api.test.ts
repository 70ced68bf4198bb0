import fc from "fast-check";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { seedExampleDemo } from "../../src/server/demo.js";
import { negotiateLang } from "../../src/server/lang.js";
import { type Client, signInAs } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";
import {
  fileFor,
  fuzzRuns,
  fuzzSeed,
  hostileJsonTexts,
  type JsonSchema,
  jsonTextFor,
  MEGABYTE,
  type OpenApiDocument,
  type Operation,
  parameterFor,
} from "../helpers/fuzz.js";

/**
 * Every operation of the API, read from its own OpenAPI document, called with inputs generated from
 * its schemas and with hostile ones (NUL, lone surrogates, bidi marks, 1 MB strings, deep nesting,
 * prototype keys, bytes that are not the file they claim), by the demo's office and by no one, in
 * Chinese and English. No answer may be a 5xx, none may take longer than the bound, and every 4xx is an
 * RFC 9457 problem with a code, in the language asked for. FUZZ_RUNS sets the cases per operation and
 * caller (default 20, under a minute on 2 cores with the fixed cases); FUZZ_SEED replays a run.
 */

const RUNS = fuzzRuns(20);
const SEED = fuzzSeed();
/** A request slower than this on a loaded 2-core machine is a hang (the slowest seen is under 2 s). */
const BOUND_MS = 10_000;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
interface Endpoint {
  name: string;
  method: Method;
  path: string;
  operation: Operation;
}
interface Fuzzed {
  signedIn: boolean;
  language: string | undefined;
  url: string;
  contentType?: string;
  body?: string | Buffer;
}

let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
let endpoints: Endpoint[] = [];
const ids: Record<string, string> = {};
const stats = { cases: 0, byStatus: new Map<number, number>(), slowestMs: 0, slowest: "" };

beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
  const accounts = await seedExampleDemo(database.db);
  office = await signInAs(app, "office", accounts.find((a) => a.username === "office")!.password);
  ids.planId = (await app.inject({ method: "GET", url: "/api/v1/public/plans" })).json().items[0].planId;
  const results = await app.inject({ method: "GET", url: `/api/v1/public/plans/${ids.planId}/results` });
  ids.publicationId = results.json().publicationId;
  const runId: string = (await office.request("GET", `/api/v1/plans/${ids.planId}/runs`)).json().items[0].id;
  ids.runId = runId;
  ids.otherId = runId;
  ids.unit = "kjj";
  ids.format = "xlsx";
  ids.a = "1";
  ids.b = "1";
  ids.version = "1";
  const document = (await app.inject({ method: "GET", url: "/api/docs/json" })).json() as OpenApiDocument;
  endpoints = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase() as Method,
      path,
      operation,
    })),
  );
});

afterAll(async () => {
  const statuses = [...stats.byStatus.entries()].sort(([a], [b]) => a - b);
  console.log(
    `fuzz-api: ${stats.cases} requests over ${endpoints.length} operations (seed ${SEED}, ${RUNS} runs each per caller); ` +
      `statuses ${statuses.map(([s, n]) => `${s}×${n}`).join(" ")}; slowest ${stats.slowestMs} ms (${stats.slowest})`,
  );
  await app?.close();
  await database?.close();
});

/** A request for an endpoint: its path filled (mostly with the demo's real ids), query, body, caller. */
function requestFor(e: Endpoint): fc.Arbitrary<Fuzzed> {
  const parameters = e.operation.parameters ?? [];
  const pathParts = fc.record(
    Object.fromEntries(
      parameters
        .filter((p) => p.in === "path")
        .map((p) => {
          const known = ids[p.name];
          const generated = parameterFor(p.schema);
          return [
            p.name,
            known
              ? fc.oneof({ weight: 3, arbitrary: fc.constant(known) }, { weight: 1, arbitrary: generated })
              : generated,
          ];
        }),
    ),
  );
  const query = fc.tuple(
    ...parameters
      .filter((p) => p.in === "query")
      .map((p) =>
        fc.option(
          parameterFor(p.schema).map((v) => `${p.name}=${v}`),
          { freq: p.required ? 8 : 2 },
        ),
      ),
  );
  const content = e.operation.requestBody?.content ?? {};
  const bodies = Object.entries(content).map(([type, { schema }]) =>
    type === "application/json"
      ? jsonTextFor(schema).map((body) => ({ contentType: type, body: body as string | Buffer }))
      : fileFor(type).map((body) => ({ contentType: type, body: body as string | Buffer })),
  );
  const body = bodies.length
    ? fc.oneof(...bodies)
    : fc.option(
        jsonTextFor({}).map((b) => ({ contentType: "application/json", body: b as string | Buffer })),
        { freq: 6 },
      );
  return fc
    .record({
      signedIn: fc.boolean(),
      language: fc.constantFrom("zh-CN", "en", "en;q=0.9, zh-CN;q=0.1", undefined, "xx;q=abc, \u0000"),
      pathParts,
      query,
      body,
    })
    .map(({ signedIn, language, pathParts, query, body }) => {
      const path = e.path.replace(/\{(\w+)\}/g, (_, name: string) => pathParts[name] ?? "x");
      const q = query.filter((x): x is string => x !== null).join("&");
      return { signedIn, language, url: q ? `${path}?${q}` : path, ...(body ?? {}) };
    });
}

const CJK = /[\u3400-\u9fff]/;
const LATIN = /[A-Za-z]{2}/;

/** Sends one fuzzed request and checks its answer; returns it for the caller's own checks. */
async function check(e: Endpoint, f: Fuzzed): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (f.language !== undefined) headers["accept-language"] = f.language;
  if (f.contentType) headers["content-type"] = f.contentType;
  const started = performance.now();
  const sent = f.signedIn
    ? office.request(e.method, f.url, f.body, headers)
    : app.inject({
        method: e.method,
        url: f.url,
        headers,
        ...(f.body === undefined ? {} : { payload: f.body }),
      });
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `no answer within ${BOUND_MS} ms: ${e.name} ${f.url.slice(0, 200)} ${String(f.body).slice(0, 300)}`,
          ),
        ),
      BOUND_MS,
    );
  });
  const r = await Promise.race([sent, hang]).finally(() => clearTimeout(timer));
  const ms = Math.round(performance.now() - started);
  stats.cases++;
  stats.byStatus.set(r.statusCode, (stats.byStatus.get(r.statusCode) ?? 0) + 1);
  if (ms > stats.slowestMs)
    Object.assign(stats, { slowestMs: ms, slowest: `${e.method} ${f.url.slice(0, 80)}` });
  const what = `${e.name} as ${f.signedIn ? "office" : "anonymous"} ${f.url.slice(0, 200)} ${String(f.body).slice(0, 200)} → ${r.statusCode} ${r.body.slice(0, 300)}`;
  expect(r.statusCode, what).toBeLessThan(500);
  expect(ms, what).toBeLessThan(BOUND_MS);
  if (r.statusCode >= 400) {
    expect(r.headers["content-type"], what).toMatch(/^application\/problem\+json/);
    const p = r.json() as Record<string, unknown>;
    expect(typeof p.type, what).toBe("string");
    expect(typeof p.title, what).toBe("string");
    expect(typeof p.code, what).toBe("string");
    expect(p.status, what).toBe(r.statusCode);
    const title = p.title as string;
    if (negotiateLang(f.language) === "zh-CN") expect(title, what).toMatch(CJK);
    else {
      expect(title, what).toMatch(LATIN);
      // An English title may quote the request (a name, a code), never speak Chinese of its own.
      if (!CJK.test(decoded(f.url) + String(f.body))) expect(title, what).not.toMatch(CJK);
    }
  }
  return r;
}

/** A URL as text, its percent-encoding undone where it is valid UTF-8. */
function decoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

describe("the API under fuzzed input", () => {
  it("documents the operations it fuzzes", () => {
    expect(endpoints.length).toBeGreaterThan(80);
  });

  it("answers every generated request of every operation with a problem, never a 5xx or a hang", async () => {
    for (const e of endpoints) {
      if (e.name === "POST /api/v1/auth/logout") continue; // would end the office's session (fuzzed below)
      const t0 = performance.now();
      await fc.assert(
        fc.asyncProperty(requestFor(e), async (f) => {
          await check(e, f);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      if (process.env.FUZZ_TRACE) console.log(`${e.name}: ${Math.round(performance.now() - t0)} ms`);
    }
  });

  it("refuses hostile JSON texts and 1 MB strings on every operation with a JSON body", async () => {
    const withJson = endpoints.filter((e) => e.operation.requestBody?.content?.["application/json"]);
    expect(withJson.length).toBeGreaterThan(20);
    for (const e of withJson) {
      const schema = e.operation.requestBody!.content!["application/json"]!.schema as JsonSchema;
      const url = e.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? "x");
      const everyString = JSON.stringify(
        Object.fromEntries(Object.keys(schema.properties ?? {}).map((k) => [k, MEGABYTE])),
      );
      for (const [i, body] of [...hostileJsonTexts, everyString].entries()) {
        const t0 = performance.now();
        for (const signedIn of [true, false])
          for (const language of ["zh-CN", "en"])
            await check(e, { signedIn, language, url, contentType: "application/json", body });
        if (process.env.FUZZ_TRACE) console.log(`${e.name} #${i}: ${Math.round(performance.now() - t0)} ms`);
      }
    }
  });

  it("still answers, and signs out cleanly, after the run", async () => {
    expect((await app.inject({ method: "GET", url: "/api/v1/health" })).statusCode).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const logout = endpoints.find((e) => e.name === "POST /api/v1/auth/logout")!;
    const r = await check(logout, { signedIn: true, language: "en", url: logout.path });
    expect(r.statusCode).toBeLessThan(300);
  });
});
