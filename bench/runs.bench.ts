/**
 * Scoring runs through the service (issue 14): creating a run on embedded PGlite, as stored before
 * (every unit's trace, rows sorted with canonical JSON inside the comparator) and as stored now (the
 * numbers only, rows sorted on keys written once), with the bytes of the stored JSON, and the on-demand
 * explanation of one unit that replaces the stored traces. Plans: the demo's (examples/city-departments
 * with its marks and items) and a generated 1,000-unit plan (BENCH_RUNS_PLAN="units x leaves").
 * Each time is the median of a few runs; × old is against the old way measured in the same run.
 * Run: npm run bench
 */
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { canonicalJson, type DataRow, type Plan, scorePlan } from "../src/engine/index.js";
import type { Actor } from "../src/server/actor.js";
import { type Database, type DatabaseHandle, openDatabase } from "../src/server/db/client.js";
import {
  organisations,
  planVersions,
  reportedValues,
  scoringRuns,
  users,
} from "../src/server/db/schema/index.js";
import { seedExampleDemo } from "../src/server/demo.js";
import { createAssessmentService } from "../src/server/modules/assessments/service.js";
import { contentHash, runContent } from "../src/server/modules/audit/content.js";
import { appendAudit, setAuditKey } from "../src/server/modules/audit/service.js";
import { createPlan } from "../src/server/modules/plans/commands/create-plan.js";
import { publishPlan } from "../src/server/modules/plans/commands/publish-plan.js";
import { createPlanService } from "../src/server/modules/plans/service.js";
import { createRunService, type RunInputs } from "../src/server/modules/runs/service.js";
import { createTargetService, withAdjustedTargets } from "../src/server/modules/targets/service.js";
import { generate } from "./generated-plan.js";

const RUNS = Number(process.env.BENCH_RUNS_RUNS ?? 3);
const [UNITS, LEAVES] = (process.env.BENCH_RUNS_PLAN ?? "1000x50").split("x").map(Number) as [number, number];
const now = () => new Date();
// A key of this process alone: the benchmark's database lives and dies with it.
setAuditKey(randomBytes(32));

async function median(f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[times.length >> 1] as number;
}

function services(db: Database) {
  const targets = createTargetService({ db, now });
  const assessments = createAssessmentService({ db });
  return { targets, assessments, runs: createRunService({ db, targets, assessments }) };
}

/** The service's create as it was before issue 14 (the baseline), on the same reads and writes. */
async function createTheOldWay(db: Database, planVersionId: string, plan: Plan, actor: Actor) {
  const { targets, assessments } = services(db);
  const approved = await db
    .select()
    .from(reportedValues)
    .where(and(eq(reportedValues.planVersionId, planVersionId), eq(reportedValues.status, "approved")));
  const marksAndItems = await assessments.rows(planVersionId, plan.period.key);
  const values: DataRow[] = approved.map((v) => ({
    unit: v.unitCode,
    indicator: v.indicator,
    period: v.period,
    value: v.value,
    ...(v.source ? { source: v.source } : {}),
  }));
  const rows = [...values, ...marksAndItems].sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
  const inputs: RunInputs = { plan: withAdjustedTargets(plan, await targets.approved(planVersionId)), rows };
  const scored = scorePlan(inputs.plan, inputs.rows);
  if (!scored.ok) throw new Error(scored.error.message.en);
  const result = scored.value;
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(scoringRuns)
      .values({
        planVersionId,
        engineVersion: result.engineVersion,
        inputHash: result.inputHash.run,
        inputs,
        result,
      })
      .returning({ id: scoringRuns.id });
    await appendAudit(tx, {
      actor: actor.username,
      action: "run.create",
      entity: "scoring_run",
      entityId: run!.id,
      after: { inputHash: result.inputHash.run, contentHash: contentHash(runContent({ inputs, result })) },
    });
    return { id: run!.id };
  });
}

/**
 * The stored JSON of a run: its result as text and as the database keeps it, and its inputs as stored:
 * the JSON text of a run stored the old way, the gzipped bytes (inputs_gz, migration 0031) of a new one.
 */
async function storedSize(db: Database, id: string) {
  const [row] = await db
    .select({
      result: sql<number>`octet_length(${scoringRuns.result}::text)`,
      inputs: sql<number>`coalesce(octet_length(${scoringRuns.inputs}::text), octet_length(${scoringRuns.inputsGz}))`,
      disk: sql<number>`pg_column_size(${scoringRuns.result})`,
    })
    .from(scoringRuns)
    .where(eq(scoringRuns.id, id));
  return { result: Number(row!.result), inputs: Number(row!.inputs), disk: Number(row!.disk) };
}

/** A published generated plan (bench/generated-plan.ts) with every value approved. */
async function seedGenerated(database: DatabaseHandle) {
  const { db } = database;
  const { plan, rows } = generate(UNITS, LEAVES, [LEAVES / 5, 2], 4);
  await db
    .insert(organisations)
    .values(plan.units.map((u) => ({ code: u.code, name: u.name, kind: "department" as const })));
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
  const created = await createPlan({ db, now, actor, document: plan });
  await publishPlan({ db, now, actor, planId: created.planId, version: await plans.head(created.planId) });
  const version = await plans.current(created.planId);
  const values = rows.map((r) => ({
    planVersionId: version.id,
    unitCode: r.unit,
    indicator: r.indicator,
    period: r.period,
    value: r.value as number,
    status: "approved" as const,
  }));
  for (let k = 0; k < values.length; k += 2000)
    await db.insert(reportedValues).values(values.slice(k, k + 2000));
  return { actor, versionId: version.id, plan: version.plan };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(0);

console.log(`kaohe scoring runs through the service (embedded PGlite), median of ${RUNS} runs`);
console.log("");
console.log(
  "| plan | what | ms | × old | result JSON KB | inputs stored KB (JSON, or gzipped since 0031) | result on disk KB |",
);
console.log("|---|---|---:|---:|---:|---:|---:|");
for (const name of ["demo", `${UNITS.toLocaleString("en")} × ${LEAVES}`]) {
  const database = await openDatabase({});
  await database.migrate();
  const { db } = database;
  let plan: Plan;
  let versionId: string;
  let actor: Actor;
  if (name === "demo") {
    await seedExampleDemo(db);
    const [head] = await db.select({ planId: planVersions.planId }).from(planVersions);
    const version = await createPlanService({ db }).current(head!.planId);
    const [office] = await db.select().from(users).where(eq(users.username, "office"));
    plan = version.plan;
    versionId = version.id;
    actor = { id: office!.id, username: "office", roles: ["office_staff"], organisation: null, ip: "bench" };
  } else ({ plan, versionId, actor } = await seedGenerated(database));
  const { runs } = services(db);
  let oldId = "";
  let newId = "";
  const old = await median(async () => {
    oldId = (await createTheOldWay(db, versionId, plan, actor)).id;
  });
  const lean = await median(async () => {
    newId = (await runs.create({ planVersionId: versionId, plan, actor })).id;
  });
  const unit = plan.units[plan.units.length >> 1]!.code;
  // A new service each time: its cache of explanations would otherwise answer the repeats.
  const explain = await median(async () => services(db).runs.explain(newId, unit));
  const row = (what: string, ms: number, size?: { result: number; inputs: number; disk: number }) =>
    console.log(
      `| ${name} | ${what} | ${ms.toFixed(0)} | ${(ms / old).toFixed(2)} | ${size ? kb(size.result) : ""} | ${size ? kb(size.inputs) : ""} | ${size ? kb(size.disk) : ""} |`,
    );
  row("create a run, the old way (every trace)", old, await storedSize(db, oldId));
  row("create a run (numbers only)", lean, await storedSize(db, newId));
  row(`explain one unit on demand (${unit}, scored again)`, explain);
  await database.close();
}
