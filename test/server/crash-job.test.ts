import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../src/server/demo.js";

/**
 * Crash safety of jobs (issue 12): `kaohe serve` is killed with SIGKILL while it runs a long sensitivity
 * job; started again on the same database, it takes the job over once its heartbeat is stale, runs it
 * to the end (the job is never left "running"), and the audit chain verifies. On the embedded database
 * (a data directory of its own) and, with TEST_DATABASE_URL, on a PostgreSQL database of its own.
 */
const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
const dir = mkdtempSync(join(tmpdir(), "kaohe-crash-"));
const admin = process.env.TEST_DATABASE_URL;
const dbName = `kaohe_crash_${process.pid}`;
const databaseUrl = admin ? Object.assign(new URL(admin), { pathname: `/${dbName}` }).toString() : "";
const env = {
  ...process.env,
  KAOHE_DATA_DIR: dir,
  DATABASE_URL: databaseUrl,
  KAOHE_AUDIT_KEY: "crash-test-key-0123456789abcdef0123456789",
  KAOHE_JOB_STALE_MS: "2000",
  KAOHE_LANG: "en",
};

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
  for (let k = 0; k < 240; k++) {
    if (child.exitCode !== null) throw new Error(`kaohe serve exited: ${stderr}`);
    const up = await fetch(`${base()}/api/v1/health`).catch(() => null);
    if (up?.ok) return child;
    await new Promise((r) => setTimeout(r, 250));
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

async function signIn() {
  const r = await fetch(`${base()}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "office", password: DEMO_PASSWORD }),
  });
  expect(r.status).toBe(200);
  const cookie = r.headers
    .getSetCookie()
    .find((c) => c.startsWith("kaohe_session="))!
    .split(";")[0]!;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return (method: string, path: string, body?: unknown) =>
    fetch(`${base()}/api/v1${path}`, {
      method,
      headers: {
        cookie,
        "x-csrf-token": csrfToken,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

beforeAll(async () => {
  if (admin) {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await c.query(`CREATE DATABASE ${dbName}`);
    await c.end();
  }
  port = await freePort();
});
afterAll(async () => {
  if (server) await stop(server, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.audit-key`, { force: true });
  if (admin) {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  }
});

describe(`kaohe serve killed during a job (${admin ? "PostgreSQL" : "embedded PGlite"})`, () => {
  it("is taken over after the restart and finished, never left running; the audit chain verifies", async () => {
    server = await start();
    let api = await signIn();
    const planId = ((await (await api("GET", "/plans")).json()) as { items: { planId: string }[] }).items[0]!
      .planId;
    const runs = (await (await api("GET", `/plans/${planId}/runs`)).json()) as { items: { id: string }[] };
    const runId = runs.items[0]!.id;
    const queued = await api("POST", `/plans/${planId}/runs/${runId}/sensitivity`, {
      runs: 100_000,
      seed: 7,
    });
    expect(queued.status).toBe(202);
    const jobId = ((await queued.json()) as { id: string }).id;
    const job = async () =>
      (await (await api("GET", `/jobs/${jobId}`)).json()) as {
        status: string;
        progress: number;
        result: { evaluations: number } | null;
      };
    // Killed once the job is under way: running, part done.
    let seen = await job();
    for (let k = 0; k < 400 && !(seen.status === "running" && seen.progress > 0); k++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await job();
    }
    expect(seen.status).toBe("running");
    expect(seen.progress).toBeLessThan(1);
    await stop(server, "SIGKILL");

    server = await start();
    api = await signIn(); // a new process: the demo is not seeded twice, the session store is the database's
    for (let k = 0; k < 240; k++) {
      seen = await job();
      if (seen.status === "done" || seen.status === "failed") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(seen.status).toBe("done");
    expect(seen.result!.evaluations).toBeGreaterThanOrEqual(30_000);
    await stop(server, "SIGTERM");
    server = undefined;

    const verify = spawnSync(process.execPath, [bin, "audit", "verify"], {
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toContain("audit trail intact");
  }, 240_000);
});
