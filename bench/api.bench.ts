/**
 * API benchmark (issue: the assessment service). Serves a plan of 300 units x 100 indicators from a
 * real server on 127.0.0.1 and measures, with autocannon at 100 connections, the public ranking page
 * and a unit's data-entry page (goal: p99 under 50 ms); then 200 reporters saving values at once, each
 * writing its own cell 10 times in a row (goal: no error, no lost write; throughput recorded); and the
 * office importing every unit's values of a second plan as a job (time recorded).
 * PostgreSQL (BENCH_DATABASE_URL, default the local server) and embedded PGlite side by side.
 * Run: npm run bench:api
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type autocannon from "autocannon";
import { and, eq } from "drizzle-orm";
import pg from "pg";
import type { IndicatorSpec, Plan } from "../src/engine/index.js";
import type { Actor } from "../src/server/actor.js";
import { buildApp } from "../src/server/app.js";
import { type DatabaseHandle, openDatabase } from "../src/server/db/client.js";
import { organisations, reportedValues, userRoles, users } from "../src/server/db/schema/index.js";
import { createAssessmentService } from "../src/server/modules/assessments/service.js";
import { createPlan } from "../src/server/modules/plans/commands/create-plan.js";
import { publishPlan } from "../src/server/modules/plans/commands/publish-plan.js";
import { createPlanService } from "../src/server/modules/plans/service.js";
import { publishResults } from "../src/server/modules/publication/commands/publish.js";
import { createRunService } from "../src/server/modules/runs/service.js";
import { createTargetService } from "../src/server/modules/targets/service.js";
import { signedIn } from "./session-row.js";

const UNITS = 300;
const LEAVES = 100;
const REPORTERS = 200;
const ROUNDS = 10;
const DURATION = Number(process.env.BENCH_API_SECONDS ?? 10);

function planDocument(): Plan {
  const units = Array.from({ length: UNITS }, (_, u) => ({
    code: `u${String(u).padStart(3, "0")}`,
    name: `单位${u}`,
  }));
  const indicators: IndicatorSpec[] = Array.from({ length: 10 }, (_, g) => ({
    code: `g${g}`,
    name: `一级指标${g}`,
    points: 10,
    children: Array.from({ length: LEAVES / 10 }, (_, k) => {
      const i = g * 10 + k;
      return {
        code: `i${String(i).padStart(3, "0")}`,
        name: `指标${i}`,
        points: 1,
        rule:
          i % 2
            ? { type: "mark" as const }
            : {
                type: "relative" as const,
                normaliser: { method: "minmax" as const, range: [0, 1] as [number, number] },
              },
      };
    }),
  }));
  return {
    format: "kaohe-plan/1",
    id: "bench",
    name: "基准测试方案",
    period: { key: "2022" },
    pointsTotal: 100,
    units,
    categories: [0, 1, 2].map((c) => ({
      code: `c${c}`,
      name: `类别${c}`,
      units: units.slice(c * 100, c * 100 + 100).map((u) => u.code),
    })),
    indicators,
    grades: [{ code: "优秀", minScore: 60, quota: { share: 0.3 } }, { code: "合格" }],
  };
}

async function seed(database: DatabaseHandle) {
  const { db } = database;
  await database.migrate();
  const plan = planDocument();
  const orgs = await db
    .insert(organisations)
    .values(plan.units.map((u) => ({ code: u.code, name: u.name, kind: "department" as const })))
    .returning();
  const [office] = await db
    .insert(users)
    .values({ username: "office", displayName: "office", passwordHash: "x", mustChangePassword: false })
    .returning();
  const actor: Actor = {
    id: office!.id,
    username: "office",
    roles: ["office_staff"],
    organisation: null,
    ip: "bench",
  };
  await db.insert(userRoles).values({ userId: office!.id, role: "office_staff" });
  const officeSession = await signedIn(database, office!.id);
  const plans = createPlanService({ db });
  const created = await createPlan({ db, now: () => new Date(), actor, document: plan });
  await publishPlan({
    db,
    now: () => new Date(),
    actor,
    planId: created.planId,
    version: await plans.head(created.planId),
  });
  const version = await plans.current(created.planId);
  // Approved values for every leaf but the last, which the reporters fill in during the benchmark.
  const rows = plan.units.flatMap((u, k) =>
    Array.from({ length: LEAVES - 1 }, (_, i) => ({
      planVersionId: version.id,
      unitCode: u.code,
      indicator: `i${String(i).padStart(3, "0")}`,
      period: "2022",
      value: 40 + ((k * 37 + i * 11) % 60),
      status: "approved" as const,
    })),
  );
  for (let k = 0; k < rows.length; k += 2000) await db.insert(reportedValues).values(rows.slice(k, k + 2000));
  const run = await createRunService({
    db,
    targets: createTargetService({ db, now: () => new Date() }),
    assessments: createAssessmentService({ db }),
  }).create({ planVersionId: version.id, plan: version.plan, actor });
  await publishResults({
    db,
    now: () => new Date(),
    actor,
    planVersionId: version.id,
    plan: version.plan,
    runId: run.id,
  });
  // Reporters of the first 200 units, signed in directly (a session row each) to keep argon2 out of the measurement.
  const reporters: { unit: string; cookie: string; csrf: string }[] = [];
  for (let k = 0; k < REPORTERS; k++) {
    const unit = plan.units[k]!.code;
    const [user] = await db
      .insert(users)
      .values({
        username: `r${k}`,
        displayName: `r${k}`,
        passwordHash: "x",
        mustChangePassword: false,
        organisationId: orgs[k]!.id,
      })
      .returning();
    await db.insert(userRoles).values({ userId: user!.id, role: "unit_reporter" });
    reporters.push({ unit, ...(await signedIn(database, user!.id)) });
  }
  return { planId: created.planId, versionId: version.id, reporters, office: officeSession, actor };
}

/**
 * The office imports every unit's value of every indicator (300 x 100) into a second published plan, as
 * a job: from sending the file to the job being done, all or nothing.
 */
async function officeImport(
  database: DatabaseHandle,
  app: Awaited<ReturnType<typeof buildApp>>,
  base: string,
  office: { cookie: string; csrf: string },
  actor: Actor,
) {
  const plans = createPlanService({ db: database.db });
  const ctx = { db: database.db, now: () => new Date(), actor };
  const created = await createPlan({ ...ctx, document: { ...planDocument(), id: "bench-import" } });
  await publishPlan({ ...ctx, planId: created.planId, version: await plans.head(created.planId) });
  const lines = ["单位代码,单位名称,指标代码,指标名称,期间,数值,说明"];
  for (const [u, unit] of planDocument().units.entries())
    for (let i = 0; i < LEAVES; i++)
      lines.push(`${unit.code},,i${String(i).padStart(3, "0")},,2022,${(u * 7 + i) % 100},`);
  const t0 = performance.now();
  const sent = await fetch(`${base}/api/v1/plans/${created.planId}/imports`, {
    method: "POST",
    headers: { "content-type": "text/csv", cookie: office.cookie, "x-csrf-token": office.csrf },
    body: lines.join("\n"),
  });
  const job = (await sent.json()) as { id: string };
  while (await app.jobRunner.tick()) {}
  const done = (await (
    await fetch(`${base}/api/v1/jobs/${job.id}`, { headers: { cookie: office.cookie } })
  ).json()) as { status: string; result: { imported: number } };
  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds,
    values: lines.length - 1,
    ok: done.status === "done" && done.result.imported === lines.length - 1,
  };
}

/** CPU time (ms) used so far by every PostgreSQL server process on this machine (0 where /proc is missing). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (!stat.includes("(postgres)")) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks * 10;
}

/** Load from a separate process, so the load generator does not share the server's event loop. */
async function measure(url: string, headers: Record<string, string> = {}) {
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuMs();
  const args = [
    "-c",
    "100",
    "-d",
    String(DURATION),
    "-j",
    ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}=${v}`]),
    url,
  ];
  const bin = fileURLToPath(new URL("../../node_modules/autocannon/autocannon.js", import.meta.url));
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  await new Promise((resolve) => child.on("exit", resolve));
  const r = JSON.parse(out) as autocannon.Result;
  const cpu = process.cpuUsage(cpu0);
  // Server-side CPU per request: this process (the app) and the database's processes.
  const appMs = (cpu.user + cpu.system) / 1000 / r.requests.total;
  const dbMs = (postgresCpuMs() - pg0) / r.requests.total;
  return {
    p99: r.latency.p99,
    p50: r.latency.p50,
    rps: r.requests.average,
    errors: r.errors + r.non2xx,
    appMs,
    dbMs,
  };
}

async function concurrentSaves(
  base: string,
  planId: string,
  reporters: { unit: string; cookie: string; csrf: string }[],
) {
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    reporters.map(async (r) => {
      let revision = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const res = await fetch(`${base}/api/v1/plans/${planId}/units/${r.unit}/values`, {
          method: "PUT",
          headers: { "content-type": "application/json", cookie: r.cookie, "x-csrf-token": r.csrf },
          body: JSON.stringify({ indicator: "i099", period: "2022", value: round, revision }),
        });
        if (res.status !== 200) {
          errors++;
          await res.text();
          continue;
        }
        revision = ((await res.json()) as { revision: number }).revision;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { errors, seconds, writes: reporters.length * ROUNDS };
}

async function bench(name: string, database: DatabaseHandle) {
  const seeded = await seed(database);
  const app = await buildApp({ database });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  // The baseline, measured in the same run on the same server: the health check (one trivial query).
  const baseline = await measure(`${base}/api/v1/health`);
  const ranking = await measure(`${base}/api/v1/public/plans/${seeded.planId}/results`);
  const reporter = seeded.reporters[7]!;
  const entry = await measure(`${base}/api/v1/plans/${seeded.planId}/units/${reporter.unit}/values`, {
    cookie: reporter.cookie,
  });
  const saves = await concurrentSaves(base, seeded.planId, seeded.reporters);
  // No lost write: every reporter's cell holds its last value at the last revision.
  const cells = await database.db
    .select()
    .from(reportedValues)
    .where(and(eq(reportedValues.planVersionId, seeded.versionId), eq(reportedValues.indicator, "i099")));
  const lost = seeded.reporters.filter((r) => {
    const c = cells.find((x) => x.unitCode === r.unit);
    return !c || c.value !== ROUNDS || c.revision !== ROUNDS;
  }).length;
  const imported = await officeImport(database, app, base, seeded.office, seeded.actor);
  await app.close();
  const row = (what: string, r: typeof baseline, goal: string) =>
    console.log(
      `| ${name} | ${what} | ${r.p50} | ${r.p99} | ${(r.p99 / baseline.p99).toFixed(1)} | ${r.rps.toFixed(0)} | ${r.appMs.toFixed(2)} | ${name === "PGlite" ? "" : r.dbMs.toFixed(2)} | ${r.errors} | ${goal} |`,
    );
  const goal = (p99: number) => `p99 < 50 ms: ${p99 < 50 ? "met" : "MISSED"}`;
  row("baseline: health check", baseline, "");
  row("ranking page", ranking, goal(ranking.p99));
  row("data-entry page", entry, goal(entry.p99));
  console.log(
    `| ${name} | office import of ${imported.values} values (a job) | | | | ${(imported.values / imported.seconds).toFixed(0)} values/s (${imported.seconds.toFixed(1)} s) | | | ${imported.ok ? "0 errors" : "FAILED"} | |`,
  );
  console.log(
    `| ${name} | ${REPORTERS} reporters x ${ROUNDS} saves | | | | ${(saves.writes / saves.seconds).toFixed(0)} writes/s | | | ${saves.errors} errors, ${lost} lost | no error, no lost write: ${saves.errors === 0 && lost === 0 ? "met" : "MISSED"} |`,
  );
}

console.log(
  `kaohe API benchmark: ${UNITS} units x ${LEAVES} indicators, 100 connections for ${DURATION} s per page, on 127.0.0.1`,
);
console.log("");
console.log(
  "| database | what | p50 ms | p99 ms | p99 × baseline | req/s | app CPU ms/req | PostgreSQL CPU ms/req | errors | goal |",
);
console.log("|---|---|---:|---:|---:|---:|---:|---:|---|---|");
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `kaohe_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
try {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  try {
    await bench("PostgreSQL", database);
  } finally {
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
} catch (e) {
  console.log(`| PostgreSQL | not measured: ${(e as Error).message} | | | | | | | | |`);
} finally {
  await admin.end().catch(() => {});
}
// BENCH_API_PGLITE=0 skips the embedded database (when only the PostgreSQL figures are wanted).
if (process.env.BENCH_API_PGLITE !== "0") {
  const pglite = await openDatabase({});
  await bench("PGlite", pglite);
  await pglite.close();
}
