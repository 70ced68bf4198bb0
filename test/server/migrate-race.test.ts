import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/server/db/client.js";
import { usingPostgres } from "../helpers/database.js";

/**
 * Several app nodes started at once on one new database (a deploy that starts them together) all
 * migrate it at start: one applies the migrations, the others wait for it and find them applied. Here
 * four database handles, each with its own pool as each app node has, migrate at once; without the lock
 * two of three failed on the catalog's unique keys. PostgreSQL only: PGlite is one process per data directory.
 */
describe.runIf(usingPostgres)("migrations started by several app nodes at once", () => {
  const name = `kaohe_migrate_race_${process.pid}`;
  const adminUrl = process.env.TEST_DATABASE_URL as string;
  let url: URL;
  let admin: pg.Client;
  let handles: DatabaseHandle[] = [];

  beforeAll(async () => {
    url = new URL(adminUrl);
    url.pathname = `/${name}`;
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    for (const h of handles) await h.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it("each node's migrate() succeeds and every migration is applied once", async () => {
    handles = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ databaseUrl: url.toString() })));
    const outcomes = await Promise.allSettled(handles.map((h) => h.migrate()));
    expect(outcomes.map((o) => (o.status === "fulfilled" ? "ok" : String(o.reason)))).toEqual([
      "ok",
      "ok",
      "ok",
      "ok",
    ]);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT count(*)::int AS applied, count(DISTINCT hash)::int AS distinct FROM drizzle.__drizzle_migrations",
      );
      const journal = (await import("../../drizzle/meta/_journal.json", { with: { type: "json" } })).default;
      expect(rows[0]).toEqual({ applied: journal.entries.length, distinct: journal.entries.length });
      // The lock is released: another start migrates (nothing to do) without waiting.
      await handles[0]!.migrate();
    } finally {
      await client.end();
    }
  });
});
