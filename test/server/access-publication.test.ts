import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSecurity } from "../../src/server/config.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { minimalFor, type OpenApiDocument, type Operation } from "../helpers/fuzz.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * The access matrix's before/after-publication axis: every GET endpoint of the API, read from its
 * OpenAPI document, called by 市科技局's (kjj) reporter and leader about their own unit and about another
 * (fgw), at each stage of a plan's results — nothing scored yet, scored but not published, published under
 * an embargo, under public notice, scored again (a run nobody published), final. Every result row found
 * in an answer (an object with a score, total, rank, grade or trace) must be one the plan allows then:
 * none before publication; after it, a row exactly as the anonymous public sees it (the plan's
 * `publication.show`), or the unit's own full result as published. Any other unit's row in an answer must
 * be its public row. (Other units' data in one state: unit-isolation.test.ts; roles: fuzz-access.test.ts.)
 */

const plan = { ...examplePlan(), publication: { noticeDays: 5, show: ["grade", "rank"] } };
const OWN = "kjj";
const OTHER = "fgw";
const UNITS = new Set<string>(plan.units.map((u: { code: string }) => u.code));
/** What the public row of a unit may carry: who it is, and what `publication.show` allows. */
const PUBLIC_KEYS = new Set(["unit", "name", "nameEn", "category", "categoryEn", "grade", "rank"]);
/** The keys that make an object a result row (a unit's scores, standing or their explanation). */
const RESULT_KEYS = ["total", "base", "rank", "rankOf", "grade", "gradeByRules", "scores", "score", "trace"];

let t: TestApp;
let clock = Date.parse("2023-02-01T00:00:00Z");
const DAY = 86_400_000;
let office: Client;
let people: Client[] = [];
let endpoints: { path: string; operation: Operation }[] = [];
const ids: Record<string, string> = {};
let planDocument: unknown;
let cases = 0;

type UnitResult = { unit: string; total: number; rank: number | null; grade: string | null };

beforeAll(async () => {
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: plan,
  });
  office = await t.signIn("office", ["office_staff"]);
  people = [
    await t.signIn("kjj.reporter", ["unit_reporter"], OWN),
    await t.signIn("kjj.leader", ["unit_leader"], OWN),
  ];
  ids.planId = (await t.publish(office, plan)).planId;
  planDocument = (await office.request("GET", api(""))).json().document;
  expect(planDocument).toMatchObject({ units: plan.units });
  const document = (await t.app.inject({ method: "GET", url: "/api/docs/json" })).json() as OpenApiDocument;
  endpoints = Object.entries(document.paths).flatMap(([path, methods]) =>
    methods.get ? [{ path, operation: methods.get }] : [],
  );
});
afterAll(() => t.close());

const api = (path: string) => `/api/v1/plans/${ids.planId}${path}`;

/** A path of the document filled in for a unit: the ids of this file's rows where it has them. */
function urlOf(e: { path: string; operation: Operation }, unit: string): string {
  const url = e.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === "unit") return unit;
    if (name === "format") return "csv";
    if (["version", "a", "b"].includes(name)) return "1";
    if (name === "id") {
      const area = /^\/api\/v1\/(?:plans\/\{planId\}\/)?([\w-]+)/.exec(e.path)?.[1] ?? "";
      return ids[`${area}.id`] ?? randomUUID();
    }
    return ids[name] ?? randomUUID();
  });
  const query = (e.operation.parameters ?? [])
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${p.name}=${encodeURIComponent(String(minimalFor(p.schema)))}`)
    .join("&");
  return query ? `${url}?${query}` : url;
}

/** Whether an object is a result row: a list's envelope counts its items in `total`, which is no score. */
const isResultRow = (row: Record<string, unknown>) =>
  RESULT_KEYS.some((k) => k in row && !(k === "total" && Array.isArray(row.items)));

/**
 * Every object of a JSON value that is a result row or names a unit of the plan, with where it is. The
 * plan's document as the office reads it (its rules: a veto's grade, a title's name) is what every unit
 * reads, and is passed over; a document that differs from it is looked through like the rest.
 */
function rowsOf(value: unknown, at = "$"): { at: string; row: Record<string, unknown> }[] {
  if (at.endsWith(".document") && isDeepStrictEqual(value, planDocument)) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => rowsOf(v, `${at}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  const row = value as Record<string, unknown>;
  const unit = row.unit ?? row.unitCode;
  const own = isResultRow(row) || (typeof unit === "string" && UNITS.has(unit));
  return [...(own ? [{ at, row }] : []), ...Object.entries(row).flatMap(([k, v]) => rowsOf(v, `${at}.${k}`))];
}

/** The anonymous public's rows of the plan's current results, by unit (none before publication). */
async function publicRows(): Promise<Map<string, Record<string, unknown>>> {
  const r = await t.app.inject({ method: "GET", url: `/api/v1/public/plans/${ids.planId}/results` });
  if (r.statusCode === 404) return new Map();
  expect(r.statusCode, r.body).toBe(200);
  return new Map(r.json().units.map((u: { unit: string }) => [u.unit, u]));
}

/** A run's result per unit, as the office reads it. */
async function runResults(runId: string): Promise<Map<string, UnitResult>> {
  const r = await office.request("GET", api(`/runs/${runId}`));
  expect(r.statusCode, r.body).toBe(200);
  return new Map(r.json().result.units.map((u: UnitResult) => [u.unit, u]));
}

/**
 * Every GET endpoint × kjj's reporter and leader × kjj and fgw (where the path names a unit), at one
 * stage: refused, or answering only with rows the stage allows. `published` is the run whose results
 * are public now (none before publication); returns how many answers carried kjj's own full result.
 */
async function sweep(stage: string, published: Map<string, UnitResult> | null): Promise<number> {
  const shown = await publicRows();
  if (!published) expect(shown.size, `${stage}: public rows before publication`).toBe(0);
  else expect(shown.size, `${stage}: the public table`).toBe(UNITS.size);
  let ownResults = 0;
  let answered = 0;
  for (const e of endpoints) {
    const units = e.path.includes("{unit}") ? [OWN, OTHER] : [OWN];
    for (const unit of units) {
      for (const who of people) {
        const url = urlOf(e, unit);
        const r = await who.request("GET", url);
        cases++;
        const what = `${stage}: ${who.username} GET ${e.path} (${unit}) → ${r.statusCode} ${r.body.slice(0, 300)}`;
        expect(r.statusCode, what).not.toBe(500);
        if (r.statusCode >= 300) {
          // Refused or not found: an RFC 9457 problem that says no more than that.
          expect(r.headers["content-type"], what).toMatch(/^application\/problem\+json/);
          expect(
            RESULT_KEYS.filter((k) => r.body.includes(`"${k}"`)),
            what,
          ).toEqual([]);
          continue;
        }
        answered++;
        if (!/json/.test(String(r.headers["content-type"]))) {
          // A file (a CSV template): about the caller's own unit only, never another's.
          for (const u of plan.units as { code: string; name: string }[])
            if (u.code !== OWN) expect(r.body.includes(u.name), `${what}: names ${u.code}`).toBe(false);
          continue;
        }
        for (const { at, row } of rowsOf(r.json())) {
          const rowUnit = (row.unit ?? row.unitCode) as string | undefined;
          const where = `${what} at ${at}: ${JSON.stringify(row).slice(0, 200)}`;
          const isResult = isResultRow(row);
          if (!published) {
            expect(isResult, `${where}: a result before publication`).toBe(false);
            expect(rowUnit === undefined || rowUnit === OWN, `${where}: another unit's row`).toBe(true);
            continue;
          }
          const open = rowUnit ? shown.get(rowUnit) : undefined;
          if (open && Object.keys(row).every((k) => PUBLIC_KEYS.has(k))) {
            expect(row, `${where}: not as published`).toEqual(open);
            continue;
          }
          // The unit's own published result, its explanation's nodes with it (they carry scores too).
          const ownResult = e.path.endsWith("/units/{unit}/results") && unit === OWN;
          if (ownResult && at === "$.result") {
            const mine = published.get(OWN)!;
            expect(
              { unit: row.unit, total: row.total, rank: row.rank, grade: row.grade },
              `${where}: not the published result`,
            ).toEqual({ unit: mine.unit, total: mine.total, rank: mine.rank, grade: mine.grade });
            ownResults++;
            continue;
          }
          if (ownResult && at.startsWith("$.result.")) continue;
          // The unit's own years in the plan's series (历年结果): this year's numbers exactly as published.
          if (e.path.endsWith("/history") && /^\$\.items\[0\]\.years\[\d+\]$/.test(at)) {
            const mine = published.get(OWN)!;
            expect(
              { total: row.total, rank: row.rank, grade: row.grade },
              `${where}: not the published result`,
            ).toEqual({ total: mine.total, rank: mine.rank, grade: mine.grade });
            continue;
          }
          // Anything else beyond a public row is the caller's own unit's, and no result.
          expect(rowUnit, `${where}: beyond what is public of another unit`).toBe(OWN);
          expect(isResult, `${where}: a result outside the unit's own published result`).toBe(false);
        }
      }
    }
  }
  expect(answered, `${stage}: some reads answer (the matrix is not only refusals)`).toBeGreaterThan(20);
  return ownResults;
}

const unitResults = () => `/publications/${ids.publicationId}/units/${OWN}/results`;

describe("what a unit sees of its results, before and after publication", () => {
  it("before anything is scored: no results anywhere", async () => {
    expect(await sweep("no run", null)).toBe(0);
  });

  it("scored but not published: still none, not even its own", async () => {
    const run = await office.request("POST", api("/runs"));
    expect(run.statusCode, run.body).toBe(201);
    const runId: string = run.json().id;
    ids.runId = runId;
    ids.otherId = runId;
    // The office's own rows about the run: a what-if scenario, a bulletin draft, a scoring job.
    const scenario = await office.request("POST", api("/scenarios"), {
      runId: ids.runId,
      name: "权重测算",
      changes: {},
    });
    expect(scenario.statusCode, scenario.body).toBe(201);
    ids.scenarioId = scenario.json().id;
    const bulletin = await office.request("POST", api("/bulletins"), { unit: OWN, runId: ids.runId });
    expect(bulletin.statusCode, bulletin.body).toBe(201);
    ids["bulletins.id"] = bulletin.json().id;
    const job = await office.request("POST", api("/jobs/score"));
    expect(job.statusCode, job.body).toBeLessThan(300);
    ids["jobs.id"] = job.json().id;
    expect(await sweep("scored, unpublished", null)).toBe(0);
  });

  it("published under an embargo: nothing until the public sees it, and no objection yet", async () => {
    const r = await office.request("POST", api(`/runs/${ids.runId}/publish`), {
      visibleFrom: new Date(clock + DAY).toISOString(),
    });
    expect(r.statusCode, r.body).toBe(201);
    ids.publicationId = r.json().id;
    await t.app.notifications.tick();
    for (const who of people) {
      const own = await who.request("GET", api(unitResults()));
      expect(own.statusCode, `${who.username}: ${own.body}`).toBe(404);
    }
    // The office sees its scheduled publication at once, with the unit's results.
    expect((await office.request("GET", api(unitResults()))).statusCode).toBe(200);
    const objection = await people[1]!.request("POST", api(`/publications/${ids.publicationId}/objections`), {
      unit: OWN,
      reason: "公示前提出的异议",
    });
    expect(objection.statusCode, objection.body).toBe(404);
    expect(await sweep("embargoed", null)).toBe(0);
  });

  it("under public notice: its own full result and the public table, nothing more", async () => {
    clock += 2 * DAY;
    const published = await runResults(ids.runId!);
    const objection = await people[1]!.request("POST", api(`/publications/${ids.publicationId}/objections`), {
      unit: OWN,
      reason: "对A1评分有异议，请复核",
    });
    expect(objection.statusCode, objection.body).toBe(201);
    ids.objectionId = objection.json().id;
    const fgwLeader = await t.signIn("fgw.leader", ["unit_leader"], OTHER);
    const theirs = await fgwLeader.request("POST", api(`/publications/${ids.publicationId}/objections`), {
      unit: OTHER,
      reason: "对B2评分有异议，请复核",
    });
    expect(theirs.statusCode, theirs.body).toBe(201);
    await t.app.notifications.tick();
    const shown = await publicRows();
    for (const row of shown.values())
      expect(
        Object.keys(row).every((k) => PUBLIC_KEYS.has(k)),
        JSON.stringify(row),
      ).toBe(true);
    for (const who of people) {
      const own = await who.request("GET", api(unitResults()));
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json().result.trace.length).toBeGreaterThan(0);
    }
    // Both people, each reading its own result once.
    expect(await sweep("under notice", published)).toBe(people.length);
  });

  it("scored again after publication: the unpublished run stays unseen", async () => {
    const published = await runResults(ids.runId!);
    const penalty = await office.request("POST", api(`/units/${OWN}/claims`), { item: "late", value: 4 });
    expect(penalty.statusCode, penalty.body).toBe(201);
    ids["claims.id"] = penalty.json().id;
    const rerun = await office.request("POST", api("/runs"));
    expect(rerun.statusCode, rerun.body).toBe(201);
    ids.runId = rerun.json().id;
    const unpublished = await runResults(ids.runId!);
    // The new run does differ for kjj, so an answer showing it would be caught.
    expect(unpublished.get(OWN)!.total).not.toBe(published.get(OWN)!.total);
    expect(await sweep("re-scored, unpublished", published)).toBe(people.length);
  });

  it("final: still exactly the published results", async () => {
    const published = await runResults(ids.otherId!);
    const objections = await office.request("GET", api(`/publications/${ids.publicationId}/objections`));
    for (const o of objections.json().items as { id: string }[]) {
      const r = await office.request(
        "POST",
        api(`/publications/${ids.publicationId}/objections/${o.id}/resolve`),
        { decision: "rejected", resolution: "经复核，评分无误" },
      );
      expect(r.statusCode, r.body).toBe(200);
    }
    clock += 10 * DAY;
    const final = await office.request("POST", api(`/publications/${ids.publicationId}/finalise`));
    expect(final.statusCode, final.body).toBe(204);
    await t.app.notifications.tick();
    expect(await sweep("final", published)).toBe(people.length);
    console.log(
      `access-publication: ${cases} cases (${endpoints.length} GET endpoints × 2 roles × own/other unit × 6 stages)`,
    );
  });
});
