import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../helpers/accounts.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/** The county example: rank tables outside full marks inside a node and on the total. */
const plan = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "..", "examples", "county-districts", "plan.json"), "utf8"),
);

let t: TestApp;
let office: Client;
let reporter: Client;

beforeAll(async () => {
  t = await testApp({ units: plan });
  office = await t.signIn("office", ["office_staff"]);
  reporter = await t.signIn("cx.reporter", ["unit_reporter"], "cx");
});
afterAll(() => t.close());

describe("a plan with adjustments outside full marks", () => {
  it("is accepted (a rank table inside a node failed '下级分值合计 105'), and units report the ranks", async () => {
    const { planId } = await t.publish(office, plan, false);
    const csv = (await reporter.request("GET", `/api/v1/plans/${planId}/units/cx/template.csv`)).body;
    const codes = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[0]);
    expect(codes).toEqual(expect.arrayContaining(["GDP", "GDP_RANK", "RANK"]));
    // A rank outside the table's 90 places is refused through the same value rule.
    const bad = await reporter.request("PUT", `/api/v1/plans/${planId}/units/cx/values`, {
      indicator: "GDP_RANK",
      period: "2023",
      value: 91,
    });
    expect(bad.json()).toMatchObject({
      code: "BAD_RANK",
      title: "单位 cx 的指标 GDP_RANK（地区生产总值增速全省位次加减分）：位次只能是 1 到 90 的整数，不是 91",
    });
  });
});
