import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, resultRows } from "../../src/server/db/client.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";

/**
 * Crash safety of the writes (issue 12): `kaohe serve` killed with SIGKILL in the middle of a value upload
 * (a unit's filled-in template), an office import (a background job), a scoring run (at once and as a
 * job), a publication (public notice) and a bulletin's publication (喜报), and `kaohe restore` killed in
 * the middle of a restore. After each kill the database holds the operation whole or not at all (the rows
 * it writes are compared with the state before and the state it would make), every row it writes has its
 * audit entry, `kaohe audit verify` passes, and after the restart no job is left "running": an interrupted
 * one is taken over and finished, or failed with its reason.
 *
 * "In the middle", made deterministic on PostgreSQL at no cost to production: the test holds the audit
 * chain's advisory lock (every audited write takes it, after its own rows, before it commits), waits until
 * the server's transaction is blocked on it while holding a write lock on the operation's table (so it has
 * written its rows), then kills the server and lets go of the lock. On the embedded database (one process:
 * nothing outside it can hold a lock) each operation is killed at random moments, CRASH_REPEAT times
 * (default 2). `kaohe restore` is killed at a random moment 1-5 s after it starts, on both.
 */
const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
const examples = join(import.meta.dirname, "..", "..", "examples", "city-departments");
const dir = mkdtempSync(join(tmpdir(), "kaohe-crashpt-"));
const admin = process.env.TEST_DATABASE_URL;
const dbName = `kaohe_crashpt_${process.pid}`;
const urlOf = (name: string) =>
  admin ? Object.assign(new URL(admin), { pathname: `/${name}` }).toString() : "";
const databaseUrl = urlOf(dbName);
const repeat = admin ? 1 : Number(process.env.CRASH_REPEAT ?? 2);
const CHAIN_LOCK = 727166; // src/server/modules/audit/service.ts
const env = {
  ...process.env,
  KAOHE_DATA_DIR: dir,
  DATABASE_URL: databaseUrl,
  KAOHE_AUDIT_KEY: "crash-test-key-0123456789abcdef0123456789",
  KAOHE_JOB_STALE_MS: "2000",
  // Every restart signs in again: not the sign-in throttle's test.
  KAOHE_LOGINS_PER_MINUTE: "10000",
  KAOHE_LANG: "en",
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let port = 0;
let server: ChildProcess | undefined;
const base = () => `http://127.0.0.1:${port}`;

async function start(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, "serve", "--demo"], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  for (let k = 0; k < 480; k++) {
    if (child.exitCode !== null) throw new Error(`kaohe serve exited: ${stderr}`);
    const up = await fetch(`${base()}/api/v1/health`).catch(() => null);
    if (up?.ok) return child;
    await sleep(250);
  }
  throw new Error(`kaohe serve did not start: ${stderr}`);
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

type Api = (method: string, path: string, body?: unknown, type?: string) => Promise<Response>;
async function signIn(username: string): Promise<Api> {
  const r = await fetch(`${base()}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(r.status).toBe(200);
  const cookie = r.headers
    .getSetCookie()
    .find((c) => c.startsWith("kaohe_session="))!
    .split(";")[0]!;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return (method, path, body, type) =>
    fetch(`${base()}/api/v1${path}`, {
      method,
      headers: {
        cookie,
        "x-csrf-token": csrfToken,
        ...(body === undefined ? {} : { "content-type": type ?? "application/json" }),
      },
      ...(body === undefined ? {} : { body: type ? (body as string) : JSON.stringify(body) }),
    });
}

/** A query on the server's database: PostgreSQL at any time, the embedded one while no server holds it. */
async function query<T>(text: string, database = databaseUrl, dataDir = dir): Promise<T[]> {
  if (admin) {
    const c = new pg.Client({ connectionString: database });
    await c.connect();
    try {
      return (await c.query(text)).rows as T[];
    } finally {
      await c.end();
    }
  }
  // The embedded database is one process's: the server is stopped for the query and started again.
  const wasUp = server !== undefined && dataDir === dir;
  if (wasUp) {
    await stop(server!, "SIGTERM");
    server = undefined;
  }
  const d = await openDatabase({ dataDir });
  try {
    const { sql } = await import("drizzle-orm");
    return resultRows<T>(await d.db.execute(sql.raw(text)));
  } finally {
    await d.close();
    if (wasUp) await restart();
  }
}

function auditVerify(extra: Record<string, string> = {}) {
  const verify = spawnSync(process.execPath, [bin, "audit", "verify"], {
    env: { ...env, ...extra },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(verify.status, `${verify.stdout}${verify.stderr}`).toBe(0);
  expect(verify.stdout).toContain("audit trail intact");
}

/**
 * On PostgreSQL: holds the audit chain's lock until the server's write is blocked on it with a write lock
 * on `table` already taken (its rows written, not committed). Returns the lock's release.
 */
async function holdAuditLock(): Promise<{
  waitFor: (table: string, answer: () => string) => Promise<void>;
  release: () => Promise<void>;
}> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  await c.query(`SELECT pg_advisory_lock(${CHAIN_LOCK})`);
  return {
    async waitFor(table, answer) {
      for (let k = 0; k < 600; k++) {
        const { rows } = await c.query(
          `SELECT a.pid, (SELECT count(*)::int FROM pg_locks l JOIN pg_class r ON r.oid = l.relation
             WHERE l.pid = a.pid AND l.granted AND r.relname = $1 AND l.mode = 'RowExclusiveLock') AS writing
           FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
             AND a.wait_event_type = 'Lock' AND a.wait_event = 'advisory'`,
          [table],
        );
        if (rows.some((r) => r.writing > 0)) return;
        if (/^[45]/.test(answer())) break; // refused: it never writes
        await sleep(50);
      }
      throw new Error(`no write to ${table} blocked on the audit chain's lock (answered: ${answer()})`);
    },
    async release() {
      await c.query(`SELECT pg_advisory_unlock(${CHAIN_LOCK})`).catch(() => {});
      await c.end();
    },
  };
}

/** kill -9 in the middle of `fire`'s write: deterministic on PostgreSQL, at a random moment on PGlite. */
async function killDuring(table: string, fire: () => Promise<unknown>, attempt: number): Promise<void> {
  if (admin) {
    const lock = await holdAuditLock();
    try {
      let answer = "";
      const pending = fire()
        .then(async (r) => {
          if (r instanceof Response) answer = `${r.status} ${await r.text()}`;
        })
        .catch(() => null);
      await lock.waitFor(table, () => answer);
      await stop(server!, "SIGKILL");
      await pending;
    } finally {
      await lock.release();
    }
  } else {
    const pending = fire().catch(() => null);
    // The first kill early (parsing, checking), the later ones anywhere in the first 1.5 s.
    await sleep(attempt === 0 ? 20 + Math.random() * 200 : Math.random() * 1500);
    await stop(server!, "SIGKILL");
    await pending;
  }
  server = undefined;
}

type Values = Map<string, number>;
async function valuesOf(versionId: string, units: string[]): Promise<Values> {
  const rows = await query<{ unit_code: string; indicator: string; period: string; value: number }>(
    `SELECT unit_code, indicator, period, value FROM reported_values
     WHERE plan_version_id = '${versionId}' AND unit_code IN (${units.map((u) => `'${u}'`).join(",")})`,
  );
  return new Map(rows.map((r) => [`${r.unit_code}/${r.indicator}/${r.period}`, Number(r.value)]));
}
const same = (a: Values, b: Values) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** Rows of `table` whose id has no audit entry of `action` (a write that committed without its entry). */
async function unaudited(table: string, action: string, where = "true"): Promise<number> {
  const [row] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} t WHERE ${where} AND NOT EXISTS
       (SELECT 1 FROM audit_log a WHERE a.action = '${action}' AND a.entity_id = t.id::text)`,
  );
  return row!.n;
}

async function jobsRunning(): Promise<{ id: string; kind: string }[]> {
  return query(`SELECT id, kind FROM jobs WHERE status IN ('queued', 'running')`);
}

let office: Api;
let reporter: Api;
let demoPlan = "";
let plan2 = "";
let version2 = "";
const unitsOfExample: string[] = JSON.parse(readFileSync(join(examples, "plan.json"), "utf8")).units.map(
  (u: { code: string }) => u.code,
);
const exampleRows = readFileSync(join(examples, "values.csv"), "utf8")
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(","));

async function restart() {
  server = await start();
  office = await signIn("office");
  reporter = await signIn("kjj.reporter");
}

beforeAll(async () => {
  if (admin) {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await c.query(`CREATE DATABASE ${dbName}`);
    await c.query(`DROP DATABASE IF EXISTS ${dbName}_r`);
    await c.query(`CREATE DATABASE ${dbName}_r`);
    await c.end();
  }
  port = await freePort();
  await restart();
  demoPlan = ((await (await office("GET", "/plans")).json()) as { items: { planId: string }[] }).items[0]!
    .planId;
  // A second plan in force, its values not yet reported: what the units upload and the office imports.
  const document = JSON.parse(readFileSync(join(examples, "plan.json"), "utf8"));
  document.id = `${document.id}-b`;
  document.name = `${document.name}（二）`;
  const created = await office("POST", "/plans", { document });
  expect(created.status, await created.clone().text()).toBe(201);
  plan2 = ((await created.json()) as { planId: string }).planId;
  expect((await office("POST", `/plans/${plan2}/publish`)).status).toBeLessThan(300);
  const [v] = await query<{ id: string }>(`SELECT id FROM plan_versions WHERE plan_id = '${plan2}'`);
  version2 = v!.id;
}, 300_000);

afterAll(async () => {
  if (server) await stop(server, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.audit-key`, { force: true });
  rmSync(`${dir}-r`, { recursive: true, force: true });
  rmSync(`${dir}-r.audit-key`, { force: true });
  if (admin) {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS ${dbName}_r WITH (FORCE)`);
    await c.end();
  }
});

/** After a kill: the audit chain verifies, the server starts again, and no job stays running. */
async function afterKill() {
  auditVerify();
  await restart();
  let left = await jobsRunning();
  for (let k = 0; k < 240 && left.length > 0; k++) {
    await sleep(500);
    left = await jobsRunning();
  }
  expect(left).toEqual([]);
}

const name = admin ? "PostgreSQL" : "embedded PGlite";
describe(`kaohe serve killed in the middle of a write (${name})`, () => {
  it("a unit's value upload: all of its rows or none", async () => {
    for (let a = 0; a < repeat; a++) {
      const csv = await (await reporter("GET", `/plans/${plan2}/units/kjj/template.csv`)).text();
      const lines = csv
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\n");
      const header = lines[0]!;
      const rows = lines.slice(1).map((l) => l.split(","));
      const wanted: Values = new Map();
      const filled = rows.flatMap((r) => {
        const source = exampleRows.find(([u, i, p]) => u === "kjj" && i === r[0] && p === r[3]);
        if (!source) return [];
        // Another value each round, within the indicator's rules: a yes/no flipped, a figure scaled.
        const original = Number(source[3]);
        const value =
          a % 2 === 0
            ? original
            : original === 0 || original === 1
              ? 1 - original
              : Math.round(original * 90) / 100;
        wanted.set(`kjj/${r[0]}/${r[3]}`, value);
        r[5] = String(value);
        return [r.join(",")];
      });
      expect(filled.length).toBeGreaterThan(3);
      const before = await valuesOf(version2, ["kjj"]);
      await killDuring(
        "reported_values",
        () =>
          reporter(
            "POST",
            `/plans/${plan2}/units/kjj/upload`,
            `${header}\n${filled.join("\n")}\n`,
            "text/csv",
          ),
        a,
      );
      const after = await valuesOf(version2, ["kjj"]);
      expect(same(after, before) || same(after, wanted), JSON.stringify([...after])).toBe(true);
      await afterKill();
    }
  }, 600_000);

  it("an office import (a job): all of the file or none, and the job finished or failed with its reason", async () => {
    for (let a = 0; a < repeat; a++) {
      const unit = unitsOfExample.filter((u) => u !== "kjj")[a]!;
      const csv = await (await office("GET", `/plans/${plan2}/imports/template.csv`)).text();
      const lines = csv
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\n");
      const wanted: Values = new Map();
      const filled = lines.slice(1).flatMap((l) => {
        const r = l.split(",");
        const source = exampleRows.find(([u, i, p]) => u === unit && u === r[0] && i === r[2] && p === r[4]);
        if (!source) return [];
        wanted.set(`${unit}/${r[2]}/${r[4]}`, Number(source[3]));
        r[5] = source[3]!;
        return [r.join(",")];
      });
      expect(filled.length).toBeGreaterThan(3);
      const before = await valuesOf(version2, [unit]);
      expect(before.size).toBe(0);
      let jobId = "";
      await killDuring(
        "reported_values",
        async () => {
          const r = await office(
            "POST",
            `/plans/${plan2}/imports`,
            `${lines[0]}\n${filled.join("\n")}\n`,
            "text/csv",
          );
          jobId = ((await r.json()) as { id: string }).id;
        },
        a,
      );
      const after = await valuesOf(version2, [unit]);
      expect(same(after, before) || same(after, wanted), JSON.stringify([...after])).toBe(true);
      await afterKill();
      if (jobId) {
        const [job] = await query<{ status: string; error: string | null }>(
          `SELECT status, error FROM jobs WHERE id = '${jobId}'`,
        );
        expect(["done", "failed"]).toContain(job!.status);
        if (job!.status === "failed") expect(job!.error).toBeTruthy();
        // The job's retry imports the file once whole, or its failure left nothing.
        const final = await valuesOf(version2, [unit]);
        expect(job!.status === "done" ? same(final, wanted) : final.size === 0).toBe(true);
      }
    }
  }, 600_000);

  for (const how of ["at once", "as a job"] as const) {
    it(`a scoring run ${how}: a run with its audit entry or none`, async () => {
      for (let a = 0; a < repeat; a++) {
        const [{ n: before }] = (await query<{ n: number }>(
          `SELECT count(*)::int AS n FROM scoring_runs`,
        )) as [{ n: number }];
        await killDuring(
          "scoring_runs",
          () =>
            office(
              "POST",
              how === "at once" ? `/plans/${demoPlan}/runs` : `/plans/${demoPlan}/jobs/score`,
              {},
            ),
          a,
        );
        const [{ n: after }] = (await query<{ n: number }>(
          `SELECT count(*)::int AS n FROM scoring_runs`,
        )) as [{ n: number }];
        expect([before, before + 1]).toContain(after);
        expect(await unaudited("scoring_runs", "run.create")).toBe(0);
        await afterKill();
      }
    }, 600_000);
  }

  it("a publication (public notice): the notice with its portal page and audit entry, or none", async () => {
    for (let a = 0; a < repeat; a++) {
      const run = await office("POST", `/plans/${demoPlan}/runs`, {});
      expect(run.status).toBe(201);
      const runId = ((await run.json()) as { id: string }).id;
      await killDuring(
        "publications",
        () => office("POST", `/plans/${demoPlan}/runs/${runId}/publish`, {}),
        a,
      );
      const rows = await query<{ id: string; page: number; current: number }>(
        `SELECT p.id, (SELECT count(*)::int FROM portal_pages g WHERE g.publication_id = p.id) AS page
         FROM publications p WHERE p.run_id = '${runId}'`,
      );
      expect(rows.length).toBeLessThanOrEqual(1);
      for (const r of rows) expect(r.page).toBe(1);
      expect(await unaudited("publications", "results.publish")).toBe(0);
      // One publication in force per plan: the superseded one is withdrawn with the new one, or not at all.
      const [live] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM publications p JOIN plan_versions v ON v.id = p.plan_version_id
           WHERE v.plan_id = '${demoPlan}' AND p.status IN ('notice', 'final')
           AND NOT EXISTS (SELECT 1 FROM publications q WHERE q.supersedes = p.id)`,
      );
      expect(live!.n).toBe(1);
      await afterKill();
    }
  }, 600_000);

  it("the final results (finalise): final with its final notice and audit entry, or still under notice", async () => {
    for (let a = 0; a < repeat; a++) {
      const run = await office("POST", `/plans/${demoPlan}/runs`, {});
      expect(run.status).toBe(201);
      const runId = ((await run.json()) as { id: string }).id;
      const published = await office("POST", `/plans/${demoPlan}/runs/${runId}/publish`, {});
      expect(published.status, await published.clone().text()).toBe(201);
      const id = ((await published.json()) as { id: string }).id;
      // The notice period over (the server's clock is the machine's: the period is moved, not the clock).
      await query(`UPDATE publications SET notice_until = now() - interval '1 minute' WHERE id = '${id}'`);
      await killDuring(
        "publications",
        () => office("POST", `/plans/${demoPlan}/publications/${id}/finalise`, {}),
        a,
      );
      const [p] = await query<{ status: string; final_page: boolean; audited: number }>(
        `SELECT p.status, (SELECT g.final_articles IS NOT NULL FROM portal_pages g WHERE g.publication_id = p.id)
           AS final_page, (SELECT count(*)::int FROM audit_log a WHERE a.action = 'results.finalise'
           AND a.entity_id = p.id::text) AS audited FROM publications p WHERE p.id = '${id}'`,
      );
      expect(["notice", "final"]).toContain(p!.status);
      const final = p!.status === "final";
      expect({ page: p!.final_page, audited: p!.audited }).toEqual({ page: final, audited: final ? 1 : 0 });
      await afterKill();
      // Not half-finalised: it can be finalised after the restart, or was finalised whole.
      if (!final) {
        const again = await office("POST", `/plans/${demoPlan}/publications/${id}/finalise`, {});
        expect(again.status, await again.text()).toBeLessThan(300);
      }
    }
  }, 600_000);

  it("a bulletin's publication (喜报): published with its audit entry, or still a draft", async () => {
    for (let a = 0; a < repeat; a++) {
      const unit = unitsOfExample.filter((u) => u !== "kjj")[a]!;
      const draft = await office("POST", `/plans/${demoPlan}/bulletins`, { unit });
      expect(draft.status, await draft.clone().text()).toBe(201);
      const id = ((await draft.json()) as { id: string }).id;
      await killDuring("bulletins", () => office("POST", `/bulletins/${id}/publish`, {}), a);
      const [b] = await query<{ status: string; audited: number }>(
        `SELECT status, (SELECT count(*)::int FROM audit_log a WHERE a.action = 'bulletin.publish'
           AND a.entity_id = '${id}') AS audited FROM bulletins WHERE id = '${id}'`,
      );
      expect(["draft", "published"]).toContain(b!.status);
      expect(b!.audited).toBe(b!.status === "published" ? 1 : 0);
      await afterKill();
      // Not half-published: the publication can be done (again) after the restart, or was done whole.
      if (b!.status === "draft") {
        const again = await office("POST", `/bulletins/${id}/publish`, {});
        expect(again.status, await again.text()).toBeLessThan(300);
      }
    }
  }, 600_000);

  it("kaohe restore killed: the target database is empty or whole, and a restore after it succeeds", async () => {
    await stop(server!, "SIGTERM");
    server = undefined;
    const file = join(dir, "..", `kaohe-crashpt-${process.pid}.backup`);
    const backed = spawnSync(process.execPath, [bin, "backup", file], {
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(backed.status, backed.stderr).toBe(0);
    const target = admin
      ? { DATABASE_URL: urlOf(`${dbName}_r`), KAOHE_DATA_DIR: `${dir}-r` }
      : { DATABASE_URL: "", KAOHE_DATA_DIR: `${dir}-r` };
    const tables = [
      "organisations",
      "users",
      "plans",
      "reported_values",
      "scoring_runs",
      "audit_log",
      "audit_seals",
    ];
    const counts = async () =>
      Object.fromEntries(
        await Promise.all(
          tables.map(async (t) => [
            t,
            (
              await query<{ n: number }>(
                `SELECT count(*)::int AS n FROM ${t}`,
                target.DATABASE_URL,
                target.KAOHE_DATA_DIR,
              )
            )[0]!.n,
          ]),
        ),
      ) as Record<string, number>;
    for (let a = 0; a < repeat; a++) {
      const migrate = spawnSync(process.execPath, [bin, "db", "migrate"], {
        env: { ...env, ...target },
        encoding: "utf8",
      });
      expect(migrate.status, migrate.stderr).toBe(0);
      const restore = () =>
        spawn(process.execPath, [bin, "restore", file], { env: { ...env, ...target }, stdio: "ignore" });
      const child = restore();
      await sleep(1000 + Math.random() * 4000);
      await stop(child, "SIGKILL");
      const left = await counts();
      const empty = Object.values(left).every((n) => n === 0);
      if (!empty) {
        // The restore had committed before the kill: whole, and its trail verifies.
        expect(
          Object.values(left).every((n) => n > 0),
          JSON.stringify(left),
        ).toBe(true);
        auditVerify(target);
      }
      if (empty) {
        const again = spawnSync(process.execPath, [bin, "restore", file], {
          env: { ...env, ...target },
          encoding: "utf8",
          timeout: 300_000,
        });
        expect(again.status, again.stderr).toBe(0);
        expect(again.stdout).toContain("audit trail intact");
      }
      auditVerify(target);
      const whole = await counts();
      expect(
        Object.values(whole).every((n) => n > 0),
        JSON.stringify(whole),
      ).toBe(true);
      // Empty the target for the next round.
      if (a + 1 < repeat) {
        if (admin) {
          const c = new pg.Client({ connectionString: admin });
          await c.connect();
          await c.query(`DROP DATABASE ${dbName}_r WITH (FORCE)`);
          await c.query(`CREATE DATABASE ${dbName}_r`);
          await c.end();
        } else rmSync(`${dir}-r`, { recursive: true, force: true });
      }
    }
    rmSync(file, { force: true });
  }, 900_000);

  it("kaohe restore killed right after reported_values is loaded (KAOHE_CRASH_AT): nothing of it is in the database", async () => {
    if (server) {
      await stop(server, "SIGTERM");
      server = undefined;
    }
    const file = join(dir, "..", `kaohe-crashat-${process.pid}.backup`);
    const backed = spawnSync(process.execPath, [bin, "backup", file], {
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(backed.status, backed.stderr).toBe(0);
    // A new, empty target (the test before may have left the restored one).
    if (admin) {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName}_r WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${dbName}_r`);
      await c.end();
    } else rmSync(`${dir}-r`, { recursive: true, force: true });
    const target = admin
      ? { DATABASE_URL: urlOf(`${dbName}_r`), KAOHE_DATA_DIR: `${dir}-r` }
      : { DATABASE_URL: "", KAOHE_DATA_DIR: `${dir}-r` };
    const migrate = spawnSync(process.execPath, [bin, "db", "migrate"], {
      env: { ...env, ...target },
      encoding: "utf8",
    });
    expect(migrate.status, migrate.stderr).toBe(0);
    // Every table, backed up or not: the database after the kill is the migrated one, row for row.
    const tables = (
      await query<{ t: string }>(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        target.DATABASE_URL,
        target.KAOHE_DATA_DIR,
      )
    ).map((r) => r.t);
    const counts = async () =>
      (
        await query<{ n: string }>(
          tables.map((t) => `SELECT '${t}=' || count(*) AS n FROM ${t}`).join(" UNION ALL "),
          target.DATABASE_URL,
          target.KAOHE_DATA_DIR,
        )
      )
        .map((r) => r.n)
        .sort();
    const before = await counts();
    expect(tables).toContain("reported_values");
    const killed = spawnSync(process.execPath, [bin, "restore", file], {
      env: { ...env, ...target, KAOHE_CRASH_AT: "restore:reported_values" },
      encoding: "utf8",
      timeout: 300_000,
    });
    // Killed by its own SIGKILL at that point (not finished, not failed with a message).
    expect(killed.signal, `${killed.status} ${killed.stdout}${killed.stderr}`).toBe("SIGKILL");
    expect(await counts()).toEqual(before);
    auditVerify(target);
    // The same file restores whole afterwards, its trail verifying, the values in it.
    const again = spawnSync(process.execPath, [bin, "restore", file], {
      env: { ...env, ...target },
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("audit trail intact");
    auditVerify(target);
    const [values] = await query<{ n: number }>(
      "SELECT count(*)::int AS n FROM reported_values",
      target.DATABASE_URL,
      target.KAOHE_DATA_DIR,
    );
    expect(values!.n).toBeGreaterThan(0);
    rmSync(file, { force: true });
  }, 900_000);
});
