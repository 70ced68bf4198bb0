import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "../helpers/accounts.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * Session fixation (issue 12, access matrix): a session id planted in the browser before sign-in (made
 * up, or another person's live one) never becomes the signed-in session: the sign-in answers a new id, and
 * the planted one authenticates nobody afterwards (a made-up one) or stays its owner's only (a live one).
 */
let t: TestApp;
let app: FastifyInstance;

beforeAll(async () => {
  t = await testApp({ units: true });
  ({ app } = t);
  await t.signIn("office", ["office_staff"]);
  await t.signIn("reviewer", ["reviewer"]);
});
afterAll(() => t.close());

async function login(username: string, planted?: string) {
  const r = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    headers: planted ? { cookie: `kaohe_session=${planted}` } : {},
    payload: { username, password: TEST_PASSWORD },
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.cookies.find((c) => c.name === "kaohe_session")!.value;
}
const me = (session: string) =>
  app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie: `kaohe_session=${session}` } });

describe("session fixation", () => {
  it("a made-up session id planted before sign-in is replaced and authenticates nobody", async () => {
    const planted = "A".repeat(43);
    const issued = await login("office", planted);
    expect(issued).not.toBe(planted);
    expect((await me(issued)).statusCode).toBe(200);
    expect((await me(planted)).statusCode).toBe(401);
  });

  it("another person's live session planted before sign-in stays theirs; the sign-in gets its own", async () => {
    const reviewers = await login("reviewer");
    const issued = await login("office", reviewers);
    expect(issued).not.toBe(reviewers);
    expect((await me(issued)).json().user.username).toBe("office");
    expect((await me(reviewers)).json().user.username).toBe("reviewer");
  });

  it("signing in again over a live session gives a new id", async () => {
    const first = await login("office");
    const second = await login("office", first);
    expect(second).not.toBe(first);
    expect((await me(second)).statusCode).toBe(200);
  });
});
