import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { jobs } from "../../src/server/db/schema/index.js";
import { createJobRunner, createJobService, MAX_ATTEMPTS } from "../../src/server/modules/jobs/service.js";
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

  /** Every job so far out of the way, so that a claim can only find the test's own. */
  const settle = () => database.db.update(jobs).set({ status: "done" });

  it("a job taken over is its new holder's: the stalled process's late result is not recorded", async () => {
    await settle();
    const clock = { t: Date.now() };
    const now = () => new Date(clock.t);
    const a = createJobService({ db: database.db, now, worker: "a" });
    const b = createJobService({ db: database.db, now, worker: "b" });
    const job = await a.enqueue("score", { planId }, null);
    expect((await a.claim())?.id).toBe(job.id);
    clock.t += 120_000; // a stalls (a long GC pause, a frozen VM) and b takes the job over
    expect((await b.claim())?.id).toBe(job.id);
    expect(await a.progress(job.id, 0.5)).toBe(false);
    expect(await a.finish(job.id, { by: "a" })).toBe(false);
    expect(await a.fail(job.id, "a's error")).toBe(false);
    expect(await b.finish(job.id, { by: "b" })).toBe(true);
    const stored = await b.get(job.id);
    expect(stored).toMatchObject({ status: "done", result: { by: "b" }, worker: "b", attempts: 2 });
  });

  const runsOfPlan = async () =>
    (await office.request("GET", `/api/v1/plans/${planId}/runs?pageSize=100`)).json().total as number;

  it("a process killed right after a scoring job's work commits leaves the job done: nobody scores it again", async () => {
    await settle();
    const clock = { t: Date.now() };
    const now = () => new Date(clock.t);
    const a = createJobService({ db: database.db, now, worker: "a" });
    const job = (await office.request("POST", `/api/v1/plans/${planId}/jobs/score`)).json() as { id: string };
    const before = await runsOfPlan();
    // Process a runs the real handler, whose transaction commits; then it dies before anything else.
    const dying = createJobRunner({
      jobs: a,
      handlers: {
        ...app.jobHandlers,
        score: async (...args) => {
          await app.jobHandlers.score(...args);
          throw new Error("SIGKILL");
        },
      },
    });
    await dying.tick();
    expect(await runsOfPlan()).toBe(before + 1);
    const [stored] = await database.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(stored).toMatchObject({ status: "done", worker: "a" });
    expect((stored!.result as { runId: string }).runId).toEqual(expect.any(String));
    clock.t += 120_000; // long after: another process finds nothing to take over
    expect(await createJobService({ db: database.db, now, worker: "b" }).claim()).toBeNull();
    expect(await runsOfPlan()).toBe(before + 1);
  });

  it("a stalled process's scoring run is rolled back once another holds the job: one run, the holder's", async () => {
    await settle();
    const clock = { t: Date.now() };
    const now = () => new Date(clock.t);
    const a = createJobService({ db: database.db, now, worker: "a" });
    const b = createJobService({ db: database.db, now, worker: "b" });
    const job = (await office.request("POST", `/api/v1/plans/${planId}/jobs/score`)).json() as { id: string };
    const before = await runsOfPlan();
    // a claims the job and stalls before it scores; b takes it over and scores it.
    const claimed = await a.claim();
    clock.t += 120_000;
    await createJobRunner({ jobs: b, handlers: app.jobHandlers }).tick();
    expect(await runsOfPlan()).toBe(before + 1);
    // a wakes up and scores anyway: its run and audit entry are rolled back with the lost job.
    await expect(
      app.jobHandlers.score(
        claimed!,
        async () => {},
        async (tx, result) => {
          if (!(await a.finish(job.id, result, tx))) throw new Error("lost");
        },
      ),
    ).rejects.toThrow("lost");
    expect(await runsOfPlan()).toBe(before + 1);
    expect(await b.get(job.id)).toMatchObject({ status: "done", worker: "b" });
  });

  it(`a job whose process dies ${MAX_ATTEMPTS} times is failed with the reason, never left running`, async () => {
    await settle();
    const clock = { t: Date.now() };
    const now = () => new Date(clock.t);
    const job = await createJobService({ db: database.db, now }).enqueue("score", { planId }, null);
    for (let k = 1; k <= MAX_ATTEMPTS; k++) {
      const worker = createJobService({ db: database.db, now, worker: `w${k}` });
      expect((await worker.claim())?.id).toBe(job.id);
      clock.t += 120_000; // killed: no heartbeat, no result
    }
    const next = createJobService({ db: database.db, now, worker: "next" });
    expect(await next.claim()).toBeNull();
    const [stored] = await database.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(stored).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(stored!.error).toContain(`已中断 ${MAX_ATTEMPTS} 次`);
    expect(await next.claim()).toBeNull();
  });

  it("a long job keeps its heartbeat: no other process takes it while it runs", async () => {
    await settle();
    const clock = { t: Date.now() };
    const now = () => new Date(clock.t);
    const a = createJobService({ db: database.db, now, worker: "long" });
    const b = createJobService({ db: database.db, now, worker: "other" });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const longJob = async () => {
      started();
      await held; // one long step with no progress reported
      return { done: true };
    };
    const runner = createJobRunner({
      jobs: a,
      heartbeatMs: 20,
      handlers: { score: longJob, sensitivity: longJob, import: longJob },
    });
    const job = await a.enqueue("score", { planId }, null);
    const ticking = runner.tick();
    await running;
    clock.t += 120_000; // two minutes into the step: only the heartbeat says the job is alive
    await new Promise((r) => setTimeout(r, 200));
    expect(await b.claim()).toBeNull();
    release();
    expect(await ticking).toBe(true);
    expect(await a.get(job.id)).toMatchObject({ status: "done", worker: "long", attempts: 1 });
  });

  it("only the job's creator or the office can read it", async () => {
    const queued = (await office.request("POST", `/api/v1/plans/${planId}/jobs/score`)).json();
    expect((await kjjLeader.request("GET", `/api/v1/jobs/${queued.id}`)).statusCode).toBe(403);
    expect((await kjjLeader.request("POST", `/api/v1/plans/${planId}/jobs/score`)).statusCode).toBe(403);
  });
});
