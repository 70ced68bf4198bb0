import { readFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DataRow, scorePlan } from "../../src/engine/index.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { auditLog } from "../../src/server/db/schema/index.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/** Every row of the example's values.csv, with level and ref where it has them. */
const allRows: DataRow[] = readFileSync(
  join(import.meta.dirname, "..", "..", "examples", "city-departments", "values.csv"),
  "utf8",
)
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(","))
  .map(([unit, indicator, period, value, source, level, ref, reviewer]) => ({
    unit: unit!,
    indicator: indicator!,
    period: period!,
    value: Number(value),
    ...(source ? { source } : {}),
    ...(level ? { level } : {}),
    ...(ref ? { ref } : {}),
    ...(reviewer ? { reviewer } : {}),
  }));

let t: TestApp;
let database: DatabaseHandle;
let office: Client;
let kjjLeader: Client;
const reviewers: Record<string, Client> = {};
let planId = "";
const plan = examplePlan();

beforeAll(async () => {
  t = await testApp({ units: plan });
  ({ database } = t);
  office = await t.signIn("office", ["office_staff"]);
  kjjLeader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  for (let k = 1; k <= 5; k++) reviewers[`评委${k}`] = await t.signIn(`expert${k}`, ["reviewer"]);
  planId = (await t.publish(office, plan)).planId;
});
afterAll(() => t.close());

const unitUrl = (unit: string, what: string) => `/api/v1/plans/${planId}/units/${unit}/${what}`;

describe("reviewers' marks and bonus, penalty and veto items", () => {
  it("reviewers mark expert-marked indicators, within the scale", async () => {
    for (const row of allRows.filter((r) => r.indicator === "B1")) {
      const r = await reviewers[row.reviewer!]!.request("PUT", unitUrl(row.unit, "marks"), {
        indicator: "B1",
        period: row.period,
        mark: row.value,
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const bad = await reviewers.评委1!.request("PUT", unitUrl("kjj", "marks"), {
      indicator: "B1",
      period: "2022",
      mark: 9,
    });
    expect(bad.json()).toMatchObject({ code: "MARK_OUT_OF_RANGE", field: "mark" });
    expect(
      (
        await reviewers.评委1!.request("PUT", unitUrl("kjj", "marks"), {
          indicator: "A1",
          period: "2022",
          mark: 1,
        })
      ).json().code,
    ).toBe("NOT_EXPERT_MARKED");
    expect(
      (await kjjLeader.request("PUT", unitUrl("kjj", "marks"), { indicator: "B1", period: "2022", mark: 8 }))
        .statusCode,
    ).toBe(403);
  });

  it("a reviewer who belongs to a unit does not mark it (its own organisation)", async () => {
    const fgwReviewer = await t.signIn("fgw.reviewer", ["reviewer"], "fgw");
    const marks = async () =>
      (await office.request("GET", `/api/v1/plans/${planId}/marks?unit=fgw&pageSize=100`)).json().total;
    const before = await marks();
    const r = await fgwReviewer.request("PUT", unitUrl("fgw", "marks"), {
      indicator: "B1",
      period: "2022",
      mark: 8,
    });
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json()).toMatchObject({ code: "FORBIDDEN", title: "不能为本单位评分" });
    expect(await marks()).toBe(before);
  });

  it("a reviewer reads only their own marks; every reviewer's and the trimmed mean are the office's", async () => {
    const marksOf = async (who: Client, query = "") => {
      const r = await who.request("GET", `/api/v1/plans/${planId}/marks?pageSize=500${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items as { unit: string; indicator: string; reviewer: string; mark: number }[];
    };
    const b1 = allRows.filter((r) => r.indicator === "B1");
    const all = await marksOf(office);
    expect(all).toHaveLength(b1.length);
    const first = reviewers.评委1!;
    const own = await marksOf(first);
    expect(own.length).toBe(b1.filter((r) => r.reviewer === "评委1").length);
    expect(own.every((m) => m.reviewer === first.userId)).toBe(true);
    // Asking for another reviewer's marks by id still answers with one's own only.
    const other = reviewers.评委2!.userId;
    expect((await marksOf(first, `&reviewer=${other}`)).every((m) => m.reviewer === first.userId)).toBe(true);
    // The trimmed mean: the office only.
    const summary = await first.request("GET", `/api/v1/plans/${planId}/marks/summary`);
    expect(summary.statusCode).toBe(403);
    const r = await office.request("GET", `/api/v1/plans/${planId}/marks/summary`);
    expect(r.statusCode, r.body).toBe(200);
    const kjj = r
      .json()
      .items.find((i: { unit: string; indicator: string }) => i.unit === "kjj" && i.indicator === "B1");
    const given = b1
      .filter((m) => m.unit === "kjj")
      .map((m) => m.value)
      .sort((a, b) => a - b);
    const kept = given.slice(1, -1);
    expect(kjj).toMatchObject({ reviewers: given.length, kept: kept.length, period: "2022", markMax: 8 });
    expect(kjj.mean).toBeCloseTo(kept.reduce((s, x) => s + x, 0) / kept.length, 9);
    expect((await kjjLeader.request("GET", `/api/v1/plans/${planId}/marks/summary`)).statusCode).toBe(403);
  });

  it("units claim bonuses for themselves, pending the office; penalties and vetoes are the office's", async () => {
    const bonus = allRows.filter((r) => ["award", "incentive"].includes(r.indicator));
    for (const row of bonus) {
      const who = row.unit === "kjj" ? kjjLeader : office;
      const r = await who.request("POST", unitUrl(row.unit, "claims"), {
        item: row.indicator,
        level: row.level,
        ref: row.ref,
        value: row.value,
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().status).toBe(row.unit === "kjj" ? "pending" : "approved");
    }
    expect(
      (await kjjLeader.request("POST", unitUrl("kjj", "claims"), { item: "notice", value: 1 })).statusCode,
    ).toBe(403);
    expect(
      (await kjjLeader.request("POST", unitUrl("kjj", "claims"), { item: "award", level: "世界级" })).json(),
    ).toMatchObject({ code: "BAD_LEVEL", field: "level" });
    expect(
      (await kjjLeader.request("POST", unitUrl("fgw", "claims"), { item: "award", level: "市级" }))
        .statusCode,
    ).toBe(403);
    // What the scoring run would refuse is refused when recorded (it was stored, then failed every run).
    for (const [item, value, code] of [
      ["safety", 0.5, "BAD_VETO"],
      ["safety", 2, "BAD_VETO"],
      ["notice", 1.5, "BAD_PENALTY"],
    ] as const) {
      const refused = await office.request("POST", unitUrl("fgw", "claims"), { item, value });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json()).toMatchObject({ code, field: "value" });
    }
    for (const row of allRows.filter((r) =>
      ["notice", "late", "safety", "discipline"].includes(r.indicator),
    )) {
      expect(
        (await office.request("POST", unitUrl(row.unit, "claims"), { item: row.indicator, value: row.value }))
          .statusCode,
      ).toBe(201);
    }
    const mine = (await kjjLeader.request("GET", `/api/v1/plans/${planId}/claims`)).json().items;
    expect(mine.map((c: { unit: string }) => c.unit)).toEqual(["kjj", "kjj", "kjj"]);
    for (const c of mine) {
      // Two office staff deciding the same claim at once: one decision lands, the other is refused.
      const decide = () =>
        office.request("POST", `/api/v1/plans/${planId}/claims/${c.id}/decide`, {
          decision: "approved",
          reason: "佐证齐全",
        });
      const codes = (await Promise.all([decide(), decide()])).map((r) => r.statusCode);
      expect(codes.sort()).toEqual([204, 409]);
      const decisions = await database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, c.id), eq(auditLog.action, "claim.approve")));
      expect(decisions).toHaveLength(1);
    }
  });

  it("a run scores values, marks and approved items exactly as the engine scores the example's data", async () => {
    const run = (await office.request("POST", `/api/v1/plans/${planId}/runs`)).json();
    const direct = scorePlan(plan, allRows);
    if (!direct.ok) throw new Error(direct.error.message.en);
    const summary = (
      units: {
        unit: string;
        total: number;
        bonus: number;
        penalty: number;
        grade: string | null;
        titles: string[];
      }[],
    ) => units.map((u) => [u.unit, u.total, u.bonus, u.penalty, u.grade, u.titles]);
    expect(summary(run.result.units)).toEqual(summary(direct.value.units));
    const kjj = run.result.units.find((u: { unit: string }) => u.unit === "kjj");
    expect(kjj).toMatchObject({ total: 99.98, bonus: 4, grade: "优秀", titles: ["优胜单位"] });
  });
});
