import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { type Role, separatedRoles, userRoles, users } from "../../src/server/db/schema/index.js";
import type { Client } from "../helpers/accounts.js";
import { usingPostgres } from "../helpers/database.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

let t: TestApp;
let database: DatabaseHandle;
let security: Client;

beforeAll(async () => {
  t = await testApp();
  ({ database } = t);
  security = await t.signIn("security.admin", ["security_admin"]);
});
afterAll(() => t.close());

let n = 0;
async function account(roles: Role[] = []): Promise<string> {
  const [u] = await database.db
    .insert(users)
    .values({ username: `account${++n}`, displayName: `账号${n}`, passwordHash: "x" })
    .returning({ id: users.id });
  if (roles.length)
    await database.db.insert(userRoles).values(roles.map((role) => ({ userId: u!.id, role })));
  return u!.id;
}
const rolesOf = async (id: string) =>
  (await database.db.select().from(userRoles).where(eq(userRoles.userId, id))).map((r) => r.role).sort();
const putRoles = (id: string, roles: Role[], lang = "zh-CN") =>
  security.request("PUT", `/api/v1/users/${id}/roles`, { roles }, { "accept-language": lang });

describe("administrators take no part in assessments", () => {
  it("the API refuses an administrator role beside business roles, naming them in both languages", async () => {
    const id = await account(["office_staff"]);
    const zh = await putRoles(id, ["audit_admin", "office_staff", "reviewer"]);
    expect(zh.statusCode).toBe(409);
    expect(zh.json()).toMatchObject({
      code: "ADMINISTRATOR_IN_ASSESSMENT",
      field: "roles",
      conflicting: ["audit_admin", "office_staff", "reviewer"],
      title:
        "管理员角色审计管理员（audit_admin）不能与业务角色考核办工作人员（office_staff）、审核人员（reviewer）兼任：管理员不参与考核业务",
    });
    const en = await putRoles(id, ["system_admin", "office_staff"], "en");
    expect(en.statusCode).toBe(409);
    expect(en.json().title).toBe(
      "the administrator role system_admin cannot be combined with the business roles office_staff: administrators take no part in assessments",
    );
    expect(await rolesOf(id)).toEqual(["office_staff"]);
    // Either kind alone is fine.
    expect((await putRoles(id, ["system_admin"])).statusCode).toBe(200);
    expect((await putRoles(id, ["office_staff", "reviewer"])).statusCode).toBe(200);
  });

  it("two administrator roles are refused with both named", async () => {
    const id = await account();
    const r = await putRoles(id, ["security_admin", "audit_admin"]);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({
      code: "SEPARATION_OF_DUTIES",
      conflicting: ["security_admin", "audit_admin"],
      title: "安全管理员（security_admin）、审计管理员（audit_admin）不能由同一账号兼任（三员分立）",
    });
  });

  it("the database itself refuses an administrator with a business role, either way round", async () => {
    const admin = await account(["audit_admin"]);
    await expect(database.db.insert(userRoles).values({ userId: admin, role: "reviewer" })).rejects.toThrow();
    const staff = await account(["unit_reporter"]);
    await expect(
      database.db.insert(userRoles).values({ userId: staff, role: "system_admin" }),
    ).rejects.toThrow();
    // In one statement, and by changing a granted role in place, too.
    const fresh = await account();
    await expect(
      database.db.insert(userRoles).values([
        { userId: fresh, role: "unit_leader" },
        { userId: fresh, role: "security_admin" },
      ]),
    ).rejects.toThrow();
    const leader = await account(["unit_leader", "unit_reporter"]);
    await expect(
      database.db
        .update(userRoles)
        .set({ role: "security_admin" })
        .where(sql`${userRoles.userId} = ${leader} AND ${userRoles.role} = 'unit_leader'`),
    ).rejects.toThrow();
    expect(await rolesOf(admin)).toEqual(["audit_admin"]);
    expect(await rolesOf(staff)).toEqual(["unit_reporter"]);
    expect(await rolesOf(fresh)).toEqual([]);
    expect(await rolesOf(leader)).toEqual(["unit_leader", "unit_reporter"]);
    // Business roles together, and one administrator role alone, are fine.
    await database.db.insert(userRoles).values({ userId: staff, role: "unit_leader" });
    await database.db.insert(userRoles).values({ userId: fresh, role: "security_admin" });
  });
});

describe.runIf(usingPostgres)("三员分立 under concurrency (PostgreSQL)", () => {
  it("concurrent transactions granting different administrator roles: the database lets one through", async () => {
    for (const pair of [
      ["system_admin", "security_admin", "audit_admin"],
      ["audit_admin", "office_staff", "reviewer"],
    ] as Role[][]) {
      const id = await account();
      const outcomes = await Promise.allSettled(
        pair.map((role) =>
          database.db.transaction(async (tx) => {
            await tx.insert(userRoles).values({ userId: id, role });
            // Hold the transaction open so that the others run their check before this one commits.
            await tx.execute(sql`SELECT pg_sleep(0.3)`);
          }),
        ),
      );
      const held = await rolesOf(id);
      expect(held.filter((r) => separatedRoles.includes(r)).length).toBeLessThanOrEqual(1);
      if (held.some((r) => separatedRoles.includes(r))) expect(held).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    }
  });

  it("three concurrent PUT /users/:id/roles per account, one administrator role each: no account ends with two, no 500", async () => {
    const ids = await Promise.all(Array.from({ length: 15 }, () => account()));
    const answers = await Promise.all(
      ids.flatMap((id) => separatedRoles.map((role) => putRoles(id, [role]))),
    );
    const statuses = answers.map((r) => r.statusCode);
    expect(
      statuses.filter((s) => s !== 200 && s !== 409),
      JSON.stringify(statuses),
    ).toEqual([]);
    const grants = await database.db.select().from(userRoles).where(inArray(userRoles.userId, ids));
    for (const id of ids) {
      const held = grants.filter((g) => g.userId === id && separatedRoles.includes(g.role));
      expect(held.length, `account ${id}: ${held.map((g) => g.role)}`).toBe(1);
    }
  });
});
