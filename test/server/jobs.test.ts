import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { jobs } from "../../src/server/db/schema/index.js";
import { createJobService } from "../../src/server/modules/jobs/service.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

let t: TestApp;
let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
let kjjLeader: Client;
let planId = "";

beforeAll(async () => {
  const plan = examplePlan();
  t = await testApp({ units: plan });
  ({ database, app } = t);
  office = await t.signIn("office", ["office_staff"]);
  kjjLeader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  planId = (await t.publish(office, plan)).planId;
});
afterAll(() => t.close());

describe("database-backed jobs", () => {
  let runId = "";

  it("a scoring run as a job: queued, then run by a worker, its result reported", async () => {
    const queued = await office.request("POST", `/api/v1/plans/${planId}/jobs/score`);
    expect(queued.statusCode).toBe(202);
    expect(queued.json()).toMatchObject({ kind: "score", status: "queued", progress: 0 });
    expect(await app.jobRunner.tick()).toBe(true);
    const done = (await office.request("GET", `/api/v1/jobs/${queued.json().id}`)).json();
    expect(done).toMatchObject({ status: "done", progress: 1 });
    runId = done.result.runId;
    expect((await office.request("GET", `/api/v1/plans/${planId}/runs/${runId}`)).statusCode).toBe(200);
    expect(await app.jobRunner.tick()).toBe(false); // nothing left
  });

  it("a sensitivity analysis as a job, with progress, reproducible from its seed", async () => {
    const start = () =>
      office.request("POST", `/api/v1/plans/${planId}/runs/${runId}/sensitivity`, { runs: 40, seed: 7 });
    const a = (await start()).json();
    await app.jobRunner.tick();
    const b = (await start()).json();
    await app.jobRunner.tick();
    const ja = (await office.request("GET", `/api/v1/jobs/${a.id}`)).json();
    const jb = (await office.request("GET", `/api/v1/jobs/${b.id}`)).json();
    expect(ja).toMatchObject({ status: "done", progress: 1 });
    expect(ja.result.evaluations).toBe(40 * 4);
    expect(ja.result.units.find((u: { unit: string }) => u.unit === "kjj").nominalRank).toBe(1);
    expect(JSON.stringify(jb.result)).toBe(JSON.stringify(ja.result));
  });

  it("a run is analysed only under its own plan: another plan's URL finds no such run", async () => {
    const other = (await t.publish(office, { ...examplePlan(), id: "jobs-other" })).planId;
    const r = await office.request("POST", `/api/v1/plans/${other}/runs/${runId}/sensitivity`, { runs: 10 });
    expect(r.statusCode, r.body).toBe(404);
    expect(await app.jobRunner.tick()).toBe(false); // nothing was queued
  });

  it("a failing job is reported as failed with its error", async () => {
    const [bad] = await database.db
      .insert(jobs)
      .values({
        kind: "sensitivity",
        // Asked in English: the refusal is told in English.
        params: { runId: "00000000-0000-0000-0000-000000000000", spec: {}, runs: 2, seed: 1, lang: "en" },
        createdBy: null,
      })
      .returning();
    await app.jobRunner.tick();
    const j = (await office.request("GET", `/api/v1/jobs/${bad!.id}`)).json();
    expect(j.status).toBe("failed");
    expect(j.error).toContain("scoring run not found");
  });

  it("several processes never take the same job, and a stalled job is taken over", async () => {
    const clock = { t: Date.now() };
    const now = () => new Date(clock.t);
    const a = createJobService({ db: database.db, now, worker: "a" });
    const b = createJobService({ db: database.db, now, worker: "b" });
    const ids = [
      (await a.enqueue("score", { planId }, null)).id,
      (await a.enqueue("score", { planId }, null)).id,
    ];
    const [ca, cb] = await Promise.all([a.claim(), b.claim()]);
    expect(new Set([ca?.id, cb?.id])).toEqual(new Set(ids));
    expect(await a.claim()).toBeNull();
    clock.t += 120_000; // both workers went silent
    const taken = await b.claim();
    expect(taken?.worker).toBe("b");
    expect(ids).toContain(taken?.id);
  });

  it("only the job's creator or the office can read it", async () => {
    const queued = (await office.request("POST", `/api/v1/plans/${planId}/jobs/score`)).json();
    expect((await kjjLeader.request("GET", `/api/v1/jobs/${queued.id}`)).statusCode).toBe(403);
    expect((await kjjLeader.request("POST", `/api/v1/plans/${planId}/jobs/score`)).statusCode).toBe(403);
  });
});
