import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * Dates a client sends: an ISO 8601 date-time of year 0000 (or 0001 with an offset east of UTC, which
 * is year 0 in UTC) is well-formed, but no PostgreSQL timestamp: each is a 400 naming the field.
 */

let t: TestApp;
let office: Client;
let auditor: Client;
let planId = "";

beforeAll(async () => {
  t = await testApp({ units: true });
  office = await t.signIn("office", ["office_staff"]);
  auditor = await t.signIn("auditor", ["audit_admin"]);
  planId = (await t.publish(office, examplePlan(), false)).planId;
});
afterAll(() => t.close());

const YEAR_ZERO = ["0000-06-01T00:00:00Z", "0001-01-01T00:00:00+08:00"];

describe("a date before year 1 is refused as a 400, not a 500", () => {
  it("the reporting deadline", async () => {
    for (const deadline of YEAR_ZERO) {
      const r = await office.request("PUT", `/api/v1/plans/${planId}/deadline`, { deadline });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ code: "VALIDATION", field: "deadline" });
    }
    const ok = await office.request("PUT", `/api/v1/plans/${planId}/deadline`, {
      deadline: "0001-01-01T00:00:00Z",
    });
    expect(ok.statusCode, ok.body).toBe(204);
  });

  it("a unit's reopening", async () => {
    for (const until of YEAR_ZERO) {
      const r = await office.request("POST", `/api/v1/plans/${planId}/units/kjj/reopen`, {
        until,
        reason: "补报",
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ code: "VALIDATION", field: "until" });
    }
  });

  it("the audit log's time filter", async () => {
    for (const at of YEAR_ZERO) {
      for (const name of ["from", "to"]) {
        const r = await auditor.request("GET", `/api/v1/audit?${name}=${encodeURIComponent(at)}`);
        expect(r.statusCode, r.body).toBe(400);
        expect(r.json()).toMatchObject({ code: "VALIDATION", field: name });
      }
    }
  });

  it("an objection's correction date", async () => {
    const r = await office.request(
      "POST",
      `/api/v1/plans/${planId}/publications/00000000-0000-4000-8000-000000000000/objections/00000000-0000-4000-8000-000000000000/resolve`,
      { decision: "accepted", resolution: "受理", correctUntil: YEAR_ZERO[0] },
    );
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ code: "VALIDATION", field: "correctUntil" });
  });
});
