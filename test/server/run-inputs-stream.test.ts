import { gunzipSync, gzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { planVersions, scoringRuns } from "../../src/server/db/schema/index.js";
import { DEMO_PASSWORD, seedExampleDemo } from "../../src/server/demo.js";
import { contentHash, runContent } from "../../src/server/modules/audit/content.js";
import { verifyAuditChain } from "../../src/server/modules/audit/service.js";
import {
  packInputs,
  parseGzippedJson,
  parseJsonChunks,
  runContentHash,
  runInputs,
  runPlan,
  storedInputs,
} from "../../src/server/modules/runs/inputs.js";
import type { RunInputs } from "../../src/server/modules/runs/service.js";
import { type Client, signInAs } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";

/**
 * A run's frozen inputs written as a stream (gzip and content hash in one pass, never one string) and
 * read back as one: the stored bytes and the hash are exactly those of the one-string way runs were
 * stored before, so every stored run still verifies.
 */

/** The way before: one JSON string, gzipped at once, and the canonical JSON of the content hashed. */
const oneString = (inputs: RunInputs, result: unknown) => ({
  gz: gzipSync(JSON.stringify(inputs)),
  hash: contentHash(runContent({ inputs, result })),
});

/** Inputs of the demo's shape, large enough to pass the 1 M characters gzip is given at a time. */
function largeInputs(rows: number): { inputs: RunInputs; result: unknown } {
  const inputs = {
    plan: { id: "p", name: "人才工作目标责任制考核", units: [{ code: "u1", name: "单位一" }] },
    rows: Array.from({ length: rows }, (_, i) => ({
      unit: `单位${i % 997}`,
      indicator: `指标-${i % 300}`,
      period: `2026-${String((i % 12) + 1).padStart(2, "0")}`,
      value: i / 7,
      ...(i % 5 === 0 ? { source: '统计局 "年报"\n\u2028' } : {}),
    })),
  } as unknown as RunInputs;
  const result = { units: [{ unit: "u1", total: 1.5, ranks: { b: 2, a: 1, 10: 3, 2: 4 } }], z: null };
  return { inputs, result };
}

describe("a run's inputs packed as a stream", () => {
  it("give the very bytes and content hash of the one-string way, and gunzip to the same JSON", async () => {
    for (const rows of [0, 1, 40_000]) {
      const { inputs, result } = largeInputs(rows);
      const before = oneString(inputs, result);
      const packed = await packInputs(inputs, result);
      expect(packed.columns.inputs).toBeNull();
      expect(packed.columns.inputsGz.equals(before.gz)).toBe(true);
      expect(packed.contentHash).toBe(before.hash);
      expect(runContentHash({ inputs, result })).toBe(before.hash);
      expect(gunzipSync(packed.columns.inputsGz).toString("utf8")).toBe(JSON.stringify(inputs));
      expect(await runInputs({ inputs: null, inputsGz: packed.columns.inputsGz })).toEqual(inputs);
    }
    // Another result gives another hash: the hash covers it.
    const { inputs, result } = largeInputs(10);
    expect((await packInputs(inputs, { ...(result as object), z: 1 })).contentHash).not.toBe(
      oneString(inputs, result).hash,
    );
  });

  it("read back only the plan, without the rows, where only the plan is wanted", async () => {
    const { inputs } = largeInputs(1000);
    const gz = gzipSync(JSON.stringify(inputs));
    expect(await runPlan({ inputs: null, inputsGz: gz })).toEqual(inputs.plan);
    const partial = (await parseGzippedJson(gz, "plan")) as Record<string, unknown>;
    expect(Object.keys(partial)).toEqual(["plan"]);
  });
});

describe("the streamed JSON reader", () => {
  it("parses any JSON as JSON.parse does, however its bytes are cut", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.dictionary(fc.string({ unit: "grapheme", maxLength: 5 }), fc.jsonValue({ maxDepth: 3 })),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        fc.boolean(),
        fc.array(fc.nat(200), { maxLength: 6 }),
        async (value, spaced, cuts) => {
          const text = spaced ? JSON.stringify(value, null, 1) : JSON.stringify(value);
          const bytes = Buffer.from(text, "utf8");
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, k) => bytes.subarray(from, at[k] ?? bytes.length));
          expect(await parseJsonChunks(chunks)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("joins a character cut between chunks, at every byte", async () => {
    const value = { plan: { 名称: "考核\u{1F600}" }, rows: [{ 单位: '甲\\"}],' }, [1, [2, {}]], "乙"] };
    const bytes = Buffer.from(JSON.stringify(value), "utf8");
    for (let i = 0; i <= bytes.length; i++)
      expect(await parseJsonChunks([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(value);
    for (const bad of ['{"a":1', '{"a":1}x', "[1,"])
      await expect(parseJsonChunks([Buffer.from(bad)])).rejects.toThrow();
  });
});

describe("a stored run (the service's)", () => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let office: Client;
  let planId = "";
  let runId = "";

  beforeAll(async () => {
    database = await testDatabase();
    app = await buildApp({ database });
    await seedExampleDemo(database.db);
    office = await signInAs(app, "office", DEMO_PASSWORD);
    const [run] = await database.db
      .select({ id: scoringRuns.id, planId: planVersions.planId })
      .from(scoringRuns)
      .innerJoin(planVersions, eq(planVersions.id, scoringRuns.planVersionId));
    planId = run!.planId;
    runId = run!.id;
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it("is stored as the one-string way stored it, and verifies against its audit entry", async () => {
    const [run] = await database.db
      .select({ ...storedInputs, result: scoringRuns.result })
      .from(scoringRuns)
      .where(eq(scoringRuns.id, runId));
    const inputs = await runInputs(run!);
    expect(inputs.rows.length).toBeGreaterThan(10);
    const before = oneString(inputs, run!.result);
    expect(Buffer.from(run!.inputsGz!).equals(before.gz)).toBe(true);
    const [entry] = await database.db
      .execute(
        sql`SELECT after->>'contentHash' AS hash FROM audit_log WHERE action = 'run.create' AND entity_id = ${runId}`,
      )
      .then((r) => (r as unknown as { rows: { hash: string }[] }).rows);
    expect(entry!.hash).toBe(before.hash);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, runs: 1 });
  });

  it("the run's page reads its result and not its inputs", async () => {
    const url = `/api/v1/plans/${planId}/runs/${runId}`;
    const whole = await office.request("GET", url);
    expect(whole.statusCode, whole.body).toBe(200);
    // Inputs that cannot be unzipped, for the length of one transaction: the page still reads, the
    // inputs do not (so the page did not read them).
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        await tx.execute(
          sql`UPDATE scoring_runs SET inputs_gz = ${Buffer.from("not gzip")} WHERE id = ${runId}`,
        );
        await tx.execute(sql`SET LOCAL session_replication_role = origin`);
        const { createRunService } = await import("../../src/server/modules/runs/service.js");
        const runs = createRunService({
          db: tx as never,
          targets: { approved: async () => [] } as never,
          assessments: { rows: async () => [] } as never,
        });
        const read = await runs.resultOfPlan(planId, runId);
        expect(read.result).toEqual(whole.json().result);
        expect("inputs" in read).toBe(false);
        await expect(runs.ofPlan(planId, runId)).rejects.toThrow();
        throw new Error("roll back");
      })
      .catch((e: Error) => {
        if (e.message !== "roll back") throw e;
      });
    expect((await office.request("GET", `${url}/inputs`)).statusCode).toBe(200);
  });
});
