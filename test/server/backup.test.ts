import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/engine/index.js";
import {
  BACKED_UP_TABLES,
  backup,
  EXCLUDED_TABLES,
  RestoreError,
  readTables,
  restore,
} from "../../src/server/db/backup.js";
import { type Database, resultRows } from "../../src/server/db/client.js";
import {
  organisations,
  plans,
  planVersions,
  reportedValues,
  scoringRuns,
} from "../../src/server/db/schema/index.js";
import { seedExampleDemo } from "../../src/server/demo.js";
import { bootstrapAdministrators } from "../../src/server/modules/accounts/bootstrap.js";
import { appendAudit, verifyAuditChain } from "../../src/server/modules/audit/service.js";
import { runInputs, storedInputs } from "../../src/server/modules/runs/inputs.js";
import { testAuditKey, testDatabase } from "../helpers/database.js";

const dir = mkdtempSync(join(tmpdir(), "kaohe-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("backup and restore", () => {
  it("covers every table of the schema, or leaves it out on purpose", async () => {
    const database = await testDatabase();
    const tables = resultRows<{ table_name: string }>(
      await database.db.execute(
        sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      ),
    ).map((r) => r.table_name);
    expect([...BACKED_UP_TABLES, ...EXCLUDED_TABLES].sort()).toEqual(tables);
    await database.close();
  });

  it("round-trips: a restored database holds exactly what was backed up, and its audit chain verifies", async () => {
    const source = await testDatabase();
    await bootstrapAdministrators(source.db);
    const [org] = await source.db
      .insert(organisations)
      .values({ code: "kjj", name: "市科技局", kind: "department" })
      .returning();
    await source.db
      .insert(organisations)
      .values({ code: "kjj-1", name: "科技局下属", kind: "office", parentId: org!.id });
    const [plan] = await source.db.insert(plans).values({ code: "p", name: "方案" }).returning();
    const [version] = await source.db
      .insert(planVersions)
      .values({
        planId: plan!.id,
        version: 1,
        document: { format: "kaohe-plan/1", 名称: "示例" },
        unitCodes: ["kjj"],
        periodKey: "2022",
      })
      .returning();
    await source.db.insert(reportedValues).values({
      planVersionId: version!.id,
      unitCode: "kjj",
      indicator: "A1",
      period: "2022",
      value: 2.87,
      note: "R&D/GDP 2.87%",
    });
    await appendAudit(source.db, {
      actor: "tester",
      action: "test",
      entity: "x",
      after: { 中文: "可以", n: 0.1 },
    });
    const before = await readTables(source.db);
    const data = await backup(source.db);
    await source.close();

    const target = await testDatabase(); // empty and migrated (a new database, or the shared one wiped)
    const { rows } = await restore(target.db, data);
    expect(rows).toBe(Object.values(before).reduce((n, t) => n + t.length, 0));
    expect(await readTables(target.db)).toEqual(before);
    expect((await verifyAuditChain(target.db)).ok).toBe(true);
    // new entries continue the restored chain
    await appendAudit(target.db, { actor: "tester", action: "after-restore", entity: "x" });
    expect(await verifyAuditChain(target.db)).toMatchObject({
      ok: true,
      entries: before.audit_log!.length + 1,
    });

    // restoring into a database that is not empty is refused, and writes nothing
    await expect(restore(target.db, data)).rejects.toThrow(RestoreError);
    await expect(restore(target.db, gzipSync("{}"))).rejects.toThrow(/unknown backup format/);
    await expect(restore(target.db, Buffer.from("nope"))).rejects.toThrow(/not a kaohe backup/);
    await target.close();
  });

  it("kaohe backup and kaohe restore move a database's content between PGlite data directories", async () => {
    const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
    const run = (dataDir: string, ...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], {
        encoding: "utf8",
        env: {
          ...process.env,
          KAOHE_DATA_DIR: dataDir,
          DATABASE_URL: "",
          KAOHE_LANG: "en",
          // The key that wrote the trail (the library, here): a restored trail verifies only with it.
          KAOHE_AUDIT_KEY: testAuditKey,
        },
        timeout: 60_000,
      });
    // A populated backup made with the library, restored by the command into a fresh directory.
    const source = await testDatabase();
    await bootstrapAdministrators(source.db);
    const seeded = join(dir, "seeded.backup");
    writeFileSync(seeded, await backup(source.db));
    await source.close();
    // One empty, migrated data directory, copied for each restore: much cheaper than a new initdb each.
    const empty = join(dir, "empty");
    const migrated = run(empty, "db", "migrate");
    expect(migrated.status, migrated.stderr).toBe(0);
    const fresh = (name: string) => {
      cpSync(empty, join(dir, name), { recursive: true });
      return join(dir, name);
    };
    const b = fresh("b");
    const restored = run(b, "restore", seeded);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^restored \d+ rows; audit trail intact \(3 entries\)/);
    const again = run(b, "restore", seeded);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("restore needs an empty database");
    // ... then backed up by the command and restored into a third directory: the same content.
    const file = join(dir, "b.backup");
    const backed = run(b, "backup", file);
    expect(backed.status, backed.stderr).toBe(0);
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    const c = run(fresh("c"), "restore", file);
    expect(c.stdout).toBe(restored.stdout);
    // A file that is not a backup is refused before any database is opened: no data directory appears.
    writeFileSync(join(dir, "broken"), "x");
    const broken = run(join(dir, "d"), "restore", join(dir, "broken"));
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain("not a kaohe backup file");
    writeFileSync(join(dir, "other"), gzipSync(JSON.stringify({ format: "other/1", tables: {} })));
    const other = run(join(dir, "d"), "restore", join(dir, "other"));
    expect(other.status).toBe(1);
    expect(other.stderr).toContain("unknown backup format other/1");
    expect(existsSync(join(dir, "d"))).toBe(false);
  });

  it("carries a run's gzipped inputs (inputs_gz) and restores a backup from before them (inputs as JSONB)", async () => {
    const source = await testDatabase();
    await seedExampleDemo(source.db); // scores the demo's run through the service
    const inputsOf = async (db: Database) =>
      Promise.all(
        (await db.select({ id: scoringRuns.id, ...storedInputs }).from(scoringRuns)).map(async (r) => ({
          id: r.id,
          gz: r.inputsGz !== null,
          // Awaited: the JSON of a promise is "{}", the same for every run, which would compare nothing.
          inputs: canonicalJson(await runInputs(r)),
        })),
      );
    const stored = await inputsOf(source.db);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((r) => r.gz)).toBe(true);
    const data = await backup(source.db);
    await source.close();

    const target = await testDatabase();
    await restore(target.db, data);
    expect(await inputsOf(target.db)).toEqual(stored);
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, runs: stored.length });
    await target.close();

    // The same backup as one made before migration 0031 would be: each run's inputs as JSON, no inputs_gz.
    const file = JSON.parse(gunzipSync(data).toString("utf8"));
    for (const run of file.tables.scoring_runs) {
      run.inputs = JSON.parse(gunzipSync(Buffer.from(run.inputs_gz.slice(2), "hex")).toString("utf8"));
      delete run.inputs_gz;
    }
    const older = await testDatabase();
    await restore(older.db, gzipSync(JSON.stringify(file)));
    expect(await inputsOf(older.db)).toEqual(stored.map((r) => ({ ...r, gz: false })));
    expect(await verifyAuditChain(older.db)).toMatchObject({ ok: true, runs: stored.length });
    await older.close();
  });
});
