/**
 * Scale benchmark (issue 12, "Scale, measured and on paper"): a province of 100 cities, 10,000 units,
 * 300 indicators and 12 monthly periods (36 M values a year) at a fraction SCALE of its units (the cities
 * and units scale; the 300 indicators and 12 months stay), on the local PostgreSQL in a database of its
 * own. Each indicator is a 位次计分 rank rule within the city averaged over its 12 months (`periods`), so a
 * month is a reported value of its own period key (2026-01 … 2026-12). Measured, each once: how the
 * values get in (the office's import through the API, in files of at most 90,000 rows, up to
 * BENCH_SCALE_IMPORT_MAX values; beyond, a bulk SQL load: INSERT … SELECT FROM unnest, 100,000 rows a
 * statement), a scoring run through the API, the ranking page (public), a run's full result (office), a
 * unit's data-entry page, the plan's history, backup and restore (src/server/db/backup.ts); with the
 * database size. Pages: the median of 5 requests after one. The whole run is bounded by
 * BENCH_SCALE_MINUTES (default 20): past it the bench says so, drops its databases and exits non-zero.
 * Results are kept in docs/scale-results.json (one entry per scale) and docs/scale.svg is drawn from them.
 * Run: SCALE=0.01 npm run bench:scale  (or npm run bench:scale -- 0.1)
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import type { IndicatorSpec, Plan } from "../src/engine/index.js";
import type { Actor } from "../src/server/actor.js";
import { buildApp } from "../src/server/app.js";
import { backupToFile, restoreFile } from "../src/server/db/backup.js";
import { type DatabaseHandle, openDatabase, projectRoot } from "../src/server/db/client.js";
import { organisations, scoringRuns, userRoles, users } from "../src/server/db/schema/index.js";
import { setAuditKey } from "../src/server/modules/audit/service.js";
import { createPlan } from "../src/server/modules/plans/commands/create-plan.js";
import { publishPlan } from "../src/server/modules/plans/commands/publish-plan.js";
import { createPlanService } from "../src/server/modules/plans/service.js";
import { publishResults } from "../src/server/modules/publication/commands/publish.js";
import { signedIn } from "./session-row.js";

/** `--plot`: only redraw docs/scale.svg from docs/scale-results.json. */
const PLOT = process.argv[2] === "--plot";
const SCALE = PLOT ? 1 : Number(process.argv[2] ?? process.env.SCALE ?? 0.01);
if (!(SCALE > 0 && SCALE <= 1)) throw new Error(`bench/scale: SCALE must be in (0, 1], got ${SCALE}`);
const CITIES = Math.max(1, Math.round(100 * SCALE));
const UNITS = Math.max(1, Math.round(10_000 * SCALE));
const LEAVES = Number(process.env.BENCH_SCALE_INDICATORS ?? 300);
const MONTHS = 12;
const VALUES = UNITS * LEAVES * MONTHS;
const IMPORT_MAX = Number(process.env.BENCH_SCALE_IMPORT_MAX ?? 400_000);
const MINUTES = Number(process.env.BENCH_SCALE_MINUTES ?? 20);
const FILE_ROWS = 90_000;
const PERIOD = "2026";
const months = Array.from({ length: MONTHS }, (_, m) => `${PERIOD}-${String(m + 1).padStart(2, "0")}`);
const unitCode = (u: number) => `u${String(u).padStart(5, "0")}`;
const leafCode = (i: number) => `i${String(i).padStart(3, "0")}`;
/** A deterministic value of unit u, indicator i, month m (no two units of a city tie on most indicators). */
const cellValue = (u: number, i: number, m: number) =>
  40 + ((u * 7919 + i * 104_729 + m * 1_299_709) % 6007) / 100;

function planDocument(): Plan {
  const units = Array.from({ length: UNITS }, (_, u) => ({ code: unitCode(u), name: `单位${u}` }));
  const groups = Math.min(10, LEAVES);
  const perGroup = LEAVES / groups;
  const indicators: IndicatorSpec[] = Array.from({ length: groups }, (_, g) => ({
    code: `g${g}`,
    name: `一级指标${g}`,
    points: perGroup,
    children: Array.from({ length: perGroup }, (_, k) => {
      const i = g * perGroup + k;
      return {
        code: leafCode(i),
        name: `指标${i}`,
        points: 1,
        rule: {
          type: "rank" as const,
          source: "peers" as const,
          scope: "category" as const,
          step: { percent: 1 },
          periods: months,
        },
      };
    }),
  }));
  const perCity = Math.ceil(UNITS / CITIES);
  return {
    format: "kaohe-plan/1",
    id: "scale",
    name: "全省规模测试方案",
    period: { key: PERIOD },
    pointsTotal: LEAVES,
    units,
    categories: Array.from({ length: CITIES }, (_, c) => ({
      code: `c${String(c).padStart(3, "0")}`,
      name: `市${c}`,
      units: units.slice(c * perCity, (c + 1) * perCity).map((u) => u.code),
    })),
    indicators,
    grades: [{ code: "优秀", minScore: LEAVES * 0.6, quota: { share: 0.3 } }, { code: "合格" }],
  };
}

interface Row {
  step: string;
  seconds: number;
  note: string;
}
const rows: Row[] = [];
/** The step under way, named when the process dies of an error no step could catch. */
let current = "";
async function step<T>(name: string, f: () => Promise<T>, note: (t: T) => string = () => ""): Promise<T> {
  current = name;
  const t0 = performance.now();
  let out: T;
  try {
    out = await f();
  } catch (e) {
    // A step that fails at this size is a result too: its time to the failure and why.
    const seconds = (performance.now() - t0) / 1000;
    rows.push({
      step: name,
      seconds: Number.NaN,
      note: `failed after ${seconds.toFixed(1)} s: ${firstLine(e)}`,
    });
    console.log(`  ${name}: failed after ${seconds.toFixed(1)} s: ${firstLine(e)}`);
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  rows.push({ step: name, seconds, note: note(out) });
  console.log(`  ${name}: ${seconds.toFixed(2)} s ${note(out)}`);
  return out;
}

async function databaseBytes(client: pg.Client, name: string): Promise<number> {
  const r = await client.query("SELECT pg_database_size($1)::bigint AS n", [name]);
  return Number(r.rows[0].n);
}

/** The median time (ms) of 5 GET requests after one to warm up, and the response's size. */
async function page(url: string, headers: Record<string, string> = {}) {
  const times: number[] = [];
  let bytes = 0;
  for (let k = 0; k < 6; k++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`bench/scale: GET ${url}: ${res.status} ${Buffer.from(body)}`);
    if (k > 0) times.push(performance.now() - t0);
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { ms: times[2] as number, bytes };
}

async function bench(database: DatabaseHandle, admin: pg.Client, name: string, restoreUrl: string) {
  const { db } = database;
  await step("migrate an empty database", () => database.migrate());
  const plan = planDocument();
  const seeded = await step("seed: units, accounts, publish the plan", async () => {
    const orgs = [];
    for (let k = 0; k < plan.units.length; k += 5000)
      orgs.push(
        ...(await db
          .insert(organisations)
          .values(
            plan.units
              .slice(k, k + 5000)
              .map((u) => ({ code: u.code, name: u.name, kind: "department" as const })),
          )
          .returning()),
      );
    const [office] = await db
      .insert(users)
      .values({ username: "office", displayName: "考核办", passwordHash: "x", mustChangePassword: false })
      .returning();
    await db.insert(userRoles).values({ userId: office!.id, role: "office_staff" });
    const [reporter] = await db
      .insert(users)
      .values({
        username: "r0",
        displayName: "r0",
        passwordHash: "x",
        mustChangePassword: false,
        organisationId: orgs[0]!.id,
      })
      .returning();
    await db.insert(userRoles).values({ userId: reporter!.id, role: "unit_reporter" });
    const actor: Actor = {
      id: office!.id,
      username: "office",
      roles: ["office_staff"],
      organisation: null,
      ip: "bench",
    };
    const plans = createPlanService({ db });
    const ctx = { db, now: () => new Date(), actor };
    const created = await createPlan({ ...ctx, document: plan });
    await publishPlan({ ...ctx, planId: created.planId, version: await plans.head(created.planId) });
    const version = await plans.current(created.planId);
    return {
      actor,
      planId: created.planId,
      versionId: version.id,
      office: await signedIn(database, office!.id, 6),
      reporter: await signedIn(database, reporter!.id, 6),
    };
  });
  const app = await buildApp({ database, uploads: { maxRows: FILE_ROWS } });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  const office = { cookie: seeded.office.cookie, "x-csrf-token": seeded.office.csrf };
  try {
    if (VALUES <= IMPORT_MAX) {
      await step(
        `values in: office import through the API (${Math.ceil(VALUES / FILE_ROWS)} files, jobs)`,
        async () => {
          let imported = 0;
          const perFile = Math.floor(FILE_ROWS / (LEAVES * MONTHS)) || 1;
          for (let u0 = 0; u0 < UNITS; u0 += perFile) {
            const lines = ["单位代码,单位名称,指标代码,指标名称,期间,数值,说明"];
            for (let u = u0; u < Math.min(UNITS, u0 + perFile); u++)
              for (let i = 0; i < LEAVES; i++)
                for (let m = 0; m < MONTHS; m++)
                  lines.push(`${unitCode(u)},,${leafCode(i)},,${months[m]},${cellValue(u, i, m)},`);
            const sent = await fetch(`${base}/api/v1/plans/${seeded.planId}/imports`, {
              method: "POST",
              headers: { "content-type": "text/csv", ...office },
              body: lines.join("\n"),
            });
            const job = (await sent.json()) as { id: string; message?: string };
            if (sent.status !== 202) throw new Error(`bench/scale: import refused: ${JSON.stringify(job)}`);
            while (await app.jobRunner.tick()) {}
            const done = (await (
              await fetch(`${base}/api/v1/jobs/${job.id}`, { headers: office })
            ).json()) as { status: string; result?: { imported: number }; error?: unknown };
            if (done.status !== "done")
              throw new Error(`bench/scale: import job ${done.status}: ${JSON.stringify(done.error)}`);
            imported += done.result?.imported ?? 0;
          }
          if (imported !== VALUES) throw new Error(`bench/scale: imported ${imported} of ${VALUES} values`);
          return imported;
        },
        (n) => `${n.toLocaleString("en")} values`,
      );
      await step("approve every value (one SQL UPDATE, standing in for the review)", () =>
        rawQuery(
          database,
          `UPDATE reported_values SET status = 'approved' WHERE plan_version_id = '${seeded.versionId}'`,
        ),
      );
    } else {
      await step(
        "values in: bulk SQL load (INSERT … SELECT FROM unnest, 100,000 rows a statement, approved)",
        async () => {
          const client = new pg.Client({ connectionString: restoreUrl.replace(/_restore(?=$|\?)/, "") });
          await client.connect();
          try {
            let batch: { u: string[]; i: string[]; p: string[]; v: number[] } = {
              u: [],
              i: [],
              p: [],
              v: [],
            };
            const flush = async () => {
              if (batch.u.length === 0) return;
              await client.query(
                `INSERT INTO reported_values (plan_version_id, unit_code, indicator, period, value, status)
                 SELECT $1, u, i, p, v, 'approved' FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[]) AS t(u, i, p, v)`,
                [seeded.versionId, batch.u, batch.i, batch.p, batch.v],
              );
              batch = { u: [], i: [], p: [], v: [] };
            };
            for (let u = 0; u < UNITS; u++) {
              for (let i = 0; i < LEAVES; i++)
                for (let m = 0; m < MONTHS; m++) {
                  batch.u.push(unitCode(u));
                  batch.i.push(leafCode(i));
                  batch.p.push(months[m] as string);
                  batch.v.push(cellValue(u, i, m));
                }
              if (batch.u.length >= 100_000) await flush();
            }
            await flush();
          } finally {
            await client.end();
          }
          return VALUES;
        },
        (n) => `${n.toLocaleString("en")} values`,
      );
    }
    const loaded = await databaseBytes(admin, name);
    rows.push({ step: "database size after the values", seconds: Number.NaN, note: mb(loaded) });
    console.log(`  database size: ${mb(loaded)}`);
    try {
      const run = await step(
        "scoring run through the API (POST /plans/:id/runs)",
        async () => {
          const res = await fetch(`${base}/api/v1/plans/${seeded.planId}/runs`, {
            method: "POST",
            headers: office,
          });
          const body = (await res.json()) as { id: string };
          if (res.status !== 201) throw new Error(`bench/scale: scoring refused: ${JSON.stringify(body)}`);
          return body;
        },
        () => "",
      );
      // What the run stored (migration 0031): its inputs gzipped, beside the result's JSONB.
      const [stored] = await db
        .select({
          gz: scoringRuns.inputsGz,
          result: sql<number>`pg_column_size(${scoringRuns.result})`,
          resultText: sql<number>`octet_length(${scoringRuns.result}::text)`,
        })
        .from(scoringRuns)
        .where(eq(scoringRuns.id, run.id));
      const storedNote = `inputs_gz ${mb(stored!.gz!.length)} (the JSON text ${mb(gunzipSync(stored!.gz!).length)}), result JSONB ${mb(Number(stored!.result))} on disk (its text ${mb(Number(stored!.resultText))})`;
      rows.push({ step: "a run as stored", seconds: Number.NaN, note: storedNote });
      console.log(`  a run as stored: ${storedNote}`);
      await step("publish the results", () =>
        publishResults({
          db,
          now: () => new Date(),
          actor: seeded.actor,
          planVersionId: seeded.versionId,
          plan,
          runId: run.id,
        }),
      );
      const pages: [string, string, Record<string, string>][] = [
        ["ranking page (public results)", `/api/v1/public/plans/${seeded.planId}/results`, {}],
        ["a run's full result (office)", `/api/v1/plans/${seeded.planId}/runs/${run.id}`, office],
        [
          "a run's result, one city (office: ?category=, as the results page reads a large plan)",
          `/api/v1/plans/${seeded.planId}/runs/${run.id}?category=c000`,
          office,
        ],
        [
          `a unit's data-entry page (${(LEAVES * MONTHS).toLocaleString("en")} cells)`,
          `/api/v1/plans/${seeded.planId}/units/${unitCode(0)}/values`,
          { cookie: seeded.reporter.cookie },
        ],
        ["the plan's history (office)", `/api/v1/plans/${seeded.planId}/history`, office],
      ];
      for (const [what, path, headers] of pages) {
        const r = await page(`${base}${path}`, headers);
        rows.push({ step: what, seconds: r.ms / 1000, note: `median of 5, ${kb(r.bytes)}` });
        console.log(`  ${what}: ${r.ms.toFixed(1)} ms, ${kb(r.bytes)}`);
      }
      const scored = await databaseBytes(admin, name);
      rows.push({ step: "database size after scoring", seconds: Number.NaN, note: mb(scored) });
    } catch (e) {
      // Scoring or a page failed (recorded by its step): the backup is still measured.
      console.log(`  scoring and pages stopped: ${firstLine(e)}`);
    }
  } finally {
    await app.close();
  }
  // kaohe backup's own path: format 2, streamed through a cursor to a file (db/backup.ts backupToFile).
  const backupFile = join(tmpdir(), `kaohe-scale-${process.pid}.backup`);
  let file: string | undefined;
  const rss = () => `peak RSS of the bench so far ${mb(process.resourceUsage().maxRSS * 1024)}`;
  try {
    await step(
      "backup (kaohe backup: one repeatable-read snapshot, gzipped JSON lines through a cursor, to a file)",
      () => backupToFile(db, backupFile),
      (b) => `${mb(b.bytes)}, ${b.rows.toLocaleString("en")} rows; ${rss()}`,
    );
    file = backupFile;
  } catch (e) {
    // Recorded by its step.
    console.log(`  no restore: the backup failed (${firstLine(e)})`);
  }
  if (file) {
    await admin.query(`CREATE DATABASE ${name}_restore`);
    const target = await openDatabase({ databaseUrl: restoreUrl });
    try {
      await target.migrate();
      await step(
        "restore into an empty database (kaohe restore)",
        () => restoreFile(target.db, file),
        (r) => `${r.rows.toLocaleString("en")} rows; ${rss()}`,
      );
    } catch (e) {
      rows.push({ step: "restore", seconds: Number.NaN, note: `failed: ${firstLine(e)}` });
      console.log(`  restore failed: ${firstLine(e)}`);
    } finally {
      await target.close();
      rmSync(backupFile, { force: true });
    }
  }
}

async function rawQuery(database: DatabaseHandle, text: string) {
  await database.db.execute(sql.raw(text));
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
/** An error's first line, with its cause's (drizzle wraps PostgreSQL's error as "Failed query: …"). */
const firstLine = (e: unknown) => {
  const error = e as Error & { cause?: Error };
  const first = String(error.message ?? e).split("\n")[0]!;
  return (error.cause?.message ? `${error.cause.message.split("\n")[0]} — ${first}` : first).slice(0, 300);
};

interface Entry {
  scale: number;
  cities: number;
  units: number;
  indicators: number;
  values: number;
  measuredAt: string;
  rows: { step: string; seconds: number | null; note: string }[];
}

const resultsPath = () => join(projectRoot(), "docs", "scale-results.json");

function entry(): Entry {
  return {
    scale: SCALE,
    cities: CITIES,
    units: UNITS,
    indicators: LEAVES,
    values: VALUES,
    measuredAt: new Date().toISOString(),
    rows: rows.map((r) => ({ ...r, seconds: Number.isFinite(r.seconds) ? r.seconds : null })),
  };
}

/** Keeps this scale's entry beside the others' and draws docs/scale.svg from all of them. */
function record(entry: Entry) {
  const path = resultsPath();
  const all: Entry[] = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : [];
  const kept = all.filter((e) => !(e.scale === entry.scale && e.indicators === entry.indicators));
  kept.push(entry);
  kept.sort((a, b) => a.values - b.values);
  writeFileSync(path, `${JSON.stringify(kept, null, 2)}\n`);
  writeFileSync(join(projectRoot(), "docs", "scale.svg"), plot(kept));
  console.log(`  kept in ${path}; docs/scale.svg drawn from ${kept.length} scale(s)`);
}

/** Seconds per step against values, log-log, one line per timed step (pages in ms would crowd it). */
function plot(entries: Entry[]): string {
  const W = 760;
  const H = 440;
  const L = 70;
  const R = 260;
  const T = 30;
  const B = 50;
  const series = new Map<string, [number, number][]>();
  for (const e of entries)
    for (const r of e.rows) {
      if (r.seconds === null || !Number.isFinite(r.seconds) || r.seconds <= 0) continue;
      const key = r.step.replace(/\s*\(.*$/, "");
      if (!series.has(key)) series.set(key, []);
      series.get(key)!.push([e.values, r.seconds]);
    }
  const xs = entries.map((e) => e.values);
  const ys = [...series.values()].flat().map(([, y]) => y);
  const x0 = Math.floor(Math.log10(Math.min(...xs)));
  const x1 = Math.ceil(Math.log10(Math.max(...xs) * 1.01));
  const y0 = Math.floor(Math.log10(Math.min(...ys)));
  const y1 = Math.ceil(Math.log10(Math.max(...ys)));
  const px = (x: number) => L + ((Math.log10(x) - x0) / Math.max(1, x1 - x0)) * (W - L - R);
  const py = (y: number) => T + (1 - (Math.log10(y) - y0) / Math.max(1, y1 - y0)) * (H - T - B);
  const colours = [
    "#c23531",
    "#2f4554",
    "#61a0a8",
    "#d48265",
    "#91c7ae",
    "#749f83",
    "#ca8622",
    "#bda29a",
    "#6e7074",
    "#546570",
    "#c4ccd3",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#1f77b4",
  ];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11" role="img" aria-labelledby="scale-title">`,
    `<title id="scale-title">kaohe at scale: seconds per step against reported values, log-log, from bench/scale.bench.ts</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${L}" y="18" font-size="13">kaohe at scale: seconds per step against reported values (log-log; bench/scale.bench.ts)</text>`,
  ];
  for (let e = x0; e <= x1; e++)
    out.push(
      `<line x1="${px(10 ** e)}" y1="${T}" x2="${px(10 ** e)}" y2="${H - B}" stroke="#eee"/>`,
      `<text x="${px(10 ** e)}" y="${H - B + 15}" text-anchor="middle">1e${e}</text>`,
    );
  for (let e = y0; e <= y1; e++)
    out.push(
      `<line x1="${L}" y1="${py(10 ** e)}" x2="${W - R}" y2="${py(10 ** e)}" stroke="#eee"/>`,
      `<text x="${L - 6}" y="${py(10 ** e) + 4}" text-anchor="end">${10 ** e >= 1 ? 10 ** e : (10 ** e).toPrecision(1)} s</text>`,
    );
  out.push(
    `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">reported values (units × 300 indicators × 12 months)</text>`,
    `<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#999"/>`,
  );
  [...series.entries()].forEach(([name, points], k) => {
    const colour = colours[k % colours.length];
    const d = points.map(([x, y], j) => `${j ? "L" : "M"}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const [x, y] of points)
      out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${colour}"/>`);
    const ly = T + 8 + k * 16;
    out.push(
      `<line x1="${W - R + 12}" y1="${ly}" x2="${W - R + 30}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${W - R + 34}" y="${ly + 4}">${xmlText(name)}</text>`,
    );
  });
  // A step that failed at a size: a cross at the top of the chart, named beside it, one line each.
  let line = 0;
  for (const e of entries)
    for (const r of e.rows.filter((r) => r.seconds === null && r.note.startsWith("failed")))
      out.push(
        `<text x="${px(e.values).toFixed(1)}" y="${T + 14 + line++ * 14}" text-anchor="end" fill="#c00">× ${xmlText(r.step.replace(/\s*\(.*$/, ""))} failed at ${e.values.toLocaleString("en")} values</text>`,
      );
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

if (PLOT) {
  writeFileSync(
    join(projectRoot(), "docs", "scale.svg"),
    plot(JSON.parse(readFileSync(resultsPath(), "utf8"))),
  );
  process.exit(0);
}
console.log(
  `kaohe scale benchmark: SCALE ${SCALE}: ${CITIES} cities, ${UNITS.toLocaleString("en")} units, ${LEAVES} indicators × ${MONTHS} months = ${VALUES.toLocaleString("en")} values, on the local PostgreSQL`,
);
setAuditKey(randomBytes(32));
const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `kaohe_scale_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const restoreUrl = new URL(adminUrl);
restoreUrl.pathname = `/${name}_restore`;
const drop = async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  await admin.query(`DROP DATABASE IF EXISTS ${name}_restore WITH (FORCE)`).catch(() => {});
};
const deadline = setTimeout(async () => {
  console.log(`bench/scale: past ${MINUTES} minutes (BENCH_SCALE_MINUTES); stopped, databases dropped`);
  rows.push({ step: `stopped: past ${MINUTES} minutes`, seconds: Number.NaN, note: "" });
  record(entry());
  await drop();
  process.exit(2);
}, MINUTES * 60_000);
// An error thrown where no step can catch it (the pg client's socket reader, reading a row longer
// than a V8 string can hold): the step is recorded as failed and the databases are dropped all the same.
let dying = false;
process.on("uncaughtException", async (e) => {
  // The pg client can throw the same error twice (the socket's reader and its error handler).
  if (dying) return;
  dying = true;
  rows.push({ step: current, seconds: Number.NaN, note: `failed: the process died: ${firstLine(e)}` });
  console.log(`bench/scale: ${current}: the process died: ${firstLine(e)}`);
  record(entry());
  await drop();
  process.exit(1);
});
await admin.query(`CREATE DATABASE ${name}`);
const database = await openDatabase({ databaseUrl: url.toString() });
let failed: unknown;
try {
  await bench(database, admin, name, restoreUrl.toString());
} catch (e) {
  failed = e;
} finally {
  await database.close();
  await drop();
  clearTimeout(deadline);
  await admin.end();
}
console.log("");
console.log(`| step | s | µs per value | ms per unit | note |`);
console.log("|---|---:|---:|---:|---|");
for (const r of rows) {
  const timed = Number.isFinite(r.seconds);
  console.log(
    `| ${r.step} | ${timed ? r.seconds.toFixed(3) : ""} | ${timed ? ((r.seconds * 1e6) / VALUES).toFixed(3) : ""} | ${timed ? ((r.seconds * 1e3) / UNITS).toFixed(3) : ""} | ${r.note} |`,
  );
}
if (failed) {
  console.log(`bench/scale: stopped at a step: ${(failed as Error).stack ?? failed}`);
  process.exitCode = 1;
}
record(entry());
