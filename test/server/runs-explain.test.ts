import { gunzipSync, gzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, type ScoringRun, scorePlan } from "../../src/engine/index.js";
import { buildApp } from "../../src/server/app.js";
import { type Database, type DatabaseHandle, resultRows } from "../../src/server/db/client.js";
import { planVersions, publications, scoringRuns } from "../../src/server/db/schema/index.js";
import { DEMO_PASSWORD, seedExampleDemo } from "../../src/server/demo.js";
import { contentHash, runContent } from "../../src/server/modules/audit/content.js";
import { appendAudit, verifyAuditChain } from "../../src/server/modules/audit/service.js";
import { runInputs, storedInputs } from "../../src/server/modules/runs/inputs.js";
import type { RunInputs } from "../../src/server/modules/runs/service.js";
import { type Client, signInAs } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";

/**
 * Runs stored without traces (issue 14): the demo's run, scored by the service, keeps the numbers, and
 * a unit's explanation is scored again on demand, byte for byte the trace the full run gave. A run
 * stored the old way, with every trace, still reads, re-runs and verifies.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
let planId = "";
let runId = "";
let inputs: RunInputs;
let full: ScoringRun;

beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
  await seedExampleDemo(database.db);
  office = await signInAs(app, "office", DEMO_PASSWORD);
  const [run] = await database.db
    .select({ id: scoringRuns.id, planId: planVersions.planId, ...storedInputs })
    .from(scoringRuns)
    .innerJoin(planVersions, eq(planVersions.id, scoringRuns.planVersionId));
  planId = run!.planId;
  runId = run!.id;
  inputs = await runInputs(run!);
  // What the service stored before: the full run with every unit's trace.
  const scored = scorePlan(inputs.plan, inputs.rows);
  if (!scored.ok) throw new Error(scored.error.message.en);
  full = scored.value;
}, 120_000);
afterAll(async () => {
  await app.close();
  await database.close();
});

const runUrl = (id: string) => `/api/v1/plans/${planId}/runs/${id}`;
const explanationUrl = (id: string, unit: string) =>
  `${runUrl(id)}/units/${encodeURIComponent(unit)}/explanation`;

describe("a run stored by the service", () => {
  it("keeps the numbers without the traces: the full run's result with every trace left out", async () => {
    const r = await office.request("GET", runUrl(runId));
    expect(r.statusCode, r.body).toBe(200);
    const stored = r.json().result as ScoringRun;
    expect(stored.units.length).toBe(full.units.length);
    for (const u of stored.units) expect(u.trace).toEqual([]);
    const untraced = { ...full, units: full.units.map((u) => ({ ...u, trace: [] })) };
    expect(canonicalJson(stored)).toBe(canonicalJson(untraced));
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(full).length / 2);
  });

  it("explains every unit on demand, byte for byte the trace the full run gave", async () => {
    for (const unit of full.units) {
      const r = await office.request("GET", explanationUrl(runId, unit.unit));
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().unit).toBe(unit.unit);
      expect(unit.trace.length).toBeGreaterThan(0);
      expect(JSON.stringify(r.json().trace)).toBe(JSON.stringify(unit.trace));
    }
  });

  it("gives a unit's people their own published explanation, and keeps the runs' the office's", async () => {
    const [publication] = await database.db.select({ id: publications.id }).from(publications);
    const leader = await signInAs(app, "kjj.leader", DEMO_PASSWORD);
    const own = await leader.request(
      "GET",
      `/api/v1/plans/${planId}/publications/${publication!.id}/units/kjj/results`,
    );
    expect(own.statusCode, own.body).toBe(200);
    const kjj = full.units.find((u) => u.unit === "kjj")!;
    expect(JSON.stringify(own.json().result.trace)).toBe(JSON.stringify(kjj.trace));
    expect((await leader.request("GET", explanationUrl(runId, "kjj"))).statusCode).toBe(403);
    const missing = await office.request("GET", explanationUrl(runId, "nope"));
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail ?? missing.body).toContain("nope");
    // Under another plan's address the run is not found, even once its explanation is kept.
    const elsewhere = `/api/v1/plans/${crypto.randomUUID()}/runs/${runId}/units/kjj/explanation`;
    expect((await office.request("GET", elsewhere)).statusCode).toBe(404);
  });

  it("lets reviewers read every unit's explanation, as the office does; a unit's people see only their own, once published", async () => {
    const reviewer = await signInAs(app, "reviewer", DEMO_PASSWORD);
    for (const unit of full.units.slice(0, 4)) {
      const r = await reviewer.request("GET", explanationUrl(runId, unit.unit));
      expect(r.statusCode, r.body).toBe(200);
      expect(JSON.stringify(r.json().trace)).toBe(JSON.stringify(unit.trace));
    }
    const [publication] = await database.db.select({ id: publications.id }).from(publications);
    const published = (unit: string) =>
      `/api/v1/plans/${planId}/publications/${publication!.id}/units/${unit}/results`;
    // Reviewers read any unit's published result too (the results page: results.own)…
    const other = full.units.find((u) => u.unit !== "kjj")!;
    const seen = await reviewer.request("GET", published(other.unit));
    expect(seen.statusCode, seen.body).toBe(200);
    expect(JSON.stringify(seen.json().result.trace)).toBe(JSON.stringify(other.trace));
    // …while 市科技局's reporter reads its own and no other unit's, and no run's trace at all.
    const reporter = await signInAs(app, "kjj.reporter", DEMO_PASSWORD);
    expect((await reporter.request("GET", published("kjj"))).statusCode).toBe(200);
    const refused = await reporter.request("GET", published(other.unit));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe("FORBIDDEN");
    for (const unit of ["kjj", other.unit])
      expect((await reporter.request("GET", explanationUrl(runId, unit))).statusCode).toBe(403);
  });

  it("re-runs identical", async () => {
    const r = await office.request("POST", `${runUrl(runId)}/rerun`);
    expect(r.json()).toEqual({ identical: true, inputHash: full.inputHash.run });
  });
});

/** Stores a run as the service did before issue 14: the full result, its content hash audited. */
async function storeTheOldWay(db: Database): Promise<string> {
  const [version] = await db.select({ id: planVersions.id }).from(planVersions);
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(scoringRuns)
      .values({
        planVersionId: version!.id,
        engineVersion: full.engineVersion,
        inputHash: full.inputHash.run,
        inputs,
        result: full,
      })
      .returning({ id: scoringRuns.id });
    await appendAudit(tx, {
      actor: "office",
      action: "run.create",
      entity: "scoring_run",
      entityId: run!.id,
      after: {
        inputHash: full.inputHash.run,
        values: inputs.rows.length,
        contentHash: contentHash(runContent({ inputs, result: full })),
      },
    });
    return run!.id;
  });
}

describe("a run read a category and a page at a time (a province's office page, docs/scale.md)", () => {
  const read = async (query: string) => {
    const r = await office.request("GET", `${runUrl(runId)}?${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      id: string;
      createdAt: string;
      inputHash: string;
      planVersion: number;
      result: ScoringRun;
      units: { total: number; page: number | null; pageSize: number | null };
    };
  };
  const summaryOf = ({ result: _r, units: _u, ...summary }: Awaited<ReturnType<typeof read>>) => summary;

  it("gives a category's units, in the whole result's order, with the rest of the result unchanged", async () => {
    const whole = await read("");
    expect(whole.units).toEqual({ total: full.units.length, page: null, pageSize: null });
    // The demo's 单列 units have none (read whole or by page).
    const categories = [...new Set(whole.result.units.flatMap((u) => (u.category ? [u.category] : [])))];
    expect(categories.length).toBeGreaterThan(1);
    for (const category of categories) {
      const one = await read(`category=${encodeURIComponent(category)}`);
      const expected = whole.result.units.filter((u) => u.category === category);
      expect(one.units).toEqual({ total: expected.length, page: null, pageSize: null });
      expect(canonicalJson(one.result.units)).toBe(canonicalJson(expected));
      const { units: _a, ...rest } = one.result;
      const { units: _b, ...wholeRest } = whole.result;
      expect(canonicalJson(rest)).toBe(canonicalJson(wholeRest));
      expect(summaryOf(one)).toEqual(summaryOf(whole));
    }
    // The 单列 units: those in no category.
    const alone = whole.result.units.filter((u) => u.category === null);
    expect(alone.length).toBeGreaterThan(0);
    const standalone = await read("standalone=true");
    expect(standalone.units.total).toBe(alone.length);
    expect(canonicalJson(standalone.result.units)).toBe(canonicalJson(alone));
  });

  it("pages the units selected: every unit once, in order; a page past the last is empty; a category with none is 404", async () => {
    const whole = await read("");
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(full.units.length / 4); page++) {
      const one = await read(`page=${page}&pageSize=4`);
      expect(one.units).toEqual({ total: full.units.length, page, pageSize: 4 });
      expect(one.result.units.length).toBeLessThanOrEqual(4);
      seen.push(...one.result.units.map((u) => u.unit));
    }
    expect(seen).toEqual(whole.result.units.map((u) => u.unit));
    const past = await read("page=99&pageSize=4");
    expect(past.result.units).toEqual([]);
    expect(past.units.total).toBe(full.units.length);
    const category = whole.result.units.find((u) => u.category)!.category!;
    const firstTwo = await read(`category=${encodeURIComponent(category)}&pageSize=2`);
    expect(firstTwo.result.units.map((u) => u.unit)).toEqual(
      whole.result.units
        .filter((u) => u.category === category)
        .slice(0, 2)
        .map((u) => u.unit),
    );
    const none = await office.request(
      "GET",
      `${runUrl(runId)}?category=${encodeURIComponent("没有' OR 1=1 --")}`,
    );
    expect(none.statusCode).toBe(404);
    expect(none.json().title).toBe("本次计分中没有类别 没有' OR 1=1 -- 的单位");
    for (const bad of [
      "page=0",
      "page=1e20",
      "pageSize=2001",
      "page=x",
      "standalone=yes",
      `category=${"x".repeat(201)}`,
    ]) {
      const refused = await office.request("GET", `${runUrl(runId)}?${bad}`);
      expect(refused.statusCode, bad).toBe(400);
    }
  });
});

describe("a run stored the old way, with every trace", () => {
  let oldId = "";
  beforeAll(async () => {
    oldId = await storeTheOldWay(database.db);
  });

  it("still reads, explains from its own traces and re-runs identical", async () => {
    const r = await office.request("GET", runUrl(oldId));
    expect(r.statusCode, r.body).toBe(200);
    expect(canonicalJson(r.json().result)).toBe(canonicalJson(full));
    const unit = full.units[3]!;
    const explained = await office.request("GET", explanationUrl(oldId, unit.unit));
    // The stored trace, as the database's JSON keeps it: the same members, its own key order.
    expect(canonicalJson(explained.json().trace)).toBe(canonicalJson(unit.trace));
    expect((await office.request("POST", `${runUrl(oldId)}/rerun`)).json()).toEqual({
      identical: true,
      inputHash: full.inputHash.run,
    });
    const diff = await office.request("GET", `${runUrl(oldId)}/diff/${runId}`);
    expect(diff.json()).toMatchObject({
      inputs: { same: true, values: [], marks: [], items: [] },
      units: [],
    });
  });

  it("verifies in the audit chain beside the new run, and a changed trace in it does not", async () => {
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, runs: 2, unprotected: 0 });
    let check: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        await tx.execute(sql`UPDATE scoring_runs
          SET result = jsonb_set(result, '{units,0,trace,0,text,en}', '"changed"') WHERE id = ${oldId}`);
        await tx.execute(sql`SET LOCAL session_replication_role = origin`);
        check = await verifyAuditChain(tx as unknown as Database);
        throw new Error("roll back");
      })
      .catch((e: Error) => {
        if (e.message !== "roll back") throw e;
      });
    expect(check).toMatchObject({ ok: false, reason: "content", entity: "scoring_run", entityId: oldId });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, runs: 2 });
  });
});

describe("a run's frozen inputs (migration 0031)", () => {
  it("are stored gzipped by the service: inputs NULL, inputs_gz a fraction of the JSON, read back equal", async () => {
    const [row] = resultRows<{ jsonb: unknown; gz: number }>(
      await database.db.execute(sql`SELECT inputs AS jsonb, octet_length(inputs_gz) AS gz
        FROM scoring_runs WHERE id = ${runId}`),
    );
    expect(row!.jsonb).toBeNull();
    const json = Buffer.byteLength(JSON.stringify(inputs));
    expect(Number(row!.gz)).toBeGreaterThan(0);
    expect(Number(row!.gz)).toBeLessThan(json / 4);
    expect(gunzipSync(Buffer.from(await gzOf(runId))).toString("utf8")).toBe(JSON.stringify(inputs));
    const served = await office.request("GET", `${runUrl(runId)}/inputs`);
    expect(served.statusCode, served.body).toBe(200);
    expect(canonicalJson(served.json().inputs)).toBe(canonicalJson(inputs));
    expect(inputs.rows.length).toBeGreaterThan(10);
  });

  it("hash as the audit entry recorded, and changed gzipped inputs do not verify", async () => {
    const [run] = await database.db
      .select({ ...storedInputs, result: scoringRuns.result })
      .from(scoringRuns)
      .where(eq(scoringRuns.id, runId));
    const [entry] = resultRows<{ after: { contentHash: string } }>(
      await database.db.execute(sql`SELECT after FROM audit_log
        WHERE action = 'run.create' AND entity_id = ${runId}`),
    );
    expect(contentHash(runContent({ inputs: await runInputs(run!), result: run!.result }))).toBe(
      entry!.after.contentHash,
    );
    // One approved row fewer: what deleting a value from the frozen inputs would leave.
    const changed: RunInputs = { ...inputs, rows: inputs.rows.slice(1) };
    let check: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        await tx.execute(sql`UPDATE scoring_runs
          SET inputs_gz = ${gzipSync(JSON.stringify(changed))} WHERE id = ${runId}`);
        await tx.execute(sql`SET LOCAL session_replication_role = origin`);
        check = await verifyAuditChain(tx as unknown as Database);
        throw new Error("roll back");
      })
      .catch((e: Error) => {
        if (e.message !== "roll back") throw e;
      });
    expect(check).toMatchObject({ ok: false, reason: "content", entity: "scoring_run", entityId: runId });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("stored before 0031 (JSONB, without traces) still read, explain, re-run and verify", async () => {
    const [stored] = await database.db
      .select({ result: scoringRuns.result, planVersionId: scoringRuns.planVersionId })
      .from(scoringRuns)
      .where(eq(scoringRuns.id, runId));
    const result = stored!.result as ScoringRun;
    const jsonbId = await database.db.transaction(async (tx) => {
      const [run] = await tx
        .insert(scoringRuns)
        .values({
          planVersionId: stored!.planVersionId,
          engineVersion: result.engineVersion,
          inputHash: result.inputHash.run,
          inputs,
          result,
        })
        .returning({ id: scoringRuns.id });
      await appendAudit(tx, {
        actor: "office",
        action: "run.create",
        entity: "scoring_run",
        entityId: run!.id,
        after: {
          inputHash: result.inputHash.run,
          values: inputs.rows.length,
          contentHash: contentHash(runContent({ inputs, result })),
        },
      });
      return run!.id;
    });
    const [raw] = resultRows<{ gz: unknown }>(
      await database.db.execute(sql`SELECT inputs_gz AS gz FROM scoring_runs WHERE id = ${jsonbId}`),
    );
    expect(raw!.gz).toBeNull();
    const served = await office.request("GET", `${runUrl(jsonbId)}/inputs`);
    expect(canonicalJson(served.json().inputs)).toBe(canonicalJson(inputs));
    const unit = full.units[2]!;
    const explained = await office.request("GET", explanationUrl(jsonbId, unit.unit));
    expect(explained.statusCode, explained.body).toBe(200);
    expect(JSON.stringify(explained.json().trace)).toBe(JSON.stringify(unit.trace));
    expect((await office.request("POST", `${runUrl(jsonbId)}/rerun`)).json()).toEqual({
      identical: true,
      inputHash: full.inputHash.run,
    });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, unprotected: 0 });
  });

  it("are in exactly one column (a CHECK constraint)", async () => {
    const [stored] = await database.db
      .select({ result: scoringRuns.result, planVersionId: scoringRuns.planVersionId })
      .from(scoringRuns)
      .where(eq(scoringRuns.id, runId));
    const row = { planVersionId: stored!.planVersionId, engineVersion: "x", inputHash: "x", result: {} };
    for (const both of [
      { inputs: null, inputsGz: null },
      { inputs, inputsGz: gzipSync(JSON.stringify(inputs)) },
    ])
      await expect(database.db.insert(scoringRuns).values({ ...row, ...both })).rejects.toThrow();
  });
});

async function gzOf(id: string): Promise<Buffer> {
  const [row] = await database.db
    .select({ gz: scoringRuns.inputsGz })
    .from(scoringRuns)
    .where(eq(scoringRuns.id, id));
  return row!.gz!;
}
