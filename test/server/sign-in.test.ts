import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { defaultSecurity, type SecuritySettings } from "../../src/server/config.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { auditLog, signInThrottles, users } from "../../src/server/db/schema/index.js";
import { hashPassword } from "../../src/server/modules/accounts/passwords.js";
import { type Client, signIn, TEST_PASSWORD } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";

let database: DatabaseHandle;
let app: FastifyInstance;
let limited: FastifyInstance;
let security: Client;
let clock = Date.parse("2026-03-02T08:00:00Z");
const settings: SecuritySettings = {
  ...defaultSecurity,
  idleTimeoutMs: 1e12,
  sessionLifetimeMs: 1e12,
  throttleAfter: 5,
  throttleBaseMs: 60_000,
  throttleMaxMs: 10 * 60_000,
  accountThrottleAfter: 8,
  accountThrottleMs: 5_000,
  loginsPerMinute: 1000,
};

beforeAll(async () => {
  database = await testDatabase();
  const now = () => new Date(clock);
  app = await buildApp({ database, security: settings, now });
  // The same service with the shipped per-address limit, on the same database.
  limited = await buildApp({ database, security: { ...settings, loginsPerMinute: 12 }, now });
  security = await signIn(app, database.db, "security.admin", ["security_admin"]);
});
afterAll(async () => {
  await app.close();
  await limited.close();
  await database.close();
});

async function account(username: string): Promise<string> {
  const [u] = await database.db
    .insert(users)
    .values({
      username,
      displayName: username,
      passwordHash: await hashPassword(TEST_PASSWORD),
      mustChangePassword: false,
    })
    .returning({ id: users.id });
  return u!.id;
}
const login = (username: string, password: string, ip: string, on = app) =>
  on.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password },
    remoteAddress: ip,
  });
const statuses = (answers: { statusCode: number }[]) => {
  const count: Record<number, number> = {};
  for (const a of answers) count[a.statusCode] = (count[a.statusCode] ?? 0) + 1;
  return count;
};

describe("sign-in throttling holds for parallel requests", () => {
  it("40 wrong passwords at once from one address: only the first five are tried, then the address waits", async () => {
    await account("audit.chief");
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, k) => login("audit.chief", `wrong-${k}`, "10.1.0.1")),
    );
    expect(statuses(answers)).toEqual({ 401: 5, 429: 35 });
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(refused.json()).toMatchObject({ code: "SIGN_IN_THROTTLED", retryAfter: 60 });
    // The right password from that address waits as well: the throttle is not a hint that it is right.
    expect((await login("audit.chief", TEST_PASSWORD, "10.1.0.1")).statusCode).toBe(429);
    // ... while the owner elsewhere is not held back by these failures.
    expect((await login("audit.chief", TEST_PASSWORD, "10.1.0.2")).statusCode).toBe(200);
    // A second burst from the first address gets nothing through either.
    const again = await Promise.all(
      Array.from({ length: 15 }, (_, k) => login("audit.chief", `again-${k}`, "10.1.0.1")),
    );
    expect(statuses(again)).toEqual({ 429: 15 });
  });

  it("the per-address limit lets exactly loginsPerMinute attempts through, however many arrive at once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, k) => login(`guess${k}`, "x", "10.2.0.1", limited)),
    );
    expect(statuses(answers)).toEqual({ 401: 12, 429: 28 });
    expect(answers.find((a) => a.statusCode === 429)!.json().code).toBe("TOO_MANY_LOGINS");
    clock += 60_000;
    expect((await login("guess0", "x", "10.2.0.1", limited)).statusCode).toBe(401);
  });
});

describe("sign-in under a mixed crowd", () => {
  it("right and wrong passwords from many addresses at once, with an unlock among them: no 500", async () => {
    const id = await account("mixed.chief");
    const answers = await Promise.all([
      ...Array.from({ length: 36 }, (_, k) =>
        login("mixed.chief", k % 3 === 0 ? TEST_PASSWORD : `wrong-${k}`, `10.6.0.${k % 6}`),
      ),
      security.request("POST", `/api/v1/users/${id}/unlock`),
      security.request("POST", `/api/v1/users/${id}/unlock`),
    ]);
    const codes = Object.keys(statuses(answers)).map(Number);
    expect(
      codes.every((c) => [200, 401, 429].includes(c)),
      JSON.stringify(statuses(answers)),
    ).toBe(true);
  });
});

describe("no anonymous caller can keep an account out", () => {
  it("an address's waits double after each further failure, up to the longest wait", async () => {
    await account("sec.chief");
    expect((await login("sec.chief", TEST_PASSWORD, "10.3.0.9")).statusCode).toBe(200);
    for (let k = 0; k < 5; k++) expect((await login("sec.chief", "wrong", "10.3.0.1")).statusCode).toBe(401);
    const waits: number[] = [];
    for (let round = 0; round < 6; round++) {
      const held = await login("sec.chief", "wrong", "10.3.0.1");
      expect(held.statusCode).toBe(429);
      const wait = held.json().retryAfter as number;
      expect(held.headers["retry-after"]).toBe(String(wait));
      waits.push(wait);
      clock += (wait - 1) * 1000;
      expect((await login("sec.chief", "wrong", "10.3.0.1")).statusCode).toBe(429); // a second early
      clock += 1000;
      expect((await login("sec.chief", "wrong", "10.3.0.1")).statusCode).toBe(401);
    }
    expect(waits).toEqual([60, 120, 240, 480, 600, 600]);
    // The owner signs in from their own address at any time, and that does not free the guesser.
    expect((await login("sec.chief", TEST_PASSWORD, "10.3.0.9")).statusCode).toBe(200);
    expect((await login("sec.chief", "wrong", "10.3.0.1")).statusCode).toBe(429);
    // Nor does it hold back a new address: the owner's success ended the account's run of failures.
    expect((await login("sec.chief", TEST_PASSWORD, "10.3.0.8")).statusCode).toBe(200);
    // The right password from the throttled address, once its wait is over, ends its throttle.
    clock += 600_000;
    expect((await login("sec.chief", TEST_PASSWORD, "10.3.0.1")).statusCode).toBe(200);
    for (let k = 0; k < 5; k++) expect((await login("sec.chief", "wrong", "10.3.0.1")).statusCode).toBe(401);
  });

  it("guessing from many addresses: a modest account-wide wait for new addresses, none for known ones", async () => {
    await account("sys.chief");
    expect((await login("sys.chief", TEST_PASSWORD, "10.4.0.100")).statusCode).toBe(200);
    clock += 60_000;
    for (let k = 1; k <= 8; k++)
      expect((await login("sys.chief", "wrong", `10.4.1.${k}`)).statusCode).toBe(401);
    const held = await login("sys.chief", TEST_PASSWORD, "10.4.2.1");
    expect(held.statusCode).toBe(429);
    expect(held.json().retryAfter).toBe(5);
    clock += 5_000;
    // After the account-wide wait, one attempt gets through, and the next waits again.
    expect((await login("sys.chief", "wrong", "10.4.1.9")).statusCode).toBe(401);
    expect((await login("sys.chief", TEST_PASSWORD, "10.4.2.1")).statusCode).toBe(429);
    // The owner's usual address is not held back at all.
    expect((await login("sys.chief", TEST_PASSWORD, "10.4.0.100")).statusCode).toBe(200);
    // Its success ends the run of failures, so a new address gets in too.
    expect((await login("sys.chief", TEST_PASSWORD, "10.4.2.1")).statusCode).toBe(200);
  });

  it("the security administrator sees a throttled account and lifts every throttle on it, audited", async () => {
    const id = await account("office.chief");
    for (let k = 0; k < 5; k++) await login("office.chief", "wrong", "10.5.0.1");
    const listed = await security.request("GET", "/api/v1/users?q=office.chief");
    expect(listed.json().items).toMatchObject([{ username: "office.chief", locked: true }]);
    const unlocked = await security.request("POST", `/api/v1/users/${id}/unlock`);
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json()).toMatchObject({ username: "office.chief", locked: false });
    expect(
      await database.db.select().from(signInThrottles).where(eq(signInThrottles.account, "office.chief")),
    ).toEqual([]);
    expect((await login("office.chief", "wrong", "10.5.0.1")).statusCode).toBe(401);
    const [entry] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.unlock"), eq(auditLog.entityId, id)));
    expect(entry).toMatchObject({
      actor: "security.admin",
      after: { username: "office.chief", via: "api" },
    });
    const throttled = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.throttled"), eq(auditLog.entityId, id)));
    expect(throttled[0]).toMatchObject({
      actor: "system",
      ip: "10.5.0.1",
      after: { scope: "address", failures: 5 },
    });
  });
});
