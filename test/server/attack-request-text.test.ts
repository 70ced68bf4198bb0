import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/** Hostile request bodies that every caller, signed in or not, can send: the checks run before any schema. */

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ units: true });
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

describe("unpaired surrogates (text that is not Unicode)", () => {
  let planId = "";
  let reporter: Awaited<ReturnType<TestApp["signIn"]>>;
  let office: Awaited<ReturnType<TestApp["signIn"]>>;
  beforeAll(async () => {
    office = await t.signIn("office", ["office_staff"]);
    reporter = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
    planId = (await t.publish(office, examplePlan(), false)).planId;
  });

  it("a lone surrogate in a JSON body is a 400 naming the field (the note was stored with U+FFFD in its place)", async () => {
    const url = `/api/v1/plans/${planId}/units/kjj/values`;
    for (const note of ["x\\ud800y", "x\\udfffy", "\\udc00\\ud800"]) {
      const r = await reporter.send(
        "PUT",
        url,
        `{"indicator":"A1","period":"2022","value":1,"note":"${note}"}`,
        "application/json",
      );
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ code: "UNPAIRED_SURROGATE", field: "note", in: "body" });
    }
    expect((await reporter.request("GET", url)).json().items).toEqual([]);
    // A proper pair (an emoji, a rare 汉字 beyond the BMP) is text like any other.
    const ok = await reporter.send(
      "PUT",
      url,
      '{"indicator":"A1","period":"2022","value":1,"note":"\\ud83d\\ude00 \\ud840\\udc00"}',
      "application/json",
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().note).toBe("😀 𠀀");
  });

  it("a plan document (stored as jsonb) with one is refused before it reaches the database (PostgreSQL: 500)", async () => {
    const document = JSON.stringify({ ...examplePlan(), id: "surrogate-2022" }).replace(
      '"name":"',
      '"name":"\\udbff',
    );
    const r = await office.send("POST", "/api/v1/plans", `{"document":${document}}`, "application/json");
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ code: "UNPAIRED_SURROGATE", field: "document.name", in: "body" });
  });

  it("also in an object key, and for the anonymous sign-in", async () => {
    const r = await login('{"username":"a\\ud800","password":"x"}');
    expect(r.json()).toMatchObject({ status: 400, code: "UNPAIRED_SURROGATE", field: "username" });
    const key = await login('{"username":"a","password":"x","\\udc00":1}');
    expect(key.json()).toMatchObject({ status: 400, code: "UNPAIRED_SURROGATE" });
  });
});
