/**
 * The rush's verdict (bench/rush.bench.ts): what the database holds against what the clients were told,
 * and the figures, printed and written to docs/reliability-rush.md (the block of this mode only).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { type Database, resultRows } from "../src/server/db/client.js";
import { quantile, type Sample } from "./rush-client.js";
import type { Ledger } from "./rush-reporter.js";
import type { RushSeed } from "./rush-seed.js";

export interface RushChecks {
  problems: string[];
  cells: number;
  /** Acknowledged saves found in the database (each at its own revision) and in the audit trail. */
  savesFound: number;
  evidenceFound: number;
  submittedUnits: number;
}

const key = (unit: string, indicator: string) => `${unit}/${indicator}`;

export async function checkRush(
  db: Database,
  seed: RushSeed,
  ledger: Ledger,
  /** The deadline (ms since the epoch). */
  deadline: number,
): Promise<RushChecks> {
  const problems: string[] = [];
  const rows = resultRows<{
    unit_code: string;
    indicator: string;
    value: number;
    revision: number;
    status: string;
  }>(
    await db.execute(sql`SELECT unit_code, indicator, value, revision, status FROM reported_values
      WHERE plan_version_id = ${seed.versionId}`),
  );
  const audited = new Map(
    resultRows<{ unit: string; indicator: string; n: string }>(
      await db.execute(sql`SELECT after->>'unit' AS unit, after->>'indicator' AS indicator, count(*) AS n
        FROM audit_log WHERE action = 'value.save' GROUP BY 1, 2`),
    ).map((r) => [key(r.unit, r.indicator), Number(r.n)]),
  );
  const saves = new Map<string, Ledger["saves"]>();
  for (const s of ledger.saves)
    saves.set(key(s.unit, s.indicator), [...(saves.get(key(s.unit, s.indicator)) ?? []), s]);
  let savesFound = 0;
  const inDb = new Set<string>();
  for (const row of rows) {
    const k = key(row.unit_code, row.indicator);
    inDb.add(k);
    const acked = (saves.get(k) ?? []).sort((a, b) => a.revision - b.revision);
    // Every save is one revision: acknowledged saves 1..n, nothing more, nothing twice.
    const revisionsOk = acked.every((s, i) => s.revision === i + 1) && row.revision === acked.length;
    const last = acked.at(-1);
    if (!revisionsOk || !last || Number(row.value) !== last.value)
      problems.push(
        `${k}: the database holds ${row.value} at revision ${row.revision}, the clients were told revisions ${acked.map((s) => s.revision).join(",")} (last ${last?.value})`,
      );
    else savesFound += acked.length;
    if ((audited.get(k) ?? 0) !== row.revision)
      problems.push(`${k}: ${audited.get(k) ?? 0} value.save audit entries for ${row.revision} revisions`);
  }
  for (const k of saves.keys()) if (!inDb.has(k)) problems.push(`${k}: acknowledged but not in the database`);

  const files = resultRows<{ unit_code: string; n: string }>(
    await db.execute(
      sql`SELECT unit_code, count(*) AS n FROM evidence WHERE plan_version_id = ${seed.versionId} GROUP BY 1`,
    ),
  );
  const filesAcked = new Map<string, number>();
  for (const e of ledger.evidence) filesAcked.set(e.unit, (filesAcked.get(e.unit) ?? 0) + 1);
  let evidenceFound = 0;
  for (const f of files) {
    const acked = filesAcked.get(f.unit_code) ?? 0;
    if (Number(f.n) !== acked)
      problems.push(`${f.unit_code}: ${f.n} evidence files stored, ${acked} acknowledged`);
    else evidenceFound += acked;
  }
  for (const [unit] of filesAcked)
    if (!files.some((f) => f.unit_code === unit))
      problems.push(`${unit}: acknowledged evidence file missing`);

  const submitted = new Set(ledger.submitted.map((s) => s.unit));
  for (const unit of seed.units) {
    const mine = rows.filter((r) => r.unit_code === unit);
    const under = mine.filter((r) => r.status === "submitted").length;
    if (submitted.has(unit) && (mine.length === 0 || under !== mine.length))
      problems.push(`${unit}: submission acknowledged, ${under} of its ${mine.length} values submitted`);
    if (!submitted.has(unit) && under > 0)
      problems.push(`${unit}: ${under} values submitted without an acknowledged submission`);
  }
  // By design: the refusal the request was made to provoke, or the deadline for a request sent after it.
  for (const r of ledger.refusals)
    if (
      !(r.expected !== null && r.code === r.expected) &&
      !(r.code === "DEADLINE_PASSED" && r.answeredAt >= deadline)
    )
      problems.push(
        `${r.kind}: refused ${r.status} ${r.code}${r.expected ? ` (expected ${r.expected})` : ""}`,
      );
  return { problems, cells: rows.length, savesFound, evidenceFound, submittedUnits: submitted.size };
}

export interface RushFigures {
  reporters: number;
  seconds: number;
  leaves: number;
  thinkMs: number;
  nodes: number;
  downSeconds: number;
  samples: Sample[];
  rushSeconds: number;
  /** When the rush began (ms since the epoch). */
  start: number;
  retries: Map<string, number>;
  kill: { killedAt: number; back: number };
  ledger: Ledger;
  checks: RushChecks;
  approved: number;
  scored: boolean;
  officeSeconds: number;
  audit: { ok: boolean; entries: number };
  serverErrors: string[];
  proxied: { method: string; path: string; status: number; upstreams: string; upstreamStatus: string }[];
  victimPort: number;
}

const ms = (v: number) => (Number.isNaN(v) ? "–" : v < 10 ? v.toFixed(1) : v.toFixed(0));

/** Prints the figures and puts them in docs/reliability-rush.md; true when a check failed. */
export function writeRushDocs(f: RushFigures): boolean {
  const lines: string[] = [];
  const at = new Date().toISOString().slice(0, 16).replace("T", " ");
  lines.push(
    `Run ${at} UTC: ${f.reporters} reporters × ${f.leaves} indicators, ${f.seconds} s to the deadline, think time ${f.thinkMs} ms (±50%), ${f.nodes} app nodes behind nginx, node :${f.victimPort} killed (SIGKILL) ${((f.kill.killedAt - f.start) / 1000).toFixed(0)} s in and serving again ${((f.kill.back - f.kill.killedAt) / 1000).toFixed(1)} s later.`,
    "",
    "| requests | count | p50 ms | p99 ms | max ms | retried by the client |",
    "|---|---:|---:|---:|---:|---:|",
  );
  const kinds = ["login", "read", "save", "evidence", "submit"] as const;
  const row = (label: string, s: Sample[]) =>
    lines.push(
      `| ${label} | ${s.length} | ${ms(
        quantile(
          s.map((x) => x.ms),
          0.5,
        ),
      )} | ${ms(
        quantile(
          s.map((x) => x.ms),
          0.99,
        ),
      )} | ${ms(Math.max(...s.map((x) => x.ms)))} | ${s.filter((x) => x.attempts > 1).length} |`,
    );
  for (const k of kinds)
    row(
      k,
      f.samples.filter((s) => s.kind === k),
    );
  row("all", f.samples);
  const near = f.samples.filter((s) => s.at >= f.kill.killedAt && s.at <= f.kill.back + 5000);
  row("ending while the node was down (and 5 s after)", near);
  const statuses = new Map<string, number>();
  for (const s of f.samples)
    statuses.set(
      `${s.status}${s.code ? ` ${s.code}` : ""}`,
      (statuses.get(`${s.status}${s.code ? ` ${s.code}` : ""}`) ?? 0) + 1,
    );
  const nginxRetried = f.proxied.filter((p) => p.upstreams.includes(",")).length;
  const nginx502 = f.proxied.filter((p) => p.status === 502).length;
  const inferred = f.ledger.saves.filter((s) => s.inferred).length;
  lines.push(
    "",
    `Throughput: ${(f.samples.length / f.rushSeconds).toFixed(0)} requests/s over ${f.rushSeconds.toFixed(0)} s (${f.samples.length} requests; ${f.ledger.saves.length} saves, ${f.ledger.evidence.length} evidence files, ${f.ledger.submitted.length} submissions acknowledged).`,
    `Replies: ${[...statuses]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} × ${n}`)
      .join(", ")}.`,
    `Proxy: nginx passed ${f.proxied.length} requests, ${nginxRetried} of them to a second node after the first failed, ${nginx502} answered 502 to the client; client retries: ${[...f.retries].map(([k, n]) => `${k} × ${n}`).join(", ") || "none"}.`,
    `Saves acknowledged as 409 CONFLICT showing the save itself (an earlier try was applied): ${inferred}.`,
    `Afterwards: ${f.checks.cells} values in the database, ${f.checks.savesFound} acknowledged saves each found once (revision and audit entry), ${f.checks.evidenceFound} evidence files, ${f.checks.submittedUnits} units submitted; the office approved ${f.approved} values and scored (${f.scored ? "201" : "FAILED"}) in ${f.officeSeconds.toFixed(1)} s; audit chain ${f.audit.ok ? "verified" : "BROKEN"} (${f.audit.entries} entries); 5xx in the nodes' logs: ${f.serverErrors.length}.`,
    `Checks: ${f.checks.problems.length === 0 ? "all passed" : `${f.checks.problems.length} FAILED`}.`,
  );
  for (const p of f.checks.problems.slice(0, 20)) lines.push(`- ${p}`);
  const text = lines.join("\n");
  console.log(text);
  const mode = f.seconds < 120 ? "short" : "full";
  const path = fileURLToPath(new URL("../../docs/reliability-rush.md", import.meta.url));
  const doc = readFileSync(path, "utf8");
  const begin = `<!-- rush:${mode}:begin -->`;
  const end = `<!-- rush:${mode}:end -->`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) writeFileSync(path, `${doc.slice(0, i + begin.length)}\n${text}\n${doc.slice(j)}`);
  return f.checks.problems.length > 0 || !f.audit.ok || !f.scored;
}
