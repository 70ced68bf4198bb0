import { constants } from "node:buffer";
import { once } from "node:events";
import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { PassThrough, Readable, type Writable } from "node:stream";
import { createGunzip, createGzip, gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { ENGINE_VERSION } from "../../engine/index.js";
import { crashPoint } from "../crash-point.js";
import { type Database, resultRows } from "./client.js";

/**
 * `kaohe-backup/2` (since issue 12's scale runs): gzipped JSON lines, written as the rows are read
 * through a cursor, so no table is ever one value or one string (format 1 read each table as one
 * `json_agg`: PostgreSQL caps a value at 1 GB and V8 a string at about 512 M characters, which 1.8 M
 * reported values already passed — docs/scale.md). Line 1 is the header object; then per table a
 * line `["table", name]` and one line per row, the row as PostgreSQL renders it (`row_to_json`, an
 * object); the last line `["end", { table: rows, … }]` says the file is whole. Rows are objects and
 * markers arrays, so no row can pass for a marker. Format 1 (one gzipped JSON document) still restores.
 */
export const BACKUP_FORMAT = "kaohe-backup/2";
export const BACKUP_FORMAT_1 = "kaohe-backup/1";
/** A line longer than this is refused, backing up and restoring: a line is held whole in memory to parse. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

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
  format: typeof BACKUP_FORMAT_1;
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

/** Every table read in one repeatable-read, read-only transaction: a consistent snapshot. */
const snapshot = <T>(db: Database, f: (tx: Database) => Promise<T>) =>
  db.transaction((tx) => f(tx as unknown as Database), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });

/**
 * A format 1 backup (one gzipped JSON document): what servers before format 2 wrote, kept so that the
 * tests can prove such files still restore. It holds each table as one value: small databases only.
 */
export async function backupFormat1(db: Database): Promise<Buffer> {
  const tables = await snapshot(db, readTables);
  const file: BackupFile = {
    format: BACKUP_FORMAT_1,
    engineVersion: ENGINE_VERSION,
    createdAt: new Date().toISOString(),
    tables,
  };
  return gzipSync(JSON.stringify(file));
}

/** A table's primary-key columns, for a stable order that an index gives (format 1 sorted whole rows). */
async function primaryKey(db: Database, table: string): Promise<string[]> {
  const rows = resultRows<{ name: string }>(
    await db.execute(sql`SELECT a.attname AS name FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = ${table}::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey::int2[], a.attnum)`),
  );
  return rows.map((r) => r.name);
}

/** Rows a page is aimed at: a page of small rows, or a few large ones (runs, PDFs), about 8 MB. */
const PAGE_BYTES = 8 * 1024 * 1024;
const PAGE_ROWS_MAX = 5000;

/**
 * Writes a format 2 backup of one snapshot as gzipped JSON lines to `out` (left open), each table read
 * through a cursor a page at a time; what was written, by table.
 */
export async function writeBackup(
  db: Database,
  out: Writable,
): Promise<{ rows: number; tables: Record<string, number> }> {
  const gzip = createGzip();
  gzip.pipe(out, { end: false });
  // A failing file (a full disk) fails the backup at its next write, rather than an unhandled error event.
  const failed = new Promise<never>((_, reject) => {
    gzip.once("error", reject);
    out.once("error", reject);
  });
  failed.catch(() => {});
  const ended = once(gzip, "end");
  ended.catch(() => {});
  const write = async (text: string) => {
    if (!gzip.write(text)) await Promise.race([once(gzip, "drain"), failed]);
  };
  const counts: Record<string, number> = {};
  let rows = 0;
  await snapshot(db, async (tx) => {
    await write(
      `${JSON.stringify({ format: BACKUP_FORMAT, engineVersion: ENGINE_VERSION, createdAt: new Date().toISOString(), tables: BACKED_UP_TABLES })}\n`,
    );
    for (const table of BACKED_UP_TABLES) {
      await write(`${JSON.stringify(["table", table])}\n`);
      const key = await primaryKey(tx, table);
      const order = key.length ? key.map((c) => `t.${quoteIdent(c)}`).join(", ") : "t";
      await tx.execute(
        sql.raw(`DECLARE backup_rows NO SCROLL CURSOR FOR
        SELECT row_to_json(t)::text AS j FROM ${quoteIdent(table)} t ORDER BY ${order}`),
      );
      let n = 0;
      let page = 1;
      for (;;) {
        const fetched = resultRows<{ j: string }>(
          await tx.execute(sql.raw(`FETCH ${page} FROM backup_rows`)),
        );
        if (fetched.length === 0) break;
        let bytes = 0;
        const lines: string[] = [];
        for (const { j } of fetched) {
          // A json (not jsonb) value keeps its own layout, newlines included: written again on one line.
          const line = j.includes("\n") ? JSON.stringify(JSON.parse(j)) : j;
          if (line.length > MAX_LINE_BYTES / 3 && Buffer.byteLength(line) > MAX_LINE_BYTES)
            throw new Error(
              `backup: a row of ${table} is ${Buffer.byteLength(line)} bytes as JSON, more than a line may hold (${MAX_LINE_BYTES}); back this database up with PostgreSQL's own tools (docs/deployment.md)`,
            );
          bytes += line.length;
          lines.push(line);
        }
        await write(`${lines.join("\n")}\n`);
        n += fetched.length;
        // The next page aimed at PAGE_BYTES by this page's rows (the first page is one row).
        page = Math.max(
          1,
          Math.min(PAGE_ROWS_MAX, Math.floor(PAGE_BYTES / Math.max(1, bytes / fetched.length))),
        );
      }
      await tx.execute(sql.raw("CLOSE backup_rows"));
      counts[table] = n;
      rows += n;
    }
    await write(`${JSON.stringify(["end", counts])}\n`);
  });
  gzip.end();
  await Promise.race([ended, failed]);
  return { rows, tables: counts };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A format 2 backup in memory (tests and small databases; `kaohe backup` writes to a file: backupToFile). */
export async function backup(db: Database): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on("data", (c: Buffer) => chunks.push(c));
  await writeBackup(db, sink);
  sink.end();
  return Buffer.concat(chunks);
}

/**
 * Writes a format 2 backup to `file`: into a temporary file beside it, flushed to disk, then renamed,
 * so the file named is a whole backup or the one before it (never a torn one).
 */
export async function backupToFile(db: Database, file: string): Promise<{ rows: number; bytes: number }> {
  const target = resolve(file);
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  try {
    const out = createWriteStream(temp);
    const { rows } = await writeBackup(db, out);
    out.end();
    await once(out, "finish");
    const fd = openSync(temp, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const bytes = out.bytesWritten;
    renameSync(temp, target);
    return { rows, bytes };
  } finally {
    rmSync(temp, { force: true });
  }
}

export class RestoreError extends Error {}

/** The start of a backup's JSON text, enough to tell its format without reading the rest. */
const FORMAT_AT_START = /^\s*\{\s*"format"\s*:\s*("(?:[^"\\]|\\.)*")/;

/**
 * The format a backup says it is, from its first bytes (unzipped as far as needed): undefined when it
 * is not gzip or does not begin as a kaohe backup does.
 */
export async function backupFormat(input: Readable): Promise<string | undefined> {
  const gunzip = createGunzip();
  input.pipe(gunzip);
  let head = "";
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      head += chunk.toString("latin1");
      if (head.length >= 4096) break;
    }
  } catch {
    return undefined;
  } finally {
    input.unpipe(gunzip);
    gunzip.destroy();
    input.destroy();
  }
  const m = FORMAT_AT_START.exec(head);
  return m ? (JSON.parse(m[1] as string) as string) : undefined;
}

export interface RestoreOptions {
  /**
   * Runs inside the restore's transaction once every row is in, before it commits: what it throws
   * undoes the whole restore (the command verifies the restored audit trail here).
   */
  beforeCommit?: (tx: Database) => Promise<void>;
}

/** Restores a backup (either format) held in memory: see restoreFrom. */
export async function restore(
  db: Database,
  data: Buffer,
  options: RestoreOptions = {},
): Promise<{ rows: number }> {
  return restoreFrom(db, () => Readable.from([data]), options);
}

/** Restores a backup file (either format), read as a stream. */
export async function restoreFile(
  db: Database,
  file: string,
  options: RestoreOptions = {},
): Promise<{ rows: number }> {
  return restoreFrom(db, () => createReadStream(file), options);
}

/**
 * Restores a backup into an empty, migrated database, all or nothing (one transaction). The audit trail
 * is copied verbatim (its chaining trigger is paused for the copy only) and must verify afterwards.
 * `open` gives the backup's bytes from the start (called twice: once for its format).
 */
export async function restoreFrom(
  db: Database,
  open: () => Readable,
  options: RestoreOptions = {},
): Promise<{ rows: number }> {
  const format = await backupFormat(open());
  if (format === undefined) throw new RestoreError("not a kaohe backup file (expected gzipped JSON)");
  if (format === BACKUP_FORMAT_1) return restoreFormat1(db, await readAll(open()), options);
  if (format !== BACKUP_FORMAT) throw new RestoreError(`unknown backup format ${format}`);
  return restoreFormat2(db, open(), options);
}

async function readAll(input: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Refuses a database with any row in it: restore needs an empty one. */
async function assertEmpty(tx: Database) {
  for (const table of [...BACKED_UP_TABLES, ...EXCLUDED_TABLES]) {
    const count = resultRows<{ n: number }>(
      await tx.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`)),
    )[0]?.n;
    if (Number(count) > 0)
      throw new RestoreError(
        `the database is not empty (table ${table} has rows); restore needs an empty database`,
      );
  }
}

/** After the copy: the chain's trigger back on, its sequence past the restored entries. */
async function endCopy(tx: Database) {
  await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain`);
  await tx.execute(
    sql`SELECT setval('audit_log_seq', greatest((SELECT max(seq) FROM audit_log), 1), (SELECT count(*) > 0 FROM audit_log))`,
  );
}

const insertRows = (tx: Database, table: string, json: string) =>
  tx.execute(
    sql`INSERT INTO ${sql.identifier(table)} SELECT * FROM json_populate_recordset(null::${sql.identifier(table)}, ${json}::json)`,
  );

async function restoreFormat1(
  db: Database,
  data: Buffer,
  options: RestoreOptions,
): Promise<{ rows: number }> {
  let file: BackupFile;
  // Node decodes no more bytes than this into one string, so no format 1 file past it ever restored:
  // unzipping stops there, not at a gzip bomb's end (zlib's default bound is 4 GiB, held twice over).
  const maxBytes = constants.MAX_STRING_LENGTH;
  try {
    file = JSON.parse(gunzipSync(data, { maxOutputLength: maxBytes }).toString("utf8")) as BackupFile;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw new RestoreError(
        `the format 1 backup inflates to more than ${maxBytes} bytes, more than Node reads as one string (no such file ever restored)`,
      );
    throw new RestoreError("not a kaohe backup file (expected gzipped JSON)");
  }
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
    await assertEmpty(tx as unknown as Database);
    await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain`);
    for (const table of BACKED_UP_TABLES) {
      const tableRows = file.tables[table]!;
      if (tableRows.length > 0) {
        await insertRows(tx as unknown as Database, table, JSON.stringify(tableRows));
        rows += tableRows.length;
      }
      crashPoint(`restore:${table}`);
    }
    await endCopy(tx as unknown as Database);
    await options.beforeCommit?.(tx as unknown as Database);
  });
  return { rows };
}

/** Rows sent to the database at a time: one statement per batch. */
const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_ROWS = 10_000;

/**
 * The lines of gzipped text, one by one with their number (from 1), each at most MAX_LINE_BYTES; the
 * bytes are cut at newlines undecoded (a newline byte is never inside a UTF-8 character).
 */
async function* lines(input: Readable): AsyncGenerator<{ n: number; text: string }> {
  const gunzip = createGunzip();
  input.pipe(gunzip);
  let carried: Buffer[] = [];
  let carriedBytes = 0;
  let n = 0;
  const tooLong = () =>
    new RestoreError(`line ${n + 1} of the backup is longer than ${MAX_LINE_BYTES} bytes`);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let from = 0;
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, from)) {
        if (carriedBytes + at - from > MAX_LINE_BYTES) throw tooLong();
        const own = chunk.subarray(from, at);
        const text = carried.length
          ? Buffer.concat([...carried, own]).toString("utf8")
          : own.toString("utf8");
        carried = [];
        carriedBytes = 0;
        n++;
        yield { n, text };
        from = at + 1;
      }
      if (from < chunk.length) {
        carriedBytes += chunk.length - from;
        if (carriedBytes > MAX_LINE_BYTES) throw tooLong();
        carried.push(chunk.subarray(from));
      }
    }
  } catch (e) {
    if (e instanceof RestoreError) throw e;
    throw new RestoreError(`the backup is not whole gzip after line ${n} (${(e as Error).message})`);
  } finally {
    input.unpipe(gunzip);
    gunzip.destroy();
  }
  if (carriedBytes > 0) throw new RestoreError(`the backup ends inside line ${n + 1} (cut short)`);
}

/** Tables a row of which may point at another row of the same table (loaded in one statement, see below). */
async function selfReferencing(tx: Database): Promise<Set<string>> {
  const rows = resultRows<{ name: string }>(
    await tx.execute(sql`SELECT DISTINCT conrelid::regclass::text AS name FROM pg_constraint
      WHERE contype = 'f' AND conrelid = confrelid`),
  );
  return new Set(rows.map((r) => r.name.replace(/^public\./, "").replaceAll('"', "")));
}

async function restoreFormat2(
  db: Database,
  input: Readable,
  options: RestoreOptions,
): Promise<{ rows: number }> {
  const source = lines(input);
  try {
    return await restoreLines(db, source, options);
  } finally {
    // A refusal before the last line (a database not empty, a bad header or row) would leave the file
    // open: the lines are not always read to their end, and returning them does not close the input.
    await source.return(undefined);
    input.destroy();
  }
}

async function restoreLines(
  db: Database,
  source: AsyncGenerator<{ n: number; text: string }>,
  options: RestoreOptions,
): Promise<{ rows: number }> {
  let rows = 0;
  await db.transaction(async (t) => {
    const tx = t as unknown as Database;
    await assertEmpty(tx);
    // A foreign key is checked at the end of each statement: a table whose rows point at each other
    // (an organisation's parent) is gathered in a staging table and inserted in one statement.
    const staged = await selfReferencing(tx);
    await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain`);
    const first = await source.next();
    let header: unknown;
    try {
      header = first.done ? undefined : JSON.parse(first.value.text);
    } catch {
      header = undefined;
    }
    if ((header as { format?: unknown } | undefined)?.format !== BACKUP_FORMAT)
      throw new RestoreError("line 1: not the header of a kaohe-backup/2 file");
    const expected = [...BACKED_UP_TABLES] as string[];
    let table: string | undefined;
    let tableLine = 0;
    let tableRows = 0;
    let batch: string[] = [];
    let batchBytes = 0;
    let batchFrom = 0;
    const done: string[] = [];
    const loaded: Record<string, number> = {};
    let end: Record<string, unknown> | undefined;
    const flush = async (to: number) => {
      if (!table || batch.length === 0) return;
      const into = staged.has(table) ? "backup_stage" : table;
      try {
        await insertRows(tx, into, `[${batch.join(",")}]`);
      } catch (e) {
        throw new RestoreError(
          `table ${table}, lines ${batchFrom}–${to} of the backup: ${(e as { cause?: Error }).cause?.message ?? (e as Error).message}`,
        );
      }
      batch = [];
      batchBytes = 0;
    };
    const finishTable = async (at: number) => {
      if (!table) return;
      await flush(at);
      if (staged.has(table)) {
        await tx.execute(sql.raw(`INSERT INTO ${quoteIdent(table)} SELECT * FROM backup_stage`));
        await tx.execute(sql.raw("DROP TABLE backup_stage"));
      }
      rows += tableRows;
      loaded[table] = tableRows;
      done.push(table);
      crashPoint(`restore:${table}`);
      table = undefined;
    };
    for await (const { n, text } of source) {
      if (end) throw new RestoreError(`line ${n}: more after the end of the backup`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new RestoreError(
          `line ${n}${table ? ` (table ${table})` : ""}: not JSON (${(e as Error).message})`,
        );
      }
      if (Array.isArray(value)) {
        await finishTable(n - 1);
        const [kind, arg] = value as [unknown, unknown];
        if (kind === "table") {
          const next = expected[done.length];
          if (next === undefined || arg !== next)
            throw new RestoreError(
              `line ${n}: table ${String(arg)} where the backup should have ${next ?? "ended"}`,
            );
          table = next;
          tableLine = n;
          tableRows = 0;
          if (staged.has(table))
            await tx.execute(
              sql.raw(`CREATE TEMP TABLE backup_stage (LIKE ${quoteIdent(table)}) ON COMMIT DROP`),
            );
        } else if (kind === "end" && arg && typeof arg === "object") end = arg as Record<string, unknown>;
        else throw new RestoreError(`line ${n}: not a row and not a marker of the backup`);
        continue;
      }
      if (!table) throw new RestoreError(`line ${n}: a row outside any table`);
      if (!value || typeof value !== "object")
        throw new RestoreError(`line ${n} (table ${table}): not a row (a row is a JSON object)`);
      if (batch.length === 0) batchFrom = n;
      batch.push(text);
      batchBytes += text.length;
      tableRows++;
      if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_ROWS) await flush(n);
    }
    if (!end)
      throw new RestoreError(
        `the backup is cut short: it ends ${table ? `in table ${table} (from line ${tableLine})` : "between tables"}, without its end line`,
      );
    if (done.length !== expected.length)
      throw new RestoreError(`the backup has no table ${expected[done.length]}`);
    for (const t of expected)
      if (Number(end[t]) !== loaded[t])
        throw new RestoreError(
          `table ${t}: ${loaded[t]} rows in the backup, its end line says ${String(end[t])}`,
        );
    await endCopy(tx);
    await options.beforeCommit?.(tx);
  });
  return { rows };
}
