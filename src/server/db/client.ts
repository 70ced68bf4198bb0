import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
// pgcrypto gives the audit trail its SM3 chain (migration 0015).
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { AnyPgColumn as AnyColumn, PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { multiHostPool, parseHosts } from "./failover.js";
import { lockDataDir } from "./lock.js";
import { ADVISORY_LOCKS } from "./locks.js";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
/** The database, whichever back end: PGlite and node-postgres share drizzle's PostgreSQL API. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /** Applies the committed migrations (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** The project's root folder (where /drizzle and /examples are), found from the source or the compiled file alike. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "drizzle", "meta", "_journal.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("project root (with drizzle/) not found");
    dir = up;
  }
  return dir;
}

/** The committed migrations. */
export const migrationsFolder = (): string => join(projectRoot(), "drizzle");

/**
 * Opens PostgreSQL when a URL is given, else embedded PGlite in `dataDir` (locked to this process).
 * A URL naming several hosts (`postgres://db1:5432,db2:5432/kaohe`, as libpq and `pg_autoctl show uri`
 * write it) connects to whichever of them takes writes, and follows it after a failover (./failover.ts).
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string;
}): Promise<DatabaseHandle> {
  const migrationsFolderPath = migrationsFolder();
  if (options.databaseUrl) {
    const pool =
      parseHosts(options.databaseUrl).hosts.length > 1
        ? multiHostPool(options.databaseUrl, { max: 10 })
        : new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle connection dropped by the server (restart, failover, admin) must not crash the process:
    // the pool discards it and opens a new one on demand. Without a listener Node would throw.
    pool.on("error", () => {});
    // The same for a connection in use (checked out of the pool, e.g. in a transaction between two
    // queries) when its server dies: node-postgres fails its queries and then emits "error" on the
    // client, which with no listener would end the process. The pool closes such a client on release.
    pool.on("connect", (client) => client.on("error", () => {}));
    const db = drizzlePg(pool, { schema });
    return {
      db: db as unknown as Database,
      kind: "postgres",
      migrate: async () => {
        // Several app nodes may start at once on one database: without a lock each would see the same
        // migrations missing and apply them together (all but one then fail on the catalog's unique
        // keys). The first takes the lock and migrates; the others wait, then find nothing left to do.
        const client = await pool.connect();
        try {
          await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCKS.migrations]);
          try {
            await migratePg(db, { migrationsFolder: migrationsFolderPath });
          } finally {
            await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCKS.migrations]);
          }
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const release = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  try {
    const client = options.dataDir
      ? await PGlite.create(join(options.dataDir, "pgdata"), { extensions: { pgcrypto } })
      : await PGlite.create({ extensions: { pgcrypto } });
    const db = drizzlePglite(client, { schema });
    return {
      db: db as unknown as Database,
      kind: "pglite",
      migrate: () => migratePglite(db, { migrationsFolder: migrationsFolderPath }),
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** The rows of a raw `execute` result: both drivers answer `{ rows }`, which drizzle leaves untyped. */
export const resultRows = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** A timestamp as the API writes it (ISO 8601 in UTC with milliseconds, like `Date#toISOString`), in SQL. */
export const isoTimestamp = (column: SQL | AnyColumn): SQL =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
