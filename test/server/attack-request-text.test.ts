import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../helpers/test-app.js";

/** Hostile request bodies that every caller, signed in or not, can send: the checks run before any schema. */

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const login = (payload: string) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    headers: { "content-type": "application/json" },
    payload,
  });

describe("deeply nested JSON", () => {
  it("an anonymous body nested 30,000 deep is refused in well under a second, not after half a minute", async () => {
    for (const body of [
      `${'{"a":'.repeat(30_000)}1${"}".repeat(30_000)}`,
      `${"[".repeat(30_000)}${"]".repeat(30_000)}`,
    ]) {
      const started = performance.now();
      const r = await login(body);
      expect(r.statusCode).toBe(400);
      // Walking it once is linear; copying the path at every level took ~40 s on this body.
      expect(performance.now() - started).toBeLessThan(3000);
    }
  });

  it("a NUL deep inside is still found and named by its path", async () => {
    const r = await login(
      `{"username":"u","password":"p","x":${'{"a":'.repeat(500)}"\\u0000"${"}".repeat(500)}}`,
    );
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      code: "NUL_CHARACTER",
      field: ["x", ...Array(500).fill("a")].join("."),
    });
  });
});
