import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Role, roles } from "../../src/server/db/schema/index.js";
import { type Action, policies } from "../../src/server/policies.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * The permission matrix of the reporting endpoints, read from the policy table itself: every role the
 * table names for an action gets past the role check (whatever the data then says), every other role
 * gets 403. A route that decides by a role of its own, not by the table, fails here.
 */

let t: TestApp;
const as: Partial<Record<Role, Client>> = {};
let planId = "";

beforeAll(async () => {
  const plan = examplePlan();
  t = await testApp({ units: plan });
  for (const role of roles) {
    // The unit roles belong to 市科技局 (kjj), the unit every request below is about.
    const unit = role === "unit_reporter" || role === "unit_leader" ? "kjj" : undefined;
    as[role] = await t.signIn(role.replace("_", "."), [role], unit);
  }
  planId = (await t.publish(as.office_staff!, plan)).planId;
});
afterAll(() => t.close());

const plan = () => `/api/v1/plans/${planId}`;
const unit = (what: string) => `${plan()}/units/kjj/${what}`;

/** One request per action, harmless whoever sends it (bad data, unknown ids), so each role's answer is its right. */
const matrix: {
  action: Action;
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: () => string;
  body?: unknown;
}[] = [
  { action: "plans.manage", method: "POST", url: () => "/api/v1/plans", body: { document: {} } },
  { action: "plans.read", method: "GET", url: () => plan() },
  { action: "values.read", method: "GET", url: () => unit("values") },
  {
    action: "values.write",
    method: "PUT",
    url: () => unit("values"),
    body: { indicator: "NOPE", period: "2022", value: 1 },
  },
  {
    action: "values.write",
    method: "DELETE",
    url: () => `${unit("values")}?indicator=A1&period=2022&revision=99`,
  },
  { action: "evidence.read", method: "GET", url: () => unit("evidence") },
  { action: "evidence.write", method: "DELETE", url: () => `${unit("evidence")}/${randomUUID()}` },
  { action: "values.submit", method: "POST", url: () => unit("submit") },
  { action: "values.import", method: "GET", url: () => `${plan()}/imports/template.csv` },
  {
    action: "values.review",
    method: "POST",
    url: () => unit("review"),
    body: { indicator: "A1", period: "1999", decision: "approve" },
  },
  { action: "values.review", method: "GET", url: () => `${plan()}/review-queue` },
  {
    action: "values.review",
    method: "POST",
    url: () => `${plan()}/review/approve`,
    body: { cells: [{ unit: "kjj", indicator: "A1", period: "1999" }] },
  },
  { action: "values.progress", method: "GET", url: () => `${plan()}/progress` },
  {
    action: "plans.schedule",
    method: "PUT",
    url: () => `${plan()}/deadline`,
    body: { deadline: "2099-01-01T00:00:00Z" },
  },
  {
    action: "targets.request",
    method: "POST",
    url: () => unit("target-adjustments"),
    body: { indicator: "NOPE", target: 1, reason: "没有这个指标" },
  },
  { action: "targets.read", method: "GET", url: () => `${plan()}/target-adjustments` },
  {
    action: "targets.decide",
    method: "POST",
    url: () => `${plan()}/target-adjustments/${randomUUID()}/decide`,
    body: { decision: "rejected", reason: "不存在" },
  },
  {
    action: "marks.write",
    method: "PUT",
    url: () => unit("marks"),
    body: { indicator: "A1", period: "2022", mark: 1 },
  },
  { action: "marks.read", method: "GET", url: () => `${plan()}/marks` },
  { action: "marks.all", method: "GET", url: () => `${plan()}/marks/summary` },
  { action: "claims.bonus", method: "POST", url: () => unit("claims"), body: { item: "NOPE" } },
  { action: "claims.read", method: "GET", url: () => `${plan()}/claims` },
  {
    action: "claims.decide",
    method: "POST",
    url: () => `${plan()}/claims/${randomUUID()}/decide`,
    body: { decision: "rejected", reason: "不存在" },
  },
];

describe("the permission matrix of the reporting endpoints follows the policy table", () => {
  for (const row of matrix) {
    it(`${row.method} ${row.url().replace(planId, ":planId")} (${row.action})`, async () => {
      const allowed: readonly Role[] = policies[row.action];
      for (const role of roles) {
        const r = await as[role]!.request(row.method, row.url(), row.body);
        const what = `${role} ${row.method} ${row.url()}: ${r.statusCode} ${r.body.slice(0, 200)}`;
        if (allowed.includes(role)) expect(r.statusCode, what).not.toBe(403);
        else expect(r.statusCode, what).toBe(403);
      }
    });
  }

  it("penalties and vetoes follow their own entry (claims.penalty), not the bonus one", async () => {
    for (const role of policies["claims.bonus"]) {
      const r = await as[role]!.request("POST", unit("claims"), { item: "late", value: 1 });
      const penalises = (policies["claims.penalty"] as readonly Role[]).includes(role);
      expect(r.statusCode, `${role}: ${r.body}`).toBe(penalises ? 201 : 403);
    }
  });
});
