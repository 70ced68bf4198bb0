import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/server/db/client.js";
import { setAuditKey } from "../../src/server/modules/audit/service.js";

/** The audit key of the test processes (as KAOHE_AUDIT_KEY gives one to an app process). */
export const testAuditKey = "test-audit-key-0123456789abcdef0123456789abcdef";
setAuditKey(Buffer.from(testAuditKey, "utf8"));

/**
 * A fresh, migrated database for one test file. With TEST_DATABASE_URL (a PostgreSQL server), each
 * call creates its own database and drops it on close. Otherwise all server test files share one
 * in-memory PGlite (a new one costs seconds and hundreds of MB), wiped and migrated again per call.
 */
let shared: Promise<DatabaseHandle> | undefined;

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

export async function testDatabase(): Promise<DatabaseHandle> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `kaohe_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ databaseUrl: url.toString() });
    await handle.migrate();
    return {
      ...handle,
      close: async () => {
        await handle.close();
        const drop = new pg.Client({ connectionString: adminUrl });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await drop.end();
      },
    };
  }
  shared ??= openDatabase({});
  const handle = await shared;
  await handle.db.execute(sql`DROP SCHEMA IF EXISTS drizzle CASCADE`);
  await handle.db.execute(sql`DROP SCHEMA public CASCADE`);
  await handle.db.execute(sql`CREATE SCHEMA public`);
  await handle.migrate();
  // The shared instance stays open for the next test file.
  return { ...handle, close: async () => {} };
}
