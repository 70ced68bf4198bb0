import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inArray } from "drizzle-orm";
import { main } from "../../src/cli/main.js";
import { openDatabase } from "../../src/server/db/client.js";
import { plans, planVersions } from "../../src/server/db/schema/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { examplePlan } from "../helpers/example-plan.js";

/**
 * PGlite crash safety: `kaohe serve` on a temporary data directory, the office creating plans over
 * HTTP from a few concurrent clients, killed with SIGKILL at a random moment (now and then while it is
 * still starting: opening, migrating); after each kill the directory is opened again, `kaohe audit verify`
 * must pass, and every plan the service acknowledged (201) must be there with its version. The same
 * directory takes every kill in turn, so damage would accumulate.
 *
 * `npm run reliability:pglite` (KILLS=20 by default, `-- --kills N`); test/reliability/pglite-crash.test.ts
 * runs 3 kills in the normal suite.
 */

export interface CrashFigures {
  kills: number;
  killedWhileStarting: number;
  acknowledged: number;
  lost: number;
  auditFailures: number;
  /** What each failure was, for the report. */
  failures: string[];
  seconds: number;
}

const child = join(import.meta.dirname, "serve-child.ts");

function startServe(dataDir: string): { process: ChildProcess; url: Promise<string> } {
  const p = spawn(process.execPath, ["--import", "tsx", child], {
    env: { ...process.env, KAOHE_DATA_DIR: dataDir, KAOHE_LANG: "en", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    p.stdout!.on("data", (d: Buffer) => {
      out += d.toString("utf8");
      const m = /kaohe is serving on (http:\/\/[^\s)]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    p.stderr!.on("data", (d: Buffer) => {
      out += d.toString("utf8");
    });
    p.on("exit", (code, signal) =>
      reject(new Error(`serve exited (${code ?? signal}) before listening: ${out.slice(-2000)}`)),
    );
  });
  url.catch(() => {});
  return { process: p, url };
}

const exited = (p: ChildProcess) =>
  new Promise<void>((resolve) =>
    p.exitCode !== null || p.signalCode !== null ? resolve() : p.once("exit", () => resolve()),
  );

async function signIn(url: string): Promise<{ cookie: string; csrf: string }> {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "office", password: DEMO_PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`sign-in failed: ${r.status} ${await r.text()}`);
  const cookie = r.headers
    .getSetCookie()
    .find((c) => c.startsWith("kaohe_session="))!
    .split(";")[0]!;
  return { cookie, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
}

/** Creates plans until the server goes away; returns the ids it acknowledged (201). */
async function writeUntilKilled(url: string, session: { cookie: string; csrf: string }, tag: string) {
  const acknowledged: { planId: string; code: string }[] = [];
  for (let i = 0; ; i++) {
    const document = { ...examplePlan(), id: `crash-${tag}-${i}`, name: `崩溃测试 ${tag}-${i}` };
    try {
      const r = await fetch(`${url}/api/v1/plans`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: session.cookie, "x-csrf-token": session.csrf },
        body: JSON.stringify({ document }),
      });
      if (r.status !== 201) throw new Error(`unexpected ${r.status}: ${await r.text()}`);
      acknowledged.push({ planId: ((await r.json()) as { planId: string }).planId, code: document.id });
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("unexpected")) throw e;
      return acknowledged; // the connection failed: the server was killed
    }
  }
}

/** Opens the directory in this process: `kaohe audit verify` (exit 0), then the acknowledged plans. */
async function check(
  dataDir: string,
  acknowledged: { planId: string; code: string }[],
  figures: CrashFigures,
) {
  const said: string[] = [];
  const code = await main(
    ["audit", "verify"],
    { KAOHE_DATA_DIR: dataDir, KAOHE_LANG: "en" },
    (s) => said.push(s),
    (s) => said.push(s),
  );
  if (code !== 0) {
    figures.auditFailures++;
    figures.failures.push(`audit verify exited ${code}: ${said.join(" ").slice(0, 500)}`);
  }
  if (!acknowledged.length) return;
  const d = await openDatabase({ dataDir });
  try {
    const ids = acknowledged.map((a) => a.planId);
    const found = new Set(
      (await d.db.select({ id: plans.id }).from(plans).where(inArray(plans.id, ids))).map((r) => r.id),
    );
    const versioned = new Set(
      (
        await d.db
          .select({ id: planVersions.planId })
          .from(planVersions)
          .where(inArray(planVersions.planId, ids))
      ).map((r) => r.id),
    );
    for (const a of acknowledged)
      if (!found.has(a.planId) || !versioned.has(a.planId)) {
        figures.lost++;
        figures.failures.push(
          `acknowledged plan ${a.code} (${a.planId}) ${found.has(a.planId) ? "has no version" : "is gone"}`,
        );
      }
  } finally {
    await d.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `kills` kill-and-check rounds on a fresh data directory; `log` reports each round. */
export async function crashRuns(
  kills: number,
  log: (line: string) => void = () => {},
): Promise<CrashFigures> {
  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), "kaohe-crash-"));
  const dataDir = join(root, "data");
  const figures: CrashFigures = {
    kills: 0,
    killedWhileStarting: 0,
    acknowledged: 0,
    lost: 0,
    auditFailures: 0,
    failures: [],
    seconds: 0,
  };
  try {
    // The first start seeds the demo and is stopped cleanly: a kill in the seeding is not the service's
    // normal path (a half-seeded demo), everything after it is.
    const first = startServe(dataDir);
    await first.url;
    first.process.kill("SIGTERM");
    await exited(first.process);
    const all: { planId: string; code: string }[] = [];
    for (let round = 0; round < kills; round++) {
      const serve = startServe(dataDir);
      let acknowledged: { planId: string; code: string }[] = [];
      if (Math.random() < 0.2) {
        // While it starts: opening the directory, migrating, binding.
        await sleep(Math.random() * 2_500);
        serve.process.kill("SIGKILL");
        figures.killedWhileStarting++;
      } else {
        const url = await serve.url;
        const session = await signIn(url);
        const writers = [0, 1, 2].map((w) => writeUntilKilled(url, session, `${round}-${w}`));
        await sleep(200 + Math.random() * 2_500);
        serve.process.kill("SIGKILL");
        acknowledged = (await Promise.all(writers)).flat();
      }
      await exited(serve.process);
      figures.kills++;
      all.push(...acknowledged);
      figures.acknowledged += acknowledged.length;
      const before = figures.failures.length;
      // Every write acknowledged so far, not only this round's: a later kill must not lose an earlier one.
      await check(dataDir, all, figures);
      figures.lost = new Set(
        figures.failures.filter((f) => f.startsWith("acknowledged")).map((f) => f.split(" ")[2]),
      ).size;
      log(
        `kill ${round + 1}/${kills}: ${acknowledged.length} plans acknowledged (${all.length} in all), ` +
          `${figures.failures.length === before ? "audit verified, none lost" : figures.failures.slice(before).join("; ")}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    figures.seconds = Math.round((performance.now() - started) / 1000);
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--kills");
  const kills = Number(at >= 0 ? process.argv[at + 1] : (process.env.KILLS ?? 20));
  const figures = await crashRuns(kills, console.log);
  console.log(
    `pglite-crash: ${figures.kills} kills (${figures.killedWhileStarting} while starting), ${figures.acknowledged} acknowledged writes, ` +
      `${figures.lost} lost, ${figures.auditFailures} audit failures, ${figures.seconds} s`,
  );
  process.exitCode = figures.lost || figures.auditFailures ? 1 : 0;
}
