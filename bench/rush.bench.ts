/**
 * The deadline rush behind a real proxy (issue 12): nginx from Debian in front of three `kaohe serve`
 * processes on one fresh PostgreSQL database; RUSH_REPORTERS units sign in, save, upload evidence and
 * submit over RUSH_SECONDS until the deadline, while one app process is killed (SIGKILL) half-way and
 * started again. Then the office approves and scores, and the checks: every acknowledged write is in
 * the database exactly once (and in the audit trail once), every refusal was by design, no 5xx, no
 * session lost, the audit chain verifies. Prints p50/p99 latency and throughput, and writes them to
 * docs/reliability-rush.md. Loopback only; the database is dropped afterwards.
 *
 * Run: npm run bench:rush (500 reporters, 300 s) or RUSH_SECONDS=30 RUSH_REPORTERS=50 npm run bench:rush
 * Settings: RUSH_REPORTERS, RUSH_SECONDS, RUSH_LEAVES (8), RUSH_THINK_MS (2000), RUSH_NODES (3),
 * RUSH_DOWN_SECONDS (5), RUSH_PORT (18080: nginx, the nodes above it), RUSH_DATABASE_URL.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase } from "../src/server/db/client.js";
import { beginKeyedChain, setAuditKey, verifyAuditChain } from "../src/server/modules/audit/service.js";
import { checkRush, type RushFigures, writeRushDocs } from "./rush-checks.js";
import { RushClient, sleep } from "./rush-client.js";
import { AppNode, ensureNginx, Nginx } from "./rush-cluster.js";
import { newLedger, reporter } from "./rush-reporter.js";
import { RUSH_PASSWORD, RUSH_PERIOD, seedRush } from "./rush-seed.js";

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const REPORTERS = setting("RUSH_REPORTERS", 500);
const SECONDS = setting("RUSH_SECONDS", 300);
const LEAVES = setting("RUSH_LEAVES", 8);
const THINK_MS = setting("RUSH_THINK_MS", 2000);
const NODES = setting("RUSH_NODES", 3);
const DOWN_SECONDS = setting("RUSH_DOWN_SECONDS", 5);
const PORT = setting("RUSH_PORT", 18080);
const adminUrl = process.env.RUSH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const nginxBin = ensureNginx();
const dir = mkdtempSync(join(tmpdir(), "kaohe-rush-"));
const name = `kaohe_rush_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const auditKey = randomBytes(32).toString("hex");
setAuditKey(Buffer.from(auditKey, "utf8"));
const database = await openDatabase({ databaseUrl: url.toString() });
const nodes = Array.from({ length: NODES }, (_, k) => {
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    KAOHE_AUDIT_KEY: auditKey,
    KAOHE_TRUST_PROXY: "1",
    // Every simulated reporter signs in from 127.0.0.1 (the proxy's address for all of them).
    KAOHE_LOGINS_PER_MINUTE: "1000000",
  };
  return new AppNode(PORT + 1 + k, dir, env);
});
const nginx = new Nginx(
  nginxBin,
  dir,
  PORT,
  nodes.map((n) => n.port),
);
let failed = true;
try {
  await database.migrate();
  await beginKeyedChain(database.db);
  const seed = await seedRush(database, REPORTERS, LEAVES);
  // One after another: the first start creates the administrators.
  for (const node of nodes) await node.start();
  await nginx.start();
  console.log(
    `kaohe deadline rush: ${REPORTERS} reporters × ${LEAVES} indicators for ${SECONDS} s, ${NODES} app nodes behind nginx, PostgreSQL ${name}`,
  );

  const client = new RushClient(`http://127.0.0.1:${PORT}`);
  const office = await client.login("office", RUSH_PASSWORD);
  if ("status" in office) throw new Error(`the office could not sign in: ${office.status} ${office.code}`);
  const start = Date.now() + 1000;
  const deadline = start + SECONDS * 1000;
  const set = await client.send("deadline", "PUT", `/api/v1/plans/${seed.planId}/deadline`, {
    session: office,
    json: { deadline: new Date(deadline).toISOString() },
  });
  if (set.status !== 204) throw new Error(`the deadline was not set: ${set.status} ${set.code}`);

  const ledger = newLedger();
  const victim = nodes[1 % NODES]!;
  const killer = (async () => {
    await sleep(start + (SECONDS * 1000) / 2 - Date.now());
    const killedAt = Date.now();
    await victim.kill();
    await sleep(DOWN_SECONDS * 1000);
    await victim.start();
    return { killedAt, back: Date.now() };
  })();
  await Promise.all(
    seed.units.map((unit, k) =>
      reporter({
        client,
        ledger,
        planId: seed.planId,
        unit,
        username: seed.usernames[k]!,
        leaves: LEAVES,
        start,
        deadline,
        thinkMs: THINK_MS,
        seed: k + 1,
        late: k % 10 === 0,
      }),
    ),
  );
  const kill = await killer;
  const rushEnded = Date.now();
  const rushSamples = client.samples.length;

  // The database as the rush left it, before the office touches it.
  const checks = await checkRush(database.db, seed, ledger, deadline);

  // The office: approve every submitted value (1,000 cells a request), then score.
  const t0 = performance.now();
  // The cells the submitted units saved (on a slow machine a unit may submit before filling in all).
  const submittedUnits = new Set(ledger.submitted.map((s) => s.unit));
  const cells = [
    ...new Set(ledger.saves.filter((s) => submittedUnits.has(s.unit)).map((s) => `${s.unit}/${s.indicator}`)),
  ]
    .sort()
    .map((k) => ({ unit: k.split("/")[0]!, indicator: k.split("/")[1]!, period: RUSH_PERIOD }));
  let approved = 0;
  for (let k = 0; k < cells.length; k += 1000) {
    const reply = await client.send("approve", "POST", `/api/v1/plans/${seed.planId}/review/approve`, {
      session: office,
      json: { cells: cells.slice(k, k + 1000) },
    });
    if (reply.status === 200) approved += (reply.body as { approved: number }).approved;
    else checks.problems.push(`approval refused: ${reply.status} ${reply.code}`);
  }
  const run = await client.send("run", "POST", `/api/v1/plans/${seed.planId}/runs`, { session: office });
  if (run.status !== 201) checks.problems.push(`scoring refused: ${run.status} ${run.code}`);
  const officeSeconds = (performance.now() - t0) / 1000;
  if (approved !== cells.length)
    checks.problems.push(`${approved} of ${cells.length} submitted values approved`);

  const audit = await verifyAuditChain(database.db);
  if (!audit.ok) checks.problems.push(`audit chain broken at entry ${audit.brokenAt}: ${audit.reason}`);
  const serverErrors = nodes.flatMap((n) => n.serverErrors());
  if (serverErrors.length)
    checks.problems.push(`${serverErrors.length} 5xx or error lines in the nodes' logs`);
  await sleep(1500); // nginx flushes its access log every second
  const proxied = nginx.accessLog();

  const figures: RushFigures = {
    reporters: REPORTERS,
    seconds: SECONDS,
    leaves: LEAVES,
    thinkMs: THINK_MS,
    nodes: NODES,
    downSeconds: DOWN_SECONDS,
    samples: client.samples.slice(0, rushSamples),
    rushSeconds: (rushEnded - start) / 1000,
    start,
    retries: client.retries,
    kill,
    ledger,
    checks,
    approved,
    scored: run.status === 201,
    officeSeconds,
    audit: audit.ok ? { ok: true, entries: audit.entries } : { ok: false, entries: audit.entries },
    serverErrors,
    proxied,
    victimPort: victim.port,
  };
  failed = writeRushDocs(figures);
} finally {
  await nginx.stop();
  for (const node of nodes) await node.kill("SIGTERM");
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  if (!failed) rmSync(dir, { recursive: true, force: true });
  else console.log(`logs kept in ${dir}`);
}
process.exitCode = failed ? 1 : 0;
