/**
 * One scoring run of a generated plan through the service on PostgreSQL (issue 14: "a run of 10,000 × 300
 * through the service completes"): the plan of bench/scoring.bench.ts (BENCH_SERVICE_RUN_PLAN, default
 * "10000x300"), its values bulk-loaded approved (INSERT … SELECT FROM unnest, as bench/scale.bench.ts
 * beyond its import), then the run service's create (read every approved value, score, store the inputs
 * gzipped and the result), the result read whole, one category's and one page's (the office's results
 * page reads a large plan a category at a time), one unit's explanation, a re-run and the audit trail's
 * verification (the run's content hash), with the stored sizes. A database of its own (kaohe_run_<pid>), always dropped.
 * Run: tsc -p tsconfig.build.json && node dist/bench/service-run.bench.js
 */
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import type { ScoringRun } from "../src/engine/index.js";
import type { Actor } from "../src/server/actor.js";
import { openDatabase } from "../src/server/db/client.js";
import { organisations, scoringRuns, users } from "../src/server/db/schema/index.js";
import { createAssessmentService } from "../src/server/modules/assessments/service.js";
import { setAuditKey, verifyAuditChain } from "../src/server/modules/audit/service.js";
import { createPlan } from "../src/server/modules/plans/commands/create-plan.js";
import { publishPlan } from "../src/server/modules/plans/commands/publish-plan.js";
import { createPlanService } from "../src/server/modules/plans/service.js";
import { createRunService } from "../src/server/modules/runs/service.js";
import { createTargetService } from "../src/server/modules/targets/service.js";
import { generate } from "./generated-plan.js";

const [UNITS, LEAVES] = (process.env.BENCH_SERVICE_RUN_PLAN ?? "10000x300").split("x").map(Number) as [
  number,
  number,
];
const now = () => new Date();
setAuditKey(randomBytes(32));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const peak = () => mb(process.resourceUsage().maxRSS * 1024);
async function timed<T>(what: string, f: () => Promise<T>, note: (t: T) => string = () => ""): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  console.log(`| ${what} | ${((performance.now() - t0) / 1000).toFixed(2)} | ${note(out)} |`);
  return out;
}

const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `kaohe_run_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ databaseUrl: url.toString() });
try {
  const { db } = database;
  await database.migrate();
  console.log(
    `kaohe: one scoring run of ${UNITS.toLocaleString("en")} × ${LEAVES} through the service, PostgreSQL`,
  );
  console.log("");
  console.log("| step | s | note |");
  console.log("|---|---:|---|");
  const mid = LEAVES / 5;
  const top = [4, 3, 2].find((t) => mid % t === 0) ?? 1;
  const { plan: generated, rows } = generate(UNITS, LEAVES, [mid, top], 4);
  const seeded = await timed("seed: units, an account, publish the plan", async () => {
    await db
      .insert(organisations)
      .values(generated.units.map((u) => ({ code: u.code, name: u.name, kind: "department" as const })));
    const [user] = await db
      .insert(users)
      .values({ username: "office", displayName: "office", passwordHash: "x", mustChangePassword: false })
      .returning();
    const actor: Actor = {
      id: user!.id,
      username: "office",
      roles: ["office_staff"],
      organisation: null,
      ip: "bench",
    };
    const plans = createPlanService({ db });
    const created = await createPlan({ db, now, actor, document: generated });
    await publishPlan({ db, now, actor, planId: created.planId, version: await plans.head(created.planId) });
    const version = await plans.current(created.planId);
    return { actor, planId: created.planId, versionId: version.id, plan: version.plan };
  });
  await timed(
    "values in: bulk SQL load, approved",
    async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        for (let k = 0; k < rows.length; k += 100_000) {
          const part = rows.slice(k, k + 100_000);
          await client.query(
            `INSERT INTO reported_values (plan_version_id, unit_code, indicator, period, value, status)
             SELECT $1, u, i, p, v, 'approved' FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[]) AS t(u, i, p, v)`,
            [
              seeded.versionId,
              part.map((r) => r.unit),
              part.map((r) => r.indicator),
              part.map((r) => r.period),
              part.map((r) => r.value as number),
            ],
          );
        }
      } finally {
        await client.end();
      }
      return rows.length;
    },
    (n) => `${n.toLocaleString("en")} values`,
  );
  rows.length = 0; // the service reads them from the database
  const targets = createTargetService({ db, now });
  const assessments = createAssessmentService({ db });
  const runs = createRunService({ db, targets, assessments });
  const run = await timed(
    "create the run (runs service: read the approved values, score, store)",
    () => runs.create({ planVersionId: seeded.versionId, plan: seeded.plan, actor: seeded.actor }),
    () => `peak RSS so far ${peak()}`,
  );
  const [stored] = await db
    .select({
      gz: scoringRuns.inputsGz,
      inputs: sql<number | null>`octet_length(${scoringRuns.inputs}::text)`,
      result: sql<number>`pg_column_size(${scoringRuns.result})`,
      resultText: sql<number>`octet_length(${scoringRuns.result}::text)`,
      // Built again from its text, not TOASTed: the size PostgreSQL's 256 MB JSONB limit is about.
      resultRaw: sql<number>`pg_column_size(${scoringRuns.result}::text::jsonb)`,
    })
    .from(scoringRuns)
    .where(eq(scoringRuns.id, run.id));
  console.log(
    `| the run as stored | | inputs JSONB ${stored!.inputs ?? "NULL"}; inputs_gz ${mb(stored!.gz!.length)} (the JSON text ${mb(gunzipSync(stored!.gz!).length)}); result JSONB ${mb(Number(stored!.result))} on disk, ${mb(Number(stored!.resultRaw))} uncompressed, its text ${mb(Number(stored!.resultText))} |`,
  );
  const category = seeded.plan.categories![0]!.code;
  await timed(
    "the result read whole (the office's run page before it read a category at a time)",
    () => runs.resultOfPlan(seeded.planId, run.id),
    (r) => `${r.units.total.toLocaleString("en")} units`,
  );
  await timed(
    `the result of one category (${category}: ?category=, cut out by PostgreSQL)`,
    () => runs.resultOfPlan(seeded.planId, run.id, { category }),
    (r) => `${r.units.total.toLocaleString("en")} units`,
  );
  await timed(
    "one page of 100 units (?page=1&pageSize=100)",
    () => runs.resultOfPlan(seeded.planId, run.id, { page: 1, pageSize: 100 }),
    (r) => `${(r.result as ScoringRun).units.length} of ${r.units.total.toLocaleString("en")} units`,
  );
  const unit = seeded.plan.units[UNITS >> 1]!.code;
  await timed(`explain one unit (${unit}): the run read, scored again`, () => runs.explain(run.id, unit));
  await timed(
    "re-run: the stored inputs scored again, compared with the stored result",
    () => runs.rerun(run.id),
    (r) => (r.identical ? "identical" : "DIFFERENT"),
  );
  await timed(
    "verify the audit trail (the run's content hash)",
    () => verifyAuditChain(db),
    (v) => (v.ok ? `verifies: ${v.runs} run(s) checked` : `FAILS: ${JSON.stringify(v)}`),
  );
  console.log(`| peak RSS | | ${peak()} |`);
} finally {
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
