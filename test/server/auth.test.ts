import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { defaultSecurity } from "../../src/server/config.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { bootstrapAdministrators } from "../../src/server/modules/accounts/bootstrap.js";
import { verifyAuditChain } from "../../src/server/modules/audit/service.js";
import { testDatabase } from "../helpers/database.js";

let database: DatabaseHandle;
let app: FastifyInstance;
let passwords: Record<string, string>;
let clock = Date.now();
const STRONG = "Kaohe-2022-优秀单位";

beforeAll(async () => {
  database = await testDatabase();
  passwords = Object.fromEntries(
    (await bootstrapAdministrators(database.db)).map((a) => [a.username, a.password]),
  );
  app = await buildApp({
    database,
    security: { ...defaultSecurity, throttleAfter: 3, loginsPerMinute: 12 },
    now: () => new Date(clock),
  });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const cookieOf = (r: LightMyRequestResponse) => {
  const c = r.cookies.find((k) => k.name === "kaohe_session");
  return c ? `kaohe_session=${c.value}` : "";
};
const login = (username: string, password: string, ip = "10.0.0.1") =>
  app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password },
    remoteAddress: ip,
  });

describe("sign-in, sessions, CSRF and the password policy", () => {
  let cookie = "";
  let csrf = "";

  it("signs in with the one-time password into a HttpOnly, SameSite=Strict session", async () => {
    const r = await login("secadmin", passwords.secadmin!);
    expect(r.statusCode).toBe(200);
    const c = r.cookies.find((k) => k.name === "kaohe_session")!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe("Strict");
    const body = r.json();
    expect(body.user).toMatchObject({
      username: "secadmin",
      roles: ["security_admin"],
      mustChangePassword: true,
    });
    cookie = cookieOf(r);
    csrf = body.csrfToken;
  });

  it("a one-time password must be changed before anything else", async () => {
    const me = await app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie } });
    expect(me.statusCode).toBe(200);
    const other = await app.inject({ method: "GET", url: "/api/v1/health", headers: { cookie } });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe("PASSWORD_CHANGE_REQUIRED");
  });

  it("every state change needs the CSRF token", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      headers: { cookie },
      payload: { current: passwords.secadmin, next: STRONG },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe("CSRF");
  });

  it("weak passwords are refused with the reason and the field", async () => {
    for (const [next, message] of [
      ["short1A!", "密码至少 12 位"],
      ["alllowercaseletters", "密码须包含小写字母、大写字母、数字、符号中的至少三类"],
      ["Secadmin-2022-xyz", "密码不能包含用户名"],
    ] as const) {
      const r = await app.inject({
        method: "POST",
        url: "/api/v1/auth/password",
        headers: { cookie, "x-csrf-token": csrf },
        payload: { current: passwords.secadmin, next },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: "WEAK_PASSWORD", field: "next", title: message });
    }
  });

  it("changes the password, after which the account works normally", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      headers: { cookie, "x-csrf-token": csrf },
      payload: { current: passwords.secadmin, next: STRONG },
    });
    expect(r.statusCode).toBe(204);
    const health = await app.inject({ method: "GET", url: "/api/v1/health", headers: { cookie } });
    expect(health.statusCode).toBe(200);
    expect((await login("secadmin", passwords.secadmin!)).statusCode).toBe(401);
    expect((await login("secadmin", STRONG)).statusCode).toBe(200);
  });

  it("a session ends after the idle timeout", async () => {
    const r = await login("secadmin", STRONG);
    const c = cookieOf(r);
    clock += defaultSecurity.idleTimeoutMs + 1000;
    const me = await app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie: c } });
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe("UNAUTHENTICATED");
  });

  it("sign-out ends the session", async () => {
    const r = await login("secadmin", STRONG);
    const c = cookieOf(r);
    const out = await app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie: c, "x-csrf-token": r.json().csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie: c } })).statusCode,
    ).toBe(401);
  });

  it("throttles an account from an address after repeated failures, even for the right password", async () => {
    for (let k = 0; k < 3; k++)
      expect((await login("auditadmin", "wrong password", "10.0.0.2")).statusCode).toBe(401);
    const held = await login("auditadmin", passwords.auditadmin!, "10.0.0.2");
    expect(held.statusCode).toBe(429);
    expect(held.json()).toMatchObject({ code: "SIGN_IN_THROTTLED", retryAfter: 60 });
    expect(held.json().title).toBe("该账号登录失败次数过多，请 60 秒后再试");
    expect(held.headers["retry-after"]).toBe("60");
    // Someone else's failures do not keep the account out from another address.
    expect((await login("auditadmin", passwords.auditadmin!, "10.0.0.3")).statusCode).toBe(200);
    expect((await login("auditadmin", passwords.auditadmin!, "10.0.0.2")).statusCode).toBe(429);
    clock += defaultSecurity.throttleBaseMs + 1000;
    expect((await login("auditadmin", passwords.auditadmin!, "10.0.0.2")).statusCode).toBe(200);
  });

  it("limits sign-in attempts per address, across processes (the count is in the database)", async () => {
    const codes: number[] = [];
    for (let k = 0; k < 14; k++) codes.push((await login(`nobody${k}`, "x", "10.9.9.9")).statusCode);
    expect(codes.slice(0, 12).every((c) => c === 401)).toBe(true);
    expect(codes.slice(12)).toEqual([429, 429]);
    expect((await login("nobody", "x", "10.9.9.8")).statusCode).toBe(401);
  });

  it("sends strict security headers, on errors too", async () => {
    const answers = [
      await app.inject({ method: "GET", url: "/api/v1/health" }),
      await app.inject({ method: "GET", url: "/api/v1/users" }),
      await app.inject({ method: "GET", url: "/api/v1/nowhere" }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 401, 404]);
    for (const r of answers) {
      expect(r.headers["content-security-policy"]).toContain("default-src 'self'");
      expect(r.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(r.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
      expect(r.headers["x-frame-options"]).toBe("SAMEORIGIN");
      expect(r.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    }
  });

  it("every sign-in event is in the audit trail, and the chain holds", async () => {
    const check = await verifyAuditChain(database.db);
    expect(check.ok).toBe(true);
    expect(check.entries).toBeGreaterThan(20);
  });
});
