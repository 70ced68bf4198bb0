import { spawnSync } from "node:child_process";
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/engine/index.js";
import {
  BACKED_UP_TABLES,
  BACKUP_FORMAT,
  backup,
  backupFormat1,
  backupToFile,
  EXCLUDED_TABLES,
  MAX_LINE_BYTES,
  RestoreError,
  readTables,
  restore,
  restoreFile,
  writeBackup,
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
    await expect(restore(target.db, gzipSync('{"format":"kaohe-backup/9"}'))).rejects.toThrow(
      /unknown backup format kaohe-backup\/9/,
    );
    await expect(restore(target.db, gzipSync("{}"))).rejects.toThrow(/not a kaohe backup/);
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
    // An audit entry edited in the file: the trail is verified inside the restore's transaction, so the
    // command refuses it and nothing is left restored (the same directory then takes the good file).
    const lines = gunzipSync(readFileSync(seeded)).toString("utf8").split("\n");
    const trail = lines.indexOf(JSON.stringify(["table", "audit_log"]));
    const entry = JSON.parse(lines[trail + 1]!) as { action: string };
    lines[trail + 1] = JSON.stringify({ ...entry, action: `${entry.action}.edited` });
    const tampered = join(dir, "tampered.backup");
    writeFileSync(tampered, gzipSync(lines.join("\n")));
    const e = fresh("e");
    const refused = run(e, "restore", tampered);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("the backup's audit trail does not verify, nothing was restored");
    const afterRefusal = run(e, "restore", seeded);
    expect(afterRefusal.status, afterRefusal.stderr).toBe(0);
    expect(afterRefusal.stdout).toBe(restored.stdout);
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
    const format1 = await backupFormat1(source.db);
    await source.close();

    const target = await testDatabase();
    await restore(target.db, data);
    expect(await inputsOf(target.db)).toEqual(stored);
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, runs: stored.length });
    await target.close();

    // The same backup as one made before migration 0031 would be: each run's inputs as JSON, no inputs_gz.
    const file = JSON.parse(gunzipSync(format1).toString("utf8"));
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

  describe("format 2: gzipped JSON lines", () => {
    /** A small populated database: the demo (a run, its audit trail, organisations with parents). */
    let source: Awaited<ReturnType<typeof testDatabase>>;
    let before: Record<string, unknown[]>;
    let data: Buffer;
    const linesOf = (gz: Buffer) => gunzipSync(gz).toString("utf8").split("\n");
    /** Counts of every table (backed up or not): a database left as it was has the same. */
    const counts = async (db: Database) =>
      Object.fromEntries(
        await Promise.all(
          [...BACKED_UP_TABLES, ...EXCLUDED_TABLES].map(async (t) => [
            t,
            resultRows<{ n: number }>(await db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${t}`)))[0]!.n,
          ]),
        ),
      );
    /** A restore refused with `message`, and the target left empty. */
    const refused = async (file: Buffer, message: RegExp) => {
      const target = await testDatabase();
      const empty = await counts(target.db);
      await expect(restore(target.db, file)).rejects.toThrow(message);
      expect(await counts(target.db)).toEqual(empty);
      await target.close();
    };

    it("a header line, a marker per table, a line per row, an end line with the counts; restores whole", async () => {
      source = await testDatabase();
      await seedExampleDemo(source.db);
      before = await readTables(source.db);
      data = await backup(source.db);
      await source.close();
      const lines = linesOf(data);
      expect(lines.at(-1)).toBe(""); // every line ends with a newline
      const header = JSON.parse(lines[0]!);
      expect(header).toMatchObject({ format: BACKUP_FORMAT, tables: [...BACKED_UP_TABLES] });
      const markers = lines
        .slice(1, -1)
        .map((l) => JSON.parse(l))
        .filter(Array.isArray);
      expect(markers.map((m) => m[0])).toEqual([...BACKED_UP_TABLES.map(() => "table"), "end"]);
      expect(markers.at(-1)![1]).toEqual(
        Object.fromEntries(Object.entries(before).map(([t, r]) => [t, r.length])),
      );
      expect(lines.length).toBe(1 + BACKED_UP_TABLES.length + 1 + Object.values(before).flat().length + 1);

      const target = await testDatabase();
      const { rows } = await restore(target.db, data);
      expect(rows).toBe(Object.values(before).flat().length);
      expect(await readTables(target.db)).toEqual(before);
      expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, runs: 1 });
      await target.close();
    });

    it("written to a temporary file and renamed: the file is whole, nothing else is left", async () => {
      const db = await testDatabase();
      await seedExampleDemo(db.db);
      const sub = mkdtempSync(join(dir, "file-"));
      const file = join(sub, "kaohe.backup");
      const { rows, bytes } = await backupToFile(db.db, file);
      const seeded = await readTables(db.db);
      await db.close();
      expect(readdirSync(sub)).toEqual(["kaohe.backup"]);
      expect(statSync(file).size).toBe(bytes);
      expect(rows).toBe(Object.values(seeded).flat().length);
      const target = await testDatabase();
      await restoreFile(target.db, file);
      expect(await readTables(target.db)).toEqual(seeded);
      await target.close();
    });

    it("a file cut short, a broken row or a line too long is refused, naming the line and table, and restores nothing", async () => {
      const lines = linesOf(data);
      const at = lines.indexOf('["table","reported_values"]');
      expect(at).toBeGreaterThan(0);
      // Cut before the end line (and before a table): all or nothing, nothing restored.
      await refuseIt(lines.slice(0, -2), /cut short/);
      await refuseIt(lines.slice(0, at + 2), /cut short: it ends in table reported_values/);
      // The gzip itself cut short.
      await refused(data.subarray(0, data.length - 20), /not whole gzip|cut short/);
      // A row that is not JSON, and a row the table does not take.
      const broken = [...lines];
      broken[at + 1] = `${broken[at + 1]!.slice(0, -3)}`;
      await refuseIt(broken, new RegExp(`line ${at + 2} \\(table reported_values\\): not JSON`));
      const wrong = [...lines];
      wrong[at + 1] = JSON.stringify({
        ...JSON.parse(wrong[at + 1]!),
        plan_version_id: "00000000-0000-0000-0000-000000000000",
      });
      await refuseIt(wrong, new RegExp(`table reported_values, lines ${at + 2}–`));
      // A count that does not match the end line.
      const fewer = lines.filter((_, k) => k !== at + 1);
      await refuseIt(fewer, /table reported_values: \d+ rows in the backup, its end line says/);
      // A line longer than a line may be.
      const long = [
        ...lines.slice(0, at + 1),
        `{"note":"${"x".repeat(MAX_LINE_BYTES)}"}`,
        ...lines.slice(at + 1),
      ];
      await refuseIt(long, new RegExp(`line ${at + 2} of the backup is longer than ${MAX_LINE_BYTES} bytes`));
    }, 120_000);
    it.skipIf(!existsSync("/dev/full"))(
      "a file that cannot be written fails the backup (not a hang)",
      async () => {
        const db = await testDatabase();
        await seedExampleDemo(db.db);
        await expect(writeBackup(db.db, createWriteStream("/dev/full"))).rejects.toThrow(/ENOSPC/);
        await db.close();
      },
    );
    const refuseIt = (lines: string[], message: RegExp) =>
      refused(gzipSync(lines.join("\n") + (lines.at(-1) === "" ? "" : "\n")), message);
  });
});
