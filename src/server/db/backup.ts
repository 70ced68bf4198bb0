import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { ENGINE_VERSION } from "../../engine/index.js";
import { type Database, resultRows } from "./client.js";

export const BACKUP_FORMAT = "kaohe-backup/1";

/**
 * The tables a backup holds, parents before children. Sessions, sign-in attempts and throttles are
 * left out on purpose (restoring them would revive old cookies), jobs and the files of import jobs (work in
 * flight, not records) and the units' value stamps (derived: the restored values' trigger writes new ones),
 * e-mails waiting to be sent and the notifications' audit cursor (an app starting on the restored
 * database sets it at the trail's end, so the restored history notifies nobody again).
 * A test checks every table is
 * one or the other.
 */
export const BACKED_UP_TABLES = [
  "organisations",
  "users",
  "user_roles",
  "plans",
  "plan_versions",
  "reported_values",
  "reopenings",
  "scoring_runs",
  "scenarios",
  "publications",
  "portal_pages",
  "bulletins",
  "notice_pdfs",
  "objections",
  "objection_evidence",
  "evidence",
  "target_adjustments",
  "spot_checks",
  "spot_check_items",
  "expert_marks",
  "claims",
  "claim_evidence",
  "audit_log",
  "audit_seals",
  "notifications",
  "notification_addresses",
  "deadline_reminders",
] as const;
export const EXCLUDED_TABLES = [
  "sessions",
  "login_attempts",
  "sign_in_limits",
  "sign_in_throttles",
  "jobs",
  "import_files",
  "unit_value_stamps",
  "mail_outbox",
  "notification_cursor",
] as const;

interface BackupFile {
  format: typeof BACKUP_FORMAT;
  engineVersion: string;
  createdAt: string;
  tables: Record<string, unknown[]>;
}

/** Every backed-up table as PostgreSQL's own JSON rendering of its rows, in primary-key order. */
export async function readTables(db: Database): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of BACKED_UP_TABLES) {
    const result = await db.execute(
      sql.raw(`SELECT coalesce(json_agg(t ORDER BY t), '[]'::json) AS rows FROM ${table} t`),
    );
    const value = resultRows<{ rows: unknown }>(result)[0]?.rows;
    out[table] = (typeof value === "string" ? JSON.parse(value) : value) as unknown[];
  }
  return out;
}

/** A consistent snapshot: every table read in one repeatable-read, read-only transaction; gzipped JSON. */
export async function backup(db: Database): Promise<Buffer> {
  const tables = await db.transaction((tx) => readTables(tx), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
  const file: BackupFile = {
    format: BACKUP_FORMAT,
    engineVersion: ENGINE_VERSION,
    createdAt: new Date().toISOString(),
    tables,
  };
  return gzipSync(JSON.stringify(file));
}

export class RestoreError extends Error {}

/**
 * Restores a backup into an empty, migrated database, all or nothing. The audit trail is copied
 * verbatim (its chaining trigger is paused for the copy only) and must verify afterwards.
 */
export async function restore(db: Database, data: Buffer): Promise<{ rows: number }> {
  let file: BackupFile;
  try {
    file = JSON.parse(gunzipSync(data).toString("utf8")) as BackupFile;
  } catch {
    throw new RestoreError("not a kaohe backup file (expected gzipped JSON)");
  }
  if (file.format !== BACKUP_FORMAT) throw new RestoreError(`unknown backup format ${String(file.format)}`);
  // Backups from before migration 0021 have no keyed chain: restored without one (see beginKeyedChain).
  if (file.tables && !("audit_seals" in file.tables)) file.tables.audit_seals = [];
  // Backups from before migration 0025 have no portal pages: their publications stay off the portal.
  if (file.tables && !("portal_pages" in file.tables)) file.tables.portal_pages = [];
  // Backups from before migration 0027 have no what-if scenarios.
  if (file.tables && !("scenarios" in file.tables)) file.tables.scenarios = [];
  // Backups from before migration 0026 have no bulletins.
  if (file.tables && !("bulletins" in file.tables)) file.tables.bulletins = [];
  // Backups from before migration 0029 have no notice PDFs: they are made again when asked for.
  if (file.tables && !("notice_pdfs" in file.tables)) file.tables.notice_pdfs = [];
  for (const table of BACKED_UP_TABLES) {
    if (!Array.isArray(file.tables?.[table])) throw new RestoreError(`the backup has no table ${table}`);
  }
  let rows = 0;
  await db.transaction(async (tx) => {
    for (const table of [...BACKED_UP_TABLES, ...EXCLUDED_TABLES]) {
      const count = resultRows<{ n: number }>(
        await tx.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`)),
      )[0]?.n;
      if (Number(count) > 0)
        throw new RestoreError(
          `the database is not empty (table ${table} has rows); restore needs an empty database`,
        );
    }
    await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain`);
    for (const table of BACKED_UP_TABLES) {
      const tableRows = file.tables[table]!;
      if (tableRows.length === 0) continue;
      await tx.execute(
        sql`INSERT INTO ${sql.identifier(table)} SELECT * FROM json_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(tableRows)}::json)`,
      );
      rows += tableRows.length;
    }
    await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain`);
    await tx.execute(
      sql`SELECT setval('audit_log_seq', greatest((SELECT max(seq) FROM audit_log), 1), (SELECT count(*) > 0 FROM audit_log))`,
    );
  });
  return { rows };
}
