/**
 * The database failover drill (issue 12): a pg_auto_failover formation on this machine (monitor, primary,
 * synchronous standby; bench/failover-cluster.ts), three `kaohe serve` nodes behind nginx whose
 * DATABASE_URL is the formation's multi-host URL (`pg_autoctl show uri`), reporters rushing to the
 * deadline as in the rush bench — and half-way the primary killed (kill -9 of pg_autoctl and its
 * postgres). The standby is promoted; the app nodes must find it by themselves (src/server/db/failover.ts);
 * requests caught in between must fail cleanly (503 DATABASE_UNAVAILABLE, never a 500) and the clients'
 * retries succeed. Afterwards: every acknowledged write in the database exactly once (bench/rush-checks.ts),
 * the office approves and scores on the new primary, `kaohe audit verify` passes, and the downtime the
 * clients saw is measured. In the full run the old primary is started again and rejoins as the standby.
 * Figures go to docs/reliability.md. Loopback only; everything is removed afterwards.
 *
 * Run: npm run reliability:failover (200 reporters, 120 s) or
 *      FAILOVER_SECONDS=30 FAILOVER_REPORTERS=30 npm run reliability:failover (the short one, in .ci/run).
 * Settings: FAILOVER_REPORTERS, FAILOVER_SECONDS, FAILOVER_LEAVES (6), FAILOVER_THINK_MS (1000),
 * FAILOVER_NODES (3), FAILOVER_PG_PORT (26432: monitor, primary, standby), FAILOVER_PORT (19080: nginx,
 * the app nodes above it), FAILOVER_REJOIN (1 in the full run, 0 in the short one).
 * Exits 0 with a message, running nothing, when pg_autoctl is missing and cannot be installed.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, projectRoot } from "../src/server/db/client.js";
import { beginKeyedChain, setAuditKey, verifyAuditChain } from "../src/server/modules/audit/service.js";
import { ensurePgAutoctl, Formation } from "./failover-cluster.js";
import { checkRush } from "./rush-checks.js";
import { quantile, RushClient, type Sample, sleep } from "./rush-client.js";
import { AppNode, ensureNginx, Nginx } from "./rush-cluster.js";
import { newLedger, reporter } from "./rush-reporter.js";
import { RUSH_PASSWORD, RUSH_PERIOD, seedRush } from "./rush-seed.js";

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const REPORTERS = setting("FAILOVER_REPORTERS", 200);
const SECONDS = setting("FAILOVER_SECONDS", 120);
const LEAVES = setting("FAILOVER_LEAVES", 6);
const THINK_MS = setting("FAILOVER_THINK_MS", 1000);
const NODES = setting("FAILOVER_NODES", 3);
const PG_PORT = setting("FAILOVER_PG_PORT", 26432);
const PORT = setting("FAILOVER_PORT", 19080);
const mode = SECONDS < 60 ? "short" : "full";
const REJOIN = setting("FAILOVER_REJOIN", mode === "full" ? 1 : 0) === 1;

const bin = ensurePgAutoctl();
if (!bin) {
  console.log(
    "SKIPPED: the failover drill needs pg_autoctl (Debian's postgresql-15-auto-failover), which is missing and could not be installed",
  );
  process.exit(0);
}
const nginxBin = ensureNginx();
const t0 = Date.now();
const dir = mkdtempSync(join(tmpdir(), "kaohe-failover-"));
// The postgres user reaches its own directory inside this one.
chmodSync(dir, 0o755);
const formation = new Formation(bin, join(dir, "pg"), PG_PORT);
const auditKey = randomBytes(32).toString("hex");
setAuditKey(Buffer.from(auditKey, "utf8"));
const problems: string[] = [];
let failed = true;
let nodes: AppNode[] = [];
let nginx: Nginx | undefined;
let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
try {
  await formation.create();
  await formation.waitFormed(120_000);
  const formedSeconds = (Date.now() - t0) / 1000;
  const url = formation.uri();
  const sync = await formation.sql(formation.nodes[0]!.port, "postgres", "SHOW synchronous_standby_names");
  console.log(
    `formation ready in ${formedSeconds.toFixed(1)} s: ${url} (synchronous_standby_names = ${sync})`,
  );
  if (!sync) problems.push("the primary has no synchronous standby");

  database = await openDatabase({ databaseUrl: url });
  await database.migrate();
  await beginKeyedChain(database.db);
  const seed = await seedRush(database, REPORTERS, LEAVES);
  const env = {
    ...process.env,
    DATABASE_URL: url,
    KAOHE_AUDIT_KEY: auditKey,
    KAOHE_TRUST_PROXY: "1",
    KAOHE_LOGINS_PER_MINUTE: "1000000",
  };
  nodes = Array.from({ length: NODES }, (_, k) => new AppNode(PORT + 1 + k, dir, env));
  for (const node of nodes) await node.start();
  nginx = new Nginx(
    nginxBin,
    dir,
    PORT,
    nodes.map((n) => n.port),
  );
  await nginx.start();
  console.log(
    `kaohe failover drill: ${REPORTERS} reporters × ${LEAVES} indicators for ${SECONDS} s, ${NODES} app nodes behind nginx, the primary killed half-way`,
  );

  // Retries spread over half a minute at most: a failover here takes seconds.
  const client = new RushClient(`http://127.0.0.1:${PORT}`, { tries: 40, maxPauseMs: 1000 });
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
  const [oldPrimary, standby] = formation.nodes as [(typeof formation.nodes)[0], (typeof formation.nodes)[0]];
  const killer = (async () => {
    await sleep(start + (SECONDS * 1000) / 2 - Date.now());
    const before = await formation.writable();
    if (before !== oldPrimary)
      problems.push(`before the kill the writable node was ${before?.name ?? "none"}`);
    const killedAt = Date.now();
    formation.kill(oldPrimary);
    // When the standby takes writes (asked every 100 ms).
    let promotedAt = Number.NaN;
    while (Date.now() - killedAt < 60_000) {
      const ro = await formation
        .sql(standby.port, "postgres", "SHOW transaction_read_only")
        .catch(() => undefined);
      if (ro === "off") {
        promotedAt = Date.now();
        break;
      }
      await sleep(100);
    }
    return { killedAt, promotedAt };
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
  const rushSamples = client.samples.slice();
  if (Number.isNaN(kill.promotedAt)) problems.push("the standby did not take writes within 60 s of the kill");

  const checks = await checkRush(database.db, seed, ledger, deadline);
  problems.push(...checks.problems);

  // The office on the new primary: approve what was submitted, then score.
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
    else problems.push(`approval refused: ${reply.status} ${reply.code}`);
  }
  if (approved !== cells.length) problems.push(`${approved} of ${cells.length} submitted values approved`);
  const run = await client.send("run", "POST", `/api/v1/plans/${seed.planId}/runs`, { session: office });
  if (run.status !== 201) problems.push(`scoring refused: ${run.status} ${run.code}`);

  const audit = await verifyAuditChain(database.db);
  if (!audit.ok) problems.push(`audit chain broken at entry ${audit.brokenAt}: ${audit.reason}`);
  // The CLI, as an operator runs it, through the same multi-host URL.
  let cliVerify = "passed";
  try {
    execFileSync(process.execPath, [join(projectRoot(), "bin/kaohe.js"), "audit", "verify"], {
      env,
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    cliVerify = "FAILED";
    problems.push(
      `kaohe audit verify failed: ${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 300)}`,
    );
  }

  // What the nodes logged: 503s (the failover, by design) and anything else 5xx (never).
  const lines = nodes.flatMap((n) => n.serverErrors());
  const logged503 = lines.filter((l) => /"statusCode":503/.test(l)).length;
  const logged5xx = lines.filter((l) => /"statusCode":5(?!03)\d\d/.test(l) || /"level":50/.test(l));
  if (logged5xx.length) problems.push(`${logged5xx.length} 5xx (not 503) or error lines in the nodes' logs`);
  const final5xx = rushSamples.filter((s) => s.status >= 500 || s.status === 0);
  if (final5xx.length)
    problems.push(
      `${final5xx.length} requests ended with ${final5xx[0]!.status} ${final5xx[0]!.code} after every retry`,
    );

  // Downtime seen by clients: the longest stretch without an acknowledged write across the kill.
  const writes = rushSamples
    .filter((s) => ["save", "evidence", "submit"].includes(s.kind) && s.status >= 200 && s.status < 300)
    .map((s) => s.at)
    .sort((a, b) => a - b);
  let gapFrom = Number.NaN;
  let gapTo = Number.NaN;
  for (let k = 1; k < writes.length; k++)
    if (writes[k]! >= kill.killedAt && writes[k - 1]! <= kill.killedAt + 60_000) {
      if (Number.isNaN(gapFrom) || writes[k]! - writes[k - 1]! > gapTo - gapFrom) {
        gapFrom = writes[k - 1]!;
        gapTo = writes[k]!;
      }
    }
  const firstAfter = writes.find((w) => w > kill.promotedAt) ?? Number.NaN;
  const caught = rushSamples.filter((s) => s.attempts > 1 && s.at >= kill.killedAt);
  const retries = [...client.retries].sort((a, b) => b[1] - a[1]);

  let rejoinSeconds = Number.NaN;
  if (REJOIN) {
    const r0 = Date.now();
    formation.restart(oldPrimary);
    try {
      await formation.waitState(oldPrimary.name, ["secondary"], 90_000);
      rejoinSeconds = (Date.now() - r0) / 1000;
    } catch (e) {
      problems.push(`the old primary did not rejoin as a standby: ${(e as Error).message.slice(0, 200)}`);
    }
  }

  const s = (ms: number) => (Number.isNaN(ms) ? "–" : (ms / 1000).toFixed(1));
  const ms = (v: number) => (Number.isNaN(v) ? "–" : v.toFixed(0));
  const row = (label: string, list: Sample[]) =>
    `| ${label} | ${list.length} | ${ms(
      quantile(
        list.map((x) => x.ms),
        0.5,
      ),
    )} | ${ms(
      quantile(
        list.map((x) => x.ms),
        0.99,
      ),
    )} | ${ms(Math.max(...list.map((x) => x.ms)))} | ${list.filter((x) => x.attempts > 1).length} |`;
  const at = new Date().toISOString().slice(0, 16).replace("T", " ");
  const out = [
    `Run ${at} UTC (${mode}): ${REPORTERS} reporters × ${LEAVES} indicators, ${SECONDS} s to the deadline, ${NODES} app nodes behind nginx on a pg_auto_failover formation (monitor, primary, synchronous standby: formed in ${formedSeconds.toFixed(0)} s). The primary was killed (SIGKILL of pg_autoctl and its postgres) ${s(kill.killedAt - start)} s in.`,
    "",
    `- **The standby took writes ${s(kill.promotedAt - kill.killedAt)} s after the kill**; the first write acknowledged to a client after that came ${s(firstAfter - kill.promotedAt)} s later; the longest stretch with no write acknowledged (client-seen downtime) was **${s(gapTo - gapFrom)} s**.`,
    `- Requests caught by the failover and retried by the client: ${caught.length} (all succeeded or were refused by design); client retries by cause: ${retries.map(([k, n]) => `${k} × ${n}`).join(", ") || "none"}. 503 DATABASE_UNAVAILABLE answers in the nodes' logs: ${logged503}; other 5xx: ${logged5xx.length}; requests that ended in a 5xx after all retries: ${final5xx.length}.`,
    `- Afterwards: ${checks.cells} values, ${checks.savesFound} of ${ledger.saves.length} acknowledged saves each found once (revision and audit entry; ${ledger.saves.filter((x) => x.inferred).length} acknowledged late as a 409 showing the client's own write), ${checks.evidenceFound} of ${ledger.evidence.length} evidence files, ${checks.submittedUnits} of ${ledger.submitted.length} submissions; **acknowledged writes missing: ${ledger.saves.length - checks.savesFound + (ledger.evidence.length - checks.evidenceFound)}**. The office approved ${approved} values and scored (${run.status === 201 ? "201" : "FAILED"}) on the new primary; audit chain ${audit.ok ? "verified" : "BROKEN"} (${audit.entries} entries), \`kaohe audit verify\` ${cliVerify}.`,
    REJOIN
      ? `- The old primary, started again, rejoined as the synchronous standby in ${Number.isNaN(rejoinSeconds) ? "– (FAILED)" : `${rejoinSeconds.toFixed(1)} s`}.`
      : "- (Short run: the old primary is not started again.)",
    "",
    "| requests | count | p50 ms | p99 ms | max ms | retried |",
    "|---|---:|---:|---:|---:|---:|",
    row("all", rushSamples),
    row(
      "save",
      rushSamples.filter((x) => x.kind === "save"),
    ),
    row(
      "ending within 15 s of the kill",
      rushSamples.filter((x) => x.at >= kill.killedAt && x.at <= kill.killedAt + 15_000),
    ),
    "",
    `Throughput ${(rushSamples.length / ((rushEnded - start) / 1000)).toFixed(0)} requests/s; whole drill ${((Date.now() - t0) / 1000).toFixed(0)} s. Checks: ${problems.length === 0 ? "all passed" : `${problems.length} FAILED`}.`,
    ...problems.slice(0, 20).map((p) => `  - ${p}`),
  ].join("\n");
  console.log(out);
  const path = join(projectRoot(), "docs/reliability.md");
  const doc = readFileSync(path, "utf8");
  const begin = `<!-- failover:${mode}:begin -->`;
  const end = `<!-- failover:${mode}:end -->`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) writeFileSync(path, `${doc.slice(0, i + begin.length)}\n${out}\n${doc.slice(j)}`);
  failed = problems.length > 0;
} catch (e) {
  console.error(e);
  failed = true;
} finally {
  await nginx?.stop();
  for (const node of nodes) await node.kill("SIGTERM");
  await database?.close().catch(() => {});
  await formation.destroy(failed);
  if (!failed) rmSync(dir, { recursive: true, force: true });
  else console.log(`logs kept in ${dir}`);
}
process.exitCode = failed ? 1 : 0;
