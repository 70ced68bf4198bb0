import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { openDatabase } from "../../src/server/db/client.js";
import { auditLog, signInThrottles, users } from "../../src/server/db/schema/index.js";
import { hashPassword } from "../../src/server/modules/accounts/passwords.js";
import { TEST_PASSWORD } from "../helpers/accounts.js";
import { testAuditKey } from "../helpers/database.js";

// The built CLI (npm run build) on an embedded data directory of its own, whatever the suite targets.
const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
const dir = mkdtempSync(join(tmpdir(), "kaohe-users-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kaohe(lang: string, ...args: string[]) {
  // The audit key this process seals its entries with (test/helpers/database.ts), given to the CLI too.
  const env = {
    ...process.env,
    KAOHE_DATA_DIR: dir,
    KAOHE_LANG: lang,
    DATABASE_URL: "",
    KAOHE_AUDIT_KEY: testAuditKey,
  };
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, timeout: 90_000 });
}

/** Opens the data directory in this process (the CLI must not be running), runs f, closes it. */
async function withData<T>(f: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir: dir });
  try {
    return await f(database);
  } finally {
    await database.close();
  }
}

let id = "";
beforeAll(async () => {
  // The security administrator is throttled from two addresses by someone guessing.
  await withData(async (database) => {
    await database.migrate();
    const [u] = await database.db
      .insert(users)
      .values({
        username: "secadmin",
        displayName: "安全管理员",
        passwordHash: await hashPassword(TEST_PASSWORD),
        mustChangePassword: false,
      })
      .returning({ id: users.id });
    id = u!.id;
    const app = await buildApp({ database });
    for (const ip of ["10.7.0.1", "10.7.0.2"])
      for (let k = 0; k < 6; k++)
        await app.inject({
          method: "POST",
          url: "/api/v1/auth/login",
          payload: { username: "secadmin", password: "guess" },
          remoteAddress: ip,
        });
    const held = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "secadmin", password: TEST_PASSWORD },
      remoteAddress: "10.7.0.1",
    });
    expect(held.statusCode).toBe(429);
    await app.close();
  });
}, 120_000);

describe("kaohe users unlock NAME, on the server's own command line", () => {
  it("lifts every throttle on the account and records it in the audit trail as done from the command line", async () => {
    const r = kaohe("en", "users", "unlock", "secadmin");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "sign-in throttles on secadmin lifted (3 cleared); recorded in the audit trail",
    );
    await withData(async (database) => {
      expect(
        await database.db.select().from(signInThrottles).where(eq(signInThrottles.account, "secadmin")),
      ).toEqual([]);
      const [entry] = await database.db.select().from(auditLog).where(eq(auditLog.action, "user.unlock"));
      expect(entry).toMatchObject({
        entity: "user",
        entityId: id,
        ip: null,
        after: { username: "secadmin", via: "command line", throttlesCleared: 3 },
      });
      expect(entry!.actor).toMatch(/^command line \(.+\)$/);
      const app = await buildApp({ database });
      const back = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username: "secadmin", password: TEST_PASSWORD },
        remoteAddress: "10.7.0.1",
      });
      expect(back.statusCode).toBe(200);
      await app.close();
    });
    const verify = kaohe("en", "audit", "verify");
    expect(verify.status, verify.stderr).toBe(0);
  }, 120_000);

  it("an unknown account is an error in the user's language, and nothing is written", async () => {
    const zh = kaohe("zh-CN", "users", "unlock", "nobody");
    expect(zh.status).toBe(1);
    expect(zh.stderr.trim()).toBe("没有用户名为 nobody 的账号");
    const en = kaohe("en", "users", "unlock", "nobody");
    expect(en.status).toBe(1);
    expect(en.stderr.trim()).toBe("no account named nobody");
    await withData(async (database) => {
      expect(
        await database.db.select().from(auditLog).where(eq(auditLog.action, "user.unlock")),
      ).toHaveLength(1);
    });
  }, 120_000);

  it("help exits 0; a wrong use exits 2", () => {
    const help = kaohe("en", "users", "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("kaohe users unlock NAME");
    expect(kaohe("en", "users", "lock", "secadmin").status).toBe(2);
    expect(kaohe("en", "users", "unlock").status).toBe(2);
  });
});
