import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSecurity } from "../../src/server/config.js";
import { verifyAuditChain } from "../../src/server/modules/audit/service.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * Publishing a run that is already the plan's current publication (a double click, or two at once):
 * refused, instead of a chain of identical publications each withdrawing the last and restarting the
 * notice (the objection period) under the public's eyes.
 */

let t: TestApp;
let office: Client;
let planId = "";
const clock = Date.parse("2023-02-01T00:00:00Z");

beforeAll(async () => {
  t = await testApp({
    units: true,
    now: () => new Date(clock),
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
  });
  office = await t.signIn("office", ["office_staff"]);
  planId = (await t.publish(office, examplePlan())).planId;
});
afterAll(() => t.close());

const history = async () =>
  (await office.request("GET", `/api/v1/plans/${planId}/publications`)).json().items as {
    id: string;
    runId: string;
    status: string;
  }[];

describe("publishing the same run twice", () => {
  it("three publishes of one run at once give one publication; the others 409 ALREADY_PUBLISHED", async () => {
    const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
    expect(run.statusCode, run.body).toBe(201);
    const url = `/api/v1/plans/${planId}/runs/${run.json().id}/publish`;
    const replies = await Promise.all([1, 2, 3].map(() => office.request("POST", url)));
    expect(replies.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    for (const r of replies.filter((r) => r.statusCode === 409))
      expect(r.json()).toMatchObject({ code: "ALREADY_PUBLISHED" });
    expect(await history()).toHaveLength(1);
    // One after the other, too.
    const again = await office.request("POST", url);
    expect(again.json()).toMatchObject({ status: 409, code: "ALREADY_PUBLISHED" });
    expect(await history()).toHaveLength(1);
  });

  it("a different run still supersedes the current publication", async () => {
    const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
    const r = await office.request("POST", `/api/v1/plans/${planId}/runs/${run.json().id}/publish`);
    expect(r.statusCode, r.body).toBe(201);
    const items = await history();
    expect(items.map((p) => p.status).sort()).toEqual(["notice", "withdrawn"]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
