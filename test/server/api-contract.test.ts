import { connect } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_TEXT } from "../../src/server/schemas.js";
import type { Client } from "../helpers/accounts.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

let t: TestApp;
let app: FastifyInstance;
let admin: Client;
let office: Client;
beforeAll(async () => {
  t = await testApp();
  ({ app } = t);
  admin = await t.signIn("sysadmin", ["system_admin"]);
  office = await t.signIn("office", ["office_staff"]);
});
afterAll(() => t.close());

const en = { "accept-language": "en" };
const json = { "content-type": "application/json" };
const login = "/api/v1/auth/login";

/** Expects an RFC 9457 problem document with this status and code, and returns it. */
function expectProblem(
  r: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  expect(r.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = r.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(r.statusCode).toBe(status);
  expect(typeof body.type).toBe("string");
  expect(typeof body.title).toBe("string");
  return body;
}

/** Sends raw bytes over a real connection (what Node's HTTP parser sees) and returns the raw answer. */
async function rawRequest(bytes: Buffer): Promise<string> {
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("not listening");
  const socket = connect(address.port, "127.0.0.1");
  let answer = "";
  socket.on("data", (d) => {
    answer += d.toString("utf8");
  });
  socket.write(bytes);
  await new Promise((done) => socket.on("close", done));
  return answer;
}

describe("Accept-Language", () => {
  it("honours q-values: zh-CN;q=0.1, en;q=0.9 answers in English", async () => {
    const ask = async (header: string) =>
      (
        await app.inject({ method: "GET", url: "/api/v1/nope", headers: { "accept-language": header } })
      ).json().title;
    expect(await ask("zh-CN;q=0.1, en;q=0.9")).toBe("Not found");
    expect(await ask("en;q=0.2, zh-CN;q=0.8")).toBe("未找到");
    expect(await ask("en-GB,en;q=0.9")).toBe("Not found");
    expect(await ask("zh-TW, en;q=0.5")).toBe("未找到"); // any Chinese before English
    expect(await ask("fr, de")).toBe("未找到"); // nothing offered: Chinese first
    expect((await app.inject({ method: "GET", url: "/api/v1/nope" })).json().title).toBe("未找到");
  });
});

describe("every error is a problem document with a stable code, in the user's language", () => {
  it("an unknown route: 404 NOT_FOUND; a known path with another method: 405 with Allow", async () => {
    const zh = expectProblem(await app.inject({ method: "GET", url: "/api/v1/nope" }), 404, "NOT_FOUND");
    expect(zh.title).toBe("未找到");
    const r = await app.inject({ method: "GET", url: "/api/v1/nope?x=1", headers: en });
    expect(expectProblem(r, 404, "NOT_FOUND").title).toBe("Not found");
    const method = await app.inject({ method: "DELETE", url: "/api/v1/health?x=1", headers: en });
    expect(expectProblem(method, 405, "METHOD_NOT_ALLOWED")).toMatchObject({
      title: "method not allowed",
      allow: ["GET", "HEAD"],
    });
    expect(method.headers.allow).toBe("GET, HEAD");
    const zhMethod = await app.inject({
      method: "GET",
      url: "/api/v1/plans/00000000-0000-4000-8000-000000000000/units/kjj/submit",
    });
    expect(expectProblem(zhMethod, 405, "METHOD_NOT_ALLOWED")).toMatchObject({
      title: "不支持此请求方法",
      allow: ["POST"],
    });
  });

  it("a body that is not JSON: 400 INVALID_JSON", async () => {
    const send = (headers: Record<string, string>, payload: string) =>
      app.inject({ method: "POST", url: login, headers: { ...json, ...headers }, payload });
    expect(expectProblem(await send({}, "{bad"), 400, "INVALID_JSON").title).toBe("请求体不是有效的 JSON");
    expect(expectProblem(await send(en, "{bad"), 400, "INVALID_JSON").title).toBe(
      "the request body is not valid JSON",
    );
    expect(expectProblem(await send(en, ""), 400, "INVALID_JSON").title).toMatch(/empty/);
  });

  it("an unsupported content type: 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    const send = (headers: Record<string, string>) =>
      app.inject({
        method: "POST",
        url: login,
        headers: { "content-type": "application/x-whatever", ...headers },
        payload: "x",
      });
    const zh = expectProblem(await send({}), 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(zh).toMatchObject({ title: "此接口不接受该内容类型", contentType: "application/x-whatever" });
    expect(expectProblem(await send(en), 415, "UNSUPPORTED_MEDIA_TYPE").title).toBe(
      "this endpoint does not accept that content type",
    );
  });

  it("a body over the size limit: 413 BODY_TOO_LARGE", async () => {
    const payload = JSON.stringify({ username: "x".repeat(2 * 1024 * 1024), password: "y" });
    const zh = await app.inject({ method: "POST", url: login, headers: json, payload });
    expect(expectProblem(zh, 413, "BODY_TOO_LARGE").title).toBe("请求体超过大小上限");
    const r = await app.inject({ method: "POST", url: login, headers: { ...json, ...en }, payload });
    expect(expectProblem(r, 413, "BODY_TOO_LARGE").title).toBe("the request body is larger than the limit");
  });

  it("a URL whose percent-encoding is not UTF-8: 400 BAD_URL; an over-long path parameter: 414", async () => {
    const zh = await app.inject({ method: "GET", url: "/api/v1/plans/%E0%A4%A" });
    expect(expectProblem(zh, 400, "BAD_URL").title).toMatch(/网址无效/);
    const r = await app.inject({ method: "GET", url: "/api/v1/plans/%E0%A4%A", headers: en });
    expect(expectProblem(r, 400, "BAD_URL").title).toMatch(/^invalid URL/);
    const long = await app.inject({ method: "GET", url: `/api/v1/plans/${"a".repeat(200)}`, headers: en });
    expect(expectProblem(long, 414, "URI_TOO_LONG").title).toMatch(/too long/);
  });

  it("raw non-ASCII in the request line (refused by Node's HTTP parser): a problem document, not 'Client Error'", async () => {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const zh = await rawRequest(Buffer.from("GET /api/v1/health?q=中文 HTTP/1.1\r\nHost: x\r\n\r\n", "utf8"));
    expect(zh).toMatch(/^HTTP\/1\.1 400 /);
    expect(zh).toMatch(/\r\ncontent-type: application\/problem\+json/i);
    expect(zh).not.toContain("Client Error");
    const zhBody = JSON.parse(zh.slice(zh.indexOf("\r\n\r\n") + 4));
    expect(zhBody).toMatchObject({ status: 400, code: "MALFORMED_REQUEST_LINE" });
    expect(zhBody.title).toMatch(/百分号编码/);
    const answer = await rawRequest(
      Buffer.from(
        "GET /api/v1/health?q=é HTTP/1.1\r\nHost: x\r\nAccept-Language: zh;q=0.5, en\r\n\r\n",
        "utf8",
      ),
    );
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body).toMatchObject({ status: 400, code: "MALFORMED_REQUEST_LINE" });
    expect(body.title).toMatch(/must be percent-encoded/);
    // The same query percent-encoded is fine.
    const ok = await rawRequest(
      Buffer.from(
        `GET /api/v1/health?q=${encodeURIComponent("中文")} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect(ok).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("schema validation: 400 VALIDATION in the user's language (zod's own locales), naming the field", async () => {
    const payload = { username: "", password: 3 };
    const zh = expectProblem(await app.inject({ method: "POST", url: login, payload }), 400, "VALIDATION");
    expect(zh).toMatchObject({ title: "请求数据无效", field: "username", in: "body" });
    expect(zh.detail).toBe("username: 数值过小：期望 string >=1 字符");
    expect(zh.errors).toEqual([
      { field: "username", message: "数值过小：期望 string >=1 字符" },
      { field: "password", message: "无效输入：期望 string，实际接收 数字" },
    ]);
    const r = await app.inject({
      method: "POST",
      url: login,
      headers: { "accept-language": "zh-CN;q=0.1, en;q=0.9" },
      payload,
    });
    const english = expectProblem(r, 400, "VALIDATION");
    expect(english).toMatchObject({ title: "Invalid request", field: "username" });
    expect(english.detail).toBe("username: Too small: expected string to have >=1 characters");
    expect(english.errors).toEqual([
      { field: "username", message: "Too small: expected string to have >=1 characters" },
      { field: "password", message: "Invalid input: expected string, received number" },
    ]);
    // A query string and a path parameter: the field and where it is.
    const query = expectProblem(
      await admin.request("GET", "/api/v1/organisations?pageSize=0", undefined, en),
      400,
      "VALIDATION",
    );
    expect(query).toMatchObject({ field: "pageSize", in: "query" });
    const path = expectProblem(await office.request("GET", "/api/v1/plans/not-a-uuid"), 400, "VALIDATION");
    expect(path).toMatchObject({ field: "planId", in: "path", detail: "planId: 无效UUID" });
  });

  it("a nested field is named by its path", async () => {
    const r = await admin.request(
      "POST",
      "/api/v1/organisations",
      { code: "a b", name: "x", kind: "city" },
      en,
    );
    expect(expectProblem(r, 400, "VALIDATION")).toMatchObject({ field: "code" });
  });
});

describe("403 names the roles the action needs", () => {
  it("in both languages, with the roles in requiredRoles", async () => {
    const body = { code: "kjj", name: "市科技局", kind: "department" };
    const zh = expectProblem(await office.request("POST", "/api/v1/organisations", body), 403, "FORBIDDEN");
    expect(zh).toMatchObject({
      title: "无权进行此操作，需要以下角色之一：系统管理员",
      requiredRoles: ["system_admin"],
    });
    const r = await admin.request("GET", "/api/v1/plans", undefined, en);
    expect(expectProblem(r, 403, "FORBIDDEN")).toMatchObject({
      title: "not allowed: requires one of the roles: office staff, reviewer, unit reporter, unit leader",
      requiredRoles: ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
    });
    const plan = await admin.request("POST", "/api/v1/plans", { document: {} });
    expect(expectProblem(plan, 403, "FORBIDDEN").title).toBe(
      "无权进行此操作，需要以下角色之一：考核办工作人员",
    );
  });
});

describe("a NUL character anywhere in a request is a 400, never a 500", () => {
  it("in the anonymous sign-in: the username, the password, the User-Agent header", async () => {
    const zh = await app.inject({
      method: "POST",
      url: login,
      payload: { username: "a\u0000b", password: "x" },
    });
    expect(expectProblem(zh, 400, "NUL_CHARACTER")).toMatchObject({ field: "username", in: "body" });
    expect(zh.json().title).toBe("username 中含有 NUL 字符（\\u0000），不予接受");
    const r = await app.inject({
      method: "POST",
      url: login,
      headers: en,
      payload: { username: "office", password: "\u0000" },
    });
    expect(expectProblem(r, 400, "NUL_CHARACTER").title).toBe(
      "password contains a NUL character (\\u0000), which is not accepted",
    );
    const agent = await app.inject({
      method: "POST",
      url: login,
      headers: { "user-agent": "curl\u0000" },
      payload: { username: "office", password: "Test-Password-2022!" },
    });
    expect(expectProblem(agent, 400, "NUL_CHARACTER")).toMatchObject({ field: "user-agent", in: "header" });
  });

  it("in an authenticated write, a query string and a path parameter", async () => {
    const name = await admin.request("POST", "/api/v1/organisations", {
      code: "kjj",
      name: "市科技局\u0000",
      kind: "department",
    });
    expect(expectProblem(name, 400, "NUL_CHARACTER")).toMatchObject({ field: "name", in: "body" });
    const parent = await admin.request("POST", "/api/v1/organisations", {
      code: "kjj",
      name: "市科技局",
      kind: "department",
      parentCode: "\u0000",
    });
    expect(expectProblem(parent, 400, "NUL_CHARACTER")).toMatchObject({ field: "parentCode" });
    const nested = await office.request("POST", "/api/v1/plans", {
      document: { indicators: [{ code: "A\u0000" }] },
    });
    expect(expectProblem(nested, 400, "NUL_CHARACTER")).toMatchObject({
      field: "document.indicators.0.code",
    });
    const key = await office.request("POST", "/api/v1/plans", { document: { "x\u0000": 1 } });
    expect(expectProblem(key, 400, "NUL_CHARACTER")).toMatchObject({ field: "document.x\u0000" });
    const query = await admin.request("GET", "/api/v1/organisations?q=%00");
    expect(expectProblem(query, 400, "NUL_CHARACTER")).toMatchObject({ field: "q", in: "query" });
    const path = await office.request(
      "GET",
      "/api/v1/plans/00000000-0000-4000-8000-000000000000/units/kjj%00/values",
    );
    expect(expectProblem(path, 400, "NUL_CHARACTER")).toMatchObject({ field: "unit", in: "path" });
    // Nothing was written.
    const list = await admin.request("GET", "/api/v1/organisations");
    expect(list.json().total).toBe(0);
  });
});

describe("text lengths", () => {
  it(`every string in a JSON body is capped at ${MAX_TEXT} characters, naming the field`, async () => {
    const long = "码".repeat(MAX_TEXT + 1);
    const r = await office.request("POST", "/api/v1/plans", { document: { name: long } }, en);
    expect(expectProblem(r, 400, "TEXT_TOO_LONG")).toMatchObject({
      field: "document.name",
      in: "body",
      maxLength: MAX_TEXT,
      title: `document.name is longer than the limit of ${MAX_TEXT} characters`,
    });
    // Exactly the limit passes the cap (and reaches the plan's own checks).
    const atLimit = await office.request("POST", "/api/v1/plans", {
      document: { name: "码".repeat(MAX_TEXT) },
    });
    expect(atLimit.statusCode).toBe(400);
    expect(atLimit.json().code).not.toBe("TEXT_TOO_LONG");
  });

  it("free-text fields have their own, smaller limits (in the schema and the OpenAPI document)", async () => {
    const r = await admin.request("POST", "/api/v1/organisations", {
      code: "kjj",
      name: "名".repeat(201),
      kind: "department",
    });
    expect(expectProblem(r, 400, "VALIDATION")).toMatchObject({ field: "name" });
    expect(r.json().detail).toBe("name: 数值过大：期望 string <=200 字符");
    const ok = await admin.request("POST", "/api/v1/organisations", {
      code: "kjj",
      name: "名".repeat(200),
      kind: "department",
    });
    expect(ok.statusCode).toBe(201);
    const doc = (await app.inject({ method: "GET", url: "/api/docs/json" })).json();
    const body = doc.paths["/api/v1/organisations"].post.requestBody.content["application/json"].schema;
    expect(body.properties.name.maxLength).toBe(200);
  });
});

describe("the OpenAPI document as a contract", () => {
  it("declares the session cookie and the CSRF header, and which operation needs which", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/docs/json" })).json();
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: "apiKey", in: "cookie", name: "kaohe_session" },
      csrf: { type: "apiKey", in: "header", name: "x-csrf-token" },
    });
    expect(doc.info.description).toMatch(/csrfToken/);
    expect(doc.paths["/api/v1/auth/login"].post.security).toEqual([]);
    expect(doc.paths["/api/v1/health"].get.security).toEqual([]);
    expect(doc.paths["/api/v1/plans"].get.security).toEqual([{ session: [] }]);
    expect(doc.paths["/api/v1/plans"].post.security).toEqual([{ session: [], csrf: [] }]);
    expect(doc.paths["/api/v1/auth/logout"].post.security).toEqual([{ session: [], csrf: [] }]);
    // Every operation documents its errors as problem details.
    for (const [path, operations] of Object.entries(
      doc.paths as Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >,
    ))
      for (const [method, operation] of Object.entries(operations))
        expect(Object.keys(operation.responses.default?.content ?? {}), `${method} ${path}`).toContain(
          "application/problem+json",
        );
  });

  it("a client that follows the document can make a state change (what Swagger UI's Try it out sends)", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/docs/json" })).json();
    const { session, csrf } = doc.components.securitySchemes;
    const signIn = await app.inject({
      method: "POST",
      url: login,
      payload: { username: "sysadmin", password: "Test-Password-2022!" },
    });
    const cookie = signIn.cookies.find((c) => c.name === session.name)!;
    const token = signIn.json().csrfToken as string;
    const create = (headers: Record<string, string>) =>
      app.inject({
        method: "POST",
        url: "/api/v1/organisations",
        headers: { cookie: `${session.name}=${cookie.value}`, ...headers },
        payload: { code: "fgw", name: "市发改委", kind: "department" },
      });
    expect(expectProblem(await create({}), 403, "CSRF")).toBeTruthy();
    expect((await create({ [csrf.name]: token })).statusCode).toBe(201);
  });
});
