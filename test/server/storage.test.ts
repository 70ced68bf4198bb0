import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, resultRows } from "../../src/server/db/client.js";
import { DataDirLockedError, lockDataDir } from "../../src/server/db/lock.js";
import { auditLog, userRoles, users } from "../../src/server/db/schema/index.js";
import { bootstrapAdministrators } from "../../src/server/modules/accounts/bootstrap.js";
import { verifyPassword } from "../../src/server/modules/accounts/passwords.js";
import { appendAudit, verifyAuditChain } from "../../src/server/modules/audit/service.js";
import { testDatabase, usingPostgres } from "../helpers/database.js";

let database: DatabaseHandle;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

describe(`storage on ${usingPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  it("migrations are idempotent", async () => {
    const tables = async () =>
      resultRows<{ table_name: string }>(
        await database.db.execute(
          sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
        ),
      ).map((r) => r.table_name);
    const before = await tables();
    await database.migrate();
    expect(await tables()).toEqual(before);
    expect(before).toEqual(
      expect.arrayContaining(["audit_log", "organisations", "sessions", "user_roles", "users"]),
    );
  });

  it("first start creates the three separate administrators once, with one-time passwords", async () => {
    const [first, second] = await Promise.all([
      bootstrapAdministrators(database.db),
      bootstrapAdministrators(database.db),
    ]);
    const created = [...first!, ...second!];
    expect(created.map((c) => c.username).sort()).toEqual(["auditadmin", "secadmin", "sysadmin"]);
    expect(await bootstrapAdministrators(database.db)).toEqual([]);
    const stored = await database.db.select().from(users);
    expect(stored).toHaveLength(3);
    const sys = stored.find((u) => u.username === "sysadmin")!;
    expect(sys.mustChangePassword).toBe(true);
    expect(sys.passwordHash).toMatch(/^\$argon2id\$/);
    const password = created.find((c) => c.username === "sysadmin")!.password;
    expect(await verifyPassword(sys.passwordHash, password)).toBe(true);
    expect(await verifyPassword(sys.passwordHash, `${password}x`)).toBe(false);
  });

  it("no account may hold two administrator roles (三员分立), nor an administrator and a business role", async () => {
    const [sys] = await database.db.select().from(users).where(sql`username = 'sysadmin'`);
    await expect(
      database.db.insert(userRoles).values({ userId: sys!.id, role: "audit_admin" }),
    ).rejects.toThrow();
    await expect(
      database.db.insert(userRoles).values({ userId: sys!.id, role: "office_staff" }),
    ).rejects.toThrow();
  });

  it("audit entries form a hash chain that verifies", async () => {
    await appendAudit(database.db, {
      actor: "tester",
      ip: "127.0.0.1",
      action: "value.update",
      entity: "value",
      entityId: "v1",
      before: { value: 1 },
      after: { value: 2, note: "更正" },
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        appendAudit(database.db, {
          actor: `writer${k}`,
          action: "test.append",
          entity: "test",
          after: { k },
        }),
      ),
    );
    const check = await verifyAuditChain(database.db);
    // Both back ends offer SM3 (pgcrypto), so every entry is chained in SM3 as well.
    expect(check).toMatchObject({ ok: true, entries: 24, sm3Entries: 24 });
    const entries = await database.db.select().from(auditLog).orderBy(auditLog.seq);
    for (let k = 1; k < entries.length; k++) expect(entries[k]!.prevHash).toBe(entries[k - 1]!.hash);
    expect(entries[0]!.prevHash).toBe("0".repeat(64));
    // The first SM3 link, recomputed here from the entry's text: SM3("0"x64 | text).
    const [first] = resultRows<{ text: string }>(
      await database.db.execute(sql`SELECT audit_log_entry_text(a) AS text FROM audit_log a WHERE seq = 1`),
    );
    expect(entries[0]!.hashSm3).toBe(
      createHash("sm3")
        .update(`${"0".repeat(64)}|${first!.text}`, "utf8")
        .digest("hex"),
    );
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, k) => k + 1)); // no gaps
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE on the audit trail", async () => {
    for (const statement of [
      sql`UPDATE audit_log SET actor = 'mallory'`,
      sql`DELETE FROM audit_log`,
      sql`TRUNCATE audit_log`,
    ]) {
      const error = await database.db.execute(statement).then(
        () => null,
        (e: Error) => e,
      );
      expect(String((error?.cause as Error | undefined)?.message ?? error?.message)).toMatch(/append-only/);
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("verification names the first altered entry, even when an owner bypasses the guard", async () => {
    await database.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
    // A forged SM3 link alone is caught by the SM3 chain ...
    await database.db.execute(sql`UPDATE audit_log SET hash_sm3 = repeat('a', 64) WHERE seq = 7`);
    expect(await verifyAuditChain(database.db)).toEqual({
      ok: false,
      entries: 24,
      brokenAt: 7,
      reason: "altered",
      algorithm: "SM3",
    });
    // ... and changed content by the SHA-256 one, at the first entry that breaks.
    await database.db.execute(sql`UPDATE audit_log SET after = '{"value": 3}' WHERE seq = 4`);
    await database.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
    expect(await verifyAuditChain(database.db)).toEqual({
      ok: false,
      entries: 24,
      brokenAt: 4,
      reason: "altered",
      algorithm: "SHA-256",
    });
  });
});

describe("the data directory lock", () => {
  const dir = mkdtempSync(join(tmpdir(), "kaohe-lock-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a directory held by a live process, and takes over a stale lock", async () => {
    const holder = spawn("sleep", ["30"]);
    try {
      writeFileSync(join(dir, "kaohe.lock"), String(holder.pid));
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    } finally {
      holder.kill();
    }
    await new Promise((r) => holder.once("exit", r));
    const release = lockDataDir(dir); // the holder is gone: its lock is stale
    release();
  });
});
