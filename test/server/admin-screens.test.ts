import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../src/server/db/schema/index.js";
import { hashPassword } from "../../src/server/modules/accounts/passwords.js";
import { type Client, signInAs, TEST_PASSWORD } from "../helpers/accounts.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/** What the administration screens and the sign-in page stand on: a language per account, the password policy, editing units. */
let t: TestApp;
let sysadmin: Client;
let office: Client;
beforeAll(async () => {
  t = await testApp();
  sysadmin = await t.signIn("sys.admin", ["system_admin"]);
  office = await t.signIn("office.one", ["office_staff"]);
});
afterAll(() => t.close());

describe("the interface language, remembered per account", () => {
  it("is null until chosen, then returned by /auth/me and by the next sign-in, from anywhere", async () => {
    expect((await office.request("GET", "/api/v1/auth/me")).json().user.language).toBeNull();
    expect((await office.request("PUT", "/api/v1/auth/language", { language: "en" })).statusCode).toBe(204);
    expect((await office.request("GET", "/api/v1/auth/me")).json().user.language).toBe("en");
    // Another browser: the sign-in itself answers with the language chosen.
    const login = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "office.one", password: TEST_PASSWORD },
    });
    expect(login.json().user.language).toBe("en");
    // Only one's own: the other account is untouched.
    expect((await sysadmin.request("GET", "/api/v1/auth/me")).json().user.language).toBeNull();
  });

  it("refuses an unknown language and anonymous callers; the database refuses one too", async () => {
    const bad = await office.request("PUT", "/api/v1/auth/language", { language: "fr" });
    expect(bad.statusCode).toBe(400);
    const anonymous = await t.app.inject({
      method: "PUT",
      url: "/api/v1/auth/language",
      payload: { language: "en" },
    });
    expect(anonymous.statusCode).toBe(401);
    await expect(
      t.db.execute(sql`UPDATE users SET language = 'fr' WHERE username = 'office.one'`),
    ).rejects.toThrow();
  });

  it("may be set before the one-time password is changed (the first screen is in one's language)", async () => {
    await t.db.insert(users).values({
      username: "fresh.one",
      displayName: "fresh",
      passwordHash: await hashPassword(TEST_PASSWORD),
      mustChangePassword: true,
    });
    const fresh = await signInAs(t.app, "fresh.one", TEST_PASSWORD);
    expect((await fresh.request("GET", "/api/v1/plans")).statusCode).toBe(403);
    expect((await fresh.request("PUT", "/api/v1/auth/language", { language: "en" })).statusCode).toBe(204);
    // The policy the change must meet, too.
    expect((await fresh.request("GET", "/api/v1/auth/password-policy")).statusCode).toBe(200);
    expect((await fresh.request("GET", "/api/v1/auth/me")).json().user).toMatchObject({
      language: "en",
      mustChangePassword: true,
    });
  });
});

describe("the password policy, for the form to show as one types", () => {
  it("is served to anonymous callers and is the one the server enforces", async () => {
    const policy = await t.app.inject({ method: "GET", url: "/api/v1/auth/password-policy" });
    expect(policy.statusCode).toBe(200);
    expect(policy.json()).toEqual({ minLength: 12, minClasses: 3, notUsername: true });
    const short = await office.request("POST", "/api/v1/auth/password", {
      current: TEST_PASSWORD,
      next: "Ab1!",
    });
    expect(short.json()).toMatchObject({ code: "WEAK_PASSWORD", field: "next" });
  });
});

describe("editing an organisation", () => {
  const create = (code: string, parentCode?: string) =>
    sysadmin.request("POST", "/api/v1/organisations", {
      code,
      name: `单位${code}`,
      kind: "department",
      ...(parentCode ? { parentCode } : {}),
    });

  it("renames it, moves it under a parent, and audits the change with before and after", async () => {
    const city = (await create("city1")).json();
    const dept = (await create("dept1")).json();
    const r = await sysadmin.request("PATCH", `/api/v1/organisations/${dept.id}`, {
      name: "市科技局",
      nameEn: "Science Bureau",
      parentCode: "city1",
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      code: "dept1",
      name: "市科技局",
      nameEn: "Science Bureau",
      parentId: city.id,
    });
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, "organisation.update"));
    expect(entry).toMatchObject({ actor: "sys.admin", entityId: dept.id });
    expect(entry!.before).toMatchObject({ name: "单位dept1", parentId: null });
    // null clears: the English name and the parent.
    const cleared = await sysadmin.request("PATCH", `/api/v1/organisations/${dept.id}`, {
      nameEn: null,
      parentCode: null,
    });
    expect(cleared.json()).toMatchObject({ nameEn: null, parentId: null });
  });

  it("keeps the tree a tree: no unit under itself or its own descendant (at the parent field)", async () => {
    const top = (await create("top1")).json();
    await create("mid1", "top1");
    await create("low1", "mid1");
    for (const parentCode of ["top1", "low1"]) {
      const r = await sysadmin.request("PATCH", `/api/v1/organisations/${top.id}`, { parentCode });
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: "PARENT_CYCLE", field: "parentCode" });
    }
    const unknown = await sysadmin.request("PATCH", `/api/v1/organisations/${top.id}`, {
      parentCode: "nope",
    });
    expect(unknown.json()).toMatchObject({ status: 400, code: "UNKNOWN_PARENT", field: "parentCode" });
  });

  it("is the system administrator's alone; an unknown unit is a 404", async () => {
    const unit = (await create("only1")).json();
    const refused = await office.request("PATCH", `/api/v1/organisations/${unit.id}`, { name: "x" });
    expect(refused.statusCode).toBe(403);
    const missing = await sysadmin.request(
      "PATCH",
      "/api/v1/organisations/00000000-0000-4000-8000-000000000000",
      { name: "x" },
    );
    expect(missing.statusCode).toBe(404);
  });
});
