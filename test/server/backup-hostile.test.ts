import { constants } from "node:buffer";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BACKED_UP_TABLES,
  BACKUP_FORMAT_1,
  backup,
  backupFormat1,
  EXCLUDED_TABLES,
  MAX_LINE_BYTES,
  RestoreError,
  restore,
  restoreFile,
} from "../../src/server/db/backup.js";
import { type Database, resultRows } from "../../src/server/db/client.js";
import { seedExampleDemo } from "../../src/server/demo.js";
import { testDatabase } from "../helpers/database.js";

/** Counts of every table (backed up or not): a database left as it was has the same. */
const counts = async (db: Database) => {
  const out: Record<string, number> = {};
  for (const t of [...BACKED_UP_TABLES, ...EXCLUDED_TABLES])
    out[t] = resultRows<{ n: number }>(
      await db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${t}`)),
    )[0]!.n;
  return out;
};

/** A restore into an empty database refused with a RestoreError matching `message`, the database left empty. */
const refused = async (file: Buffer, message: RegExp) => {
  const target = await testDatabase();
  try {
    const empty = await counts(target.db);
    const error = await restore(target.db, file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RestoreError);
    expect((error as Error).message).toMatch(message);
    expect(await counts(target.db)).toEqual(empty);
  } finally {
    await target.close();
  }
};

/** Gzip members concatenated (gunzip reads them as one text): a small file that inflates hugely. */
const bomb = (head: string, filler: string, times: number, tail: string) => {
  const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, filler), { level: 9 });
  return Buffer.concat([gzipSync(head), ...Array.from({ length: times }, () => member), gzipSync(tail)]);
};

describe("restore, against hostile backup files", () => {
  let lines: string[];
  let format1: Buffer;
  const file = (ls: string[]) => gzipSync(`${ls.join("\n")}\n`);
  const at = (table: string) => lines.indexOf(JSON.stringify(["table", table]));

  beforeAll(async () => {
    const source = await testDatabase();
    await seedExampleDemo(source.db);
    const data = await backup(source.db);
    format1 = await backupFormat1(source.db);
    await source.close();
    lines = gunzipSync(data).toString("utf8").split("\n").slice(0, -1);
  }, 60_000);

  it("a forged marker: a table not in the list, a table twice, an end line in the middle", async () => {
    const users = at("users");
    const sessions = [...lines.slice(0, users), '["table","sessions"]', '{"id":"x"}', ...lines.slice(users)];
    await refused(
      file(sessions),
      new RegExp(`line ${users + 1}: table sessions where the backup should have users`),
    );
    const twice = [...lines.slice(0, users), '["table","organisations"]', ...lines.slice(users)];
    await refused(
      file(twice),
      new RegExp(`line ${users + 1}: table organisations where the backup should have users`),
    );
    const ended = [...lines.slice(0, users), lines.at(-1)!, ...lines.slice(users)];
    await refused(file(ended), new RegExp(`line ${users + 2}: more after the end of the backup`));
    await refused(
      file([...lines.slice(0, users), '["row",{}]']),
      new RegExp(`line ${users + 1}: not a row and not a marker`),
    );
  }, 120_000);

  it("a row that is JSON but not an object is refused naming its line and table", async () => {
    const rv = at("reported_values");
    for (const row of ["42", "null", '"text"', "true"]) {
      const wrong = [...lines.slice(0, rv + 1), row, ...lines.slice(rv + 1)];
      await refused(file(wrong), new RegExp(`line ${rv + 2} \\(table reported_values\\): not a row`));
    }
    // Before any table: named as such.
    await refused(file([lines[0]!, "{}", ...lines.slice(1)]), /line 2: a row outside any table/);
  }, 120_000);

  it("a row of the wrong JSON types for its table is refused naming the table and lines", async () => {
    const rv = at("reported_values");
    const row = JSON.parse(lines[rv + 1]!) as Record<string, unknown>;
    const wrong = [...lines];
    wrong[rv + 1] = JSON.stringify({ ...row, id: { not: "an id" } });
    await refused(file(wrong), new RegExp(`table reported_values, lines ${rv + 2}–`));
  }, 60_000);

  it("a database that is not empty is refused and left as it was", async () => {
    const target = await testDatabase();
    try {
      await seedExampleDemo(target.db);
      const seeded = await counts(target.db);
      await expect(restore(target.db, file(lines))).rejects.toThrow(
        /the database is not empty \(table \w+ has rows\)/,
      );
      await expect(restore(target.db, format1)).rejects.toThrow(/the database is not empty/);
      expect(await counts(target.db)).toEqual(seeded);
    } finally {
      await target.close();
    }
  }, 60_000);

  it("a format 2 gzip bomb (a line of 1 GiB from a file of about 1 MB) is refused at the line bound, quickly", async () => {
    const gz = bomb(`${lines[0]}\n["table","organisations"]\n{"pad":"`, " ", 16, '"}\n');
    expect(gz.length).toBeLessThan(2 * 1024 * 1024);
    const started = performance.now();
    await refused(gz, new RegExp(`line 3 of the backup is longer than ${MAX_LINE_BYTES} bytes`));
    expect(performance.now() - started).toBeLessThan(30_000);
    // Newlines: the first empty line is not JSON.
    await refused(bomb(`${lines[0]}\n`, "\n", 4, ""), /line 2: not JSON/);
  }, 120_000);

  it("a format 1 gzip bomb is refused once it inflates past what one string may hold, with a clear error", async () => {
    // 1 GiB of spaces inside the document: more bytes than Node decodes into one string.
    const gz = bomb(`{"format":"${BACKUP_FORMAT_1}","tables":{},"pad":"`, " ", 16, '"}');
    const started = performance.now();
    await refused(gz, new RegExp(`inflates to more than ${constants.MAX_STRING_LENGTH} bytes`));
    expect(performance.now() - started).toBeLessThan(30_000);
    // A format 1 file that is whole still restores.
    const target = await testDatabase();
    expect((await restore(target.db, format1)).rows).toBeGreaterThan(0);
    await target.close();
  }, 120_000);

  it("a refused restore of a file leaves no file open (a database not empty, a bad header, a bad row)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kaohe-hostile-"));
    const target = await testDatabase();
    try {
      const whole = join(dir, "whole");
      writeFileSync(whole, file(lines));
      const header = join(dir, "header");
      writeFileSync(header, file([lines[0]!.slice(0, -1), ...lines.slice(1)]));
      const row = join(dir, "row");
      const rv = at("reported_values");
      writeFileSync(row, file([...lines.slice(0, rv + 1), "42", ...lines.slice(rv + 1)]));
      const open = () => readdirSync("/proc/self/fd").length;
      const settle = () => new Promise((r) => setTimeout(r, 100));
      await settle();
      const before = open();
      for (const f of [header, row])
        for (let k = 0; k < 5; k++) await expect(restoreFile(target.db, f)).rejects.toThrow(RestoreError);
      await seedExampleDemo(target.db);
      for (let k = 0; k < 5; k++) await expect(restoreFile(target.db, whole)).rejects.toThrow(/not empty/);
      await settle();
      expect(open()).toBe(before);
    } finally {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
