import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Role, roles, userRoles, users } from "../../src/server/db/schema/index.js";
import { policies } from "../../src/server/policies.js";
import type { Client } from "../helpers/accounts.js";
import type { OpenApiDocument } from "../helpers/fuzz.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

let t: TestApp;
let app: FastifyInstance;
const as: Record<string, Client> = {};
const everyone: (Role | "anonymous")[] = [...roles, "anonymous"];

beforeAll(async () => {
  t = await testApp();
  ({ app } = t);
  for (const role of everyone) {
    if (role !== "anonymous") as[role] = await t.signIn(role.replace("_", "."), [role]);
  }
});
afterAll(() => t.close());

const send = (who: Role | "anonymous", method: "GET" | "POST" | "PUT", url: string, payload?: unknown) =>
  who === "anonymous"
    ? app.inject({ method, url, ...(payload ? { payload: payload as object } : {}) })
    : as[who]!.request(method, url, payload);

describe("the permission matrix of the administration endpoints", () => {
  // Which roles may call each endpoint, as the policy table says (src/server/policies.ts); everyone
  // else gets 403, and anonymous callers 401.
  const matrix: {
    what: string;
    method: "GET" | "POST" | "PUT";
    url: () => string;
    body?: () => unknown;
    allowed: readonly Role[];
    ok: number;
  }[] = [
    {
      what: "list organisations",
      method: "GET",
      url: () => "/api/v1/organisations",
      allowed: policies["organisations.read"],
      ok: 200,
    },
    {
      what: "create an organisation",
      method: "POST",
      url: () => "/api/v1/organisations",
      body: () => ({
        code: `org${Math.random().toString(36).slice(2, 8)}`,
        name: "市科技局",
        kind: "department",
      }),
      allowed: policies["organisations.write"],
      ok: 201,
    },
    {
      what: "list accounts",
      method: "GET",
      url: () => "/api/v1/users",
      allowed: policies["users.read"],
      ok: 200,
    },
    {
      what: "create an account",
      method: "POST",
      url: () => "/api/v1/users",
      body: () => ({ username: `u${Math.random().toString(36).slice(2, 8)}`, displayName: "填报员" }),
      allowed: policies["users.create"],
      ok: 201,
    },
    {
      what: "set roles",
      method: "PUT",
      url: () => `/api/v1/users/${as.office_staff!.userId}/roles`,
      body: () => ({ roles: ["office_staff"] }),
      allowed: policies["users.roles"],
      ok: 200,
    },
    {
      what: "unlock an account",
      method: "POST",
      url: () => `/api/v1/users/${as.reviewer!.userId}/unlock`,
      allowed: policies["users.unlock"],
      ok: 200,
    },
    {
      what: "search the audit trail",
      method: "GET",
      url: () => "/api/v1/audit",
      allowed: policies["audit.read"],
      ok: 200,
    },
    {
      what: "export the audit trail",
      method: "GET",
      url: () => "/api/v1/audit/export",
      allowed: policies["audit.read"],
      ok: 200,
    },
    {
      what: "verify the audit trail",
      method: "GET",
      url: () => "/api/v1/audit/verify",
      allowed: policies["audit.read"],
      ok: 200,
    },
  ];
  for (const row of matrix) {
    it(row.what, async () => {
      for (const who of everyone) {
        const r = await send(who, row.method, row.url(), row.body?.());
        const expected = who === "anonymous" ? 401 : row.allowed.includes(who) ? row.ok : 403;
        expect(r.statusCode, `${who} ${row.method} ${row.url()}: ${r.body}`).toBe(expected);
      }
    });
  }
});

describe("long lists", () => {
  it("page, sort and filter organisations and accounts, in SQL", async () => {
    for (const [code, name] of [
      ["zj-hz", "杭州市科技局"],
      ["zj-sx", "绍兴市科技局"],
      ["zj-nb", "宁波市科技局"],
    ]) {
      await as.system_admin!.request("POST", "/api/v1/organisations", { code, name, kind: "department" });
    }
    const first = (
      await as.office_staff!.request("GET", "/api/v1/organisations?q=zj-&pageSize=2&sort=-code")
    ).json();
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.items.map((o: { code: string }) => o.code)).toEqual(["zj-sx", "zj-nb"]);
    const second = (
      await as.office_staff!.request("GET", "/api/v1/organisations?q=zj-&pageSize=2&page=2&sort=-code")
    ).json();
    expect(second.items.map((o: { code: string }) => o.code)).toEqual(["zj-hz"]);
    const byName = (await as.office_staff!.request("GET", "/api/v1/organisations?q=绍兴")).json();
    expect(byName.items.map((o: { code: string }) => o.code)).toEqual(["zj-sx"]);
    const literal = (await as.office_staff!.request("GET", "/api/v1/organisations?q=%25")).json();
    expect(literal.total).toBe(0); // "%" is matched literally, not as a wildcard
    const bad = await as.office_staff!.request("GET", "/api/v1/organisations?sort=secret");
    expect(bad.statusCode).toBe(400);
    const accounts = (await as.system_admin!.request("GET", "/api/v1/users?q=admin&sort=username")).json();
    expect(accounts.items.map((u: { username: string }) => u.username)).toEqual([
      "audit.admin",
      "security.admin",
      "system.admin",
    ]);
    expect((await as.system_admin!.request("GET", "/api/v1/users?q=nobody")).json()).toMatchObject({
      items: [],
      total: 0,
    });
  });
});

describe("administration rules", () => {
  it("keeps the three administrator roles apart and forbids granting roles to oneself", async () => {
    const sep = await as.security_admin!.request("PUT", `/api/v1/users/${as.office_staff!.userId}/roles`, {
      roles: ["system_admin", "audit_admin"],
    });
    expect(sep.statusCode).toBe(409);
    expect(sep.json()).toMatchObject({ code: "SEPARATION_OF_DUTIES", field: "roles" });
    const self = await as.security_admin!.request("PUT", `/api/v1/users/${as.security_admin!.userId}/roles`, {
      roles: ["security_admin", "office_staff"],
    });
    expect(self.statusCode).toBe(403);
  });

  it("validates input and names the field", async () => {
    const r = await as.system_admin!.request("POST", "/api/v1/organisations", {
      code: "bad code!",
      name: "x",
      kind: "department",
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toBe("code");
    const parent = await as.system_admin!.request("POST", "/api/v1/organisations", {
      code: "child",
      name: "x",
      kind: "department",
      parentCode: "nope",
    });
    expect(parent.json()).toMatchObject({ status: 400, code: "UNKNOWN_PARENT", field: "parentCode" });
  });

  it("the audit administrator finds who did what, with before and after", async () => {
    const r = await as.audit_admin!.request("GET", "/api/v1/audit?action=user.roles&pageSize=5");
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.total).toBeGreaterThan(0);
    expect(body.items[0]).toMatchObject({
      actor: "security.admin",
      action: "user.roles",
      before: { roles: ["office_staff"] },
      after: { roles: ["office_staff"] },
    });
    const csv = await as.audit_admin!.request("GET", "/api/v1/audit/export?entity=organisation");
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.body.split("\n")[0]).toBe(
      "\uFEFFseq,at,actor,ip,action,entity,entity_id,before,after,prev_hash,hash,hash_sm3",
    );
    const verify = await as.audit_admin!.request("GET", "/api/v1/audit/verify");
    expect(verify.json().ok).toBe(true);
  });
});

/**
 * Privilege change by anyone but the security administrator, from the OpenAPI document: every change
 * to an account (each POST, PUT or PATCH under /users/{id}/: its roles, its unlocking) sent by every
 * other role, about its own account (the office granting itself more) and about others', is refused
 * with 403, and no account's roles or state change. (Each endpoint × role once: the matrix above.)
 */
describe("privilege change by anyone but the security administrator", () => {
  const grants: Role[][] = [["security_admin"], ["system_admin"], ["office_staff", "reviewer"], []];
  const snapshot = async () =>
    JSON.stringify({
      roles: await t.db.select().from(userRoles).orderBy(userRoles.userId, userRoles.role),
      users: await t.db.select().from(users).orderBy(users.id),
    });

  it("refuses every other role, on its own account and on others', and changes nothing", async () => {
    const document = (await app.inject({ method: "GET", url: "/api/docs/json" })).json() as OpenApiDocument;
    const changes = Object.entries(document.paths).flatMap(([path, methods]) =>
      path.startsWith("/api/v1/users/{id}/")
        ? Object.keys(methods)
            .filter((m) => ["post", "put", "patch"].includes(m))
            .map((m) => ({ method: m.toUpperCase() as "POST" | "PUT" | "PATCH", path }))
        : [],
    );
    expect(changes.map((c) => `${c.method} ${c.path}`)).toEqual(
      expect.arrayContaining(["PUT /api/v1/users/{id}/roles", "POST /api/v1/users/{id}/unlock"]),
    );
    const before = await snapshot();
    let refused = 0;
    for (const role of roles.filter((r) => r !== "security_admin")) {
      const who = as[role]!;
      for (const target of [who, as.security_admin!, as.office_staff!, as.unit_reporter!]) {
        for (const c of changes) {
          for (const grant of c.path.endsWith("/roles") ? grants : [undefined]) {
            const r = await who.request(
              c.method,
              c.path.replace("{id}", target.userId),
              grant ? { roles: grant } : undefined,
            );
            const what = `${role} ${c.method} ${c.path} for ${target.username} ${JSON.stringify(grant)}: ${r.body}`;
            expect(r.statusCode, what).toBe(403);
            expect(r.json(), what).toMatchObject({ code: "FORBIDDEN", requiredRoles: ["security_admin"] });
            refused++;
          }
        }
      }
    }
    expect(await snapshot()).toBe(before);
    console.log(`administration: ${refused} privilege changes by other roles refused`);
    expect(refused).toBe((roles.length - 1) * 4 * (grants.length + changes.length - 1));
  });
});
