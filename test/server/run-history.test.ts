/**
 * 历年结果 (GET /plans/:planId/history) on the demo year: the 目标责任制 series is 2021 and 2022 (final,
 * seeded) and 2023 (scored here from 2022's data, lowered per unit); the talent plan of 2022 is another series. The
 * numbers are the runs' own; a unit's people see only their own unit, and only years published.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoringRun } from "../../src/engine/index.js";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { DEMO_PASSWORD, seedDemo } from "../../src/server/demo.js";
import type { PlanHistory } from "../../src/server/modules/runs/schema.js";
import { type Client, signIn, signInAs } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";
import { scoreDemo2023 } from "../helpers/next-year.js";

let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
let reviewer: Client;
let reporter: Client;
let ids: { planId: string; workPlanId: string; id: string; result: ScoringRun };
let published2021: ScoringRun;
let published2022: ScoringRun;
let priorPlanId = "";
let talentPlanId = "";

beforeAll(async () => {
  database = await testDatabase();
  await seedDemo(database.db);
  app = await buildApp({ database });
  office = await signInAs(app, "office", DEMO_PASSWORD);
  reviewer = await signInAs(app, "reviewer", DEMO_PASSWORD);
  reporter = await signInAs(app, "kjj.reporter", DEMO_PASSWORD);
  const scored = await scoreDemo2023(database.db, office);
  ids = { ...scored, result: scored.result as ScoringRun };
  const pubs = (await office.request("GET", `/api/v1/plans/${ids.workPlanId}/publications`)).json().items;
  const run = await office.request("GET", `/api/v1/plans/${ids.workPlanId}/runs/${pubs[0].runId}`);
  published2022 = run.json().result;
  const items = (await office.request("GET", "/api/v1/plans")).json().items as {
    planId: string;
    name: string;
  }[];
  talentPlanId = items.find((p) => p.name.includes("人才"))!.planId;
  priorPlanId = items.find((p) => p.name.startsWith("2021年度"))!.planId;
  const prior = (await office.request("GET", `/api/v1/plans/${priorPlanId}/publications`)).json().items;
  published2021 = (await office.request("GET", `/api/v1/plans/${priorPlanId}/runs/${prior[0].runId}`)).json()
    .result;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const historyOf = async (client: Client, planId: string) => {
  const reply = await client.request("GET", `/api/v1/plans/${planId}/history`);
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json() as PlanHistory;
};

/** The run's numbers for a unit, as the history gives them. */
const numbers = (run: ScoringRun, unit: string) => {
  const u = run.units.find((x) => x.unit === unit)!;
  return {
    period: run.period,
    total: u.total,
    rank: u.rank,
    rankOf: u.rankOf,
    category: u.category,
    categoryName: u.categoryName,
    grade: u.grade,
  };
};

describe("GET /plans/:planId/history", () => {
  it("gives the office each year's run in force: 2021's and 2022's final publications, 2023's latest run", async () => {
    for (const planId of [priorPlanId, ids.planId, ids.workPlanId]) {
      const h = await historyOf(office, planId);
      expect(h.years.map((y) => [y.period, y.planId, y.source])).toEqual([
        ["2021", priorPlanId, "final"],
        ["2022", ids.workPlanId, "final"],
        ["2023", ids.planId, "run"],
      ]);
      expect(h.years[2]!.runId).toBe(ids.id);
      expect(h.items).toHaveLength(published2022.units.length);
      for (const u of h.items)
        expect(u.years).toEqual([
          numbers(published2021, u.unit),
          numbers(published2022, u.unit),
          numbers(ids.result, u.unit),
        ]);
    }
    // The 2023 data lowered per unit: some ranks moved, so the 进位 chart has something to show.
    const h = await historyOf(office, ids.planId);
    expect(h.items.some((u) => u.years[1]!.rank !== u.years[2]!.rank)).toBe(true);
  });

  it("keeps another kind of plan of the same year out of the series (人才工作: few units in common)", async () => {
    const h = await historyOf(office, talentPlanId);
    expect(h.years.map((y) => [y.period, y.planId])).toEqual([["2022", talentPlanId]]);
    const work = await historyOf(office, ids.planId);
    expect(work.years.map((y) => y.planId)).not.toContain(talentPlanId);
  });

  it("gives reviewers every unit, as the office", async () => {
    expect(await historyOf(reviewer, ids.planId)).toEqual(await historyOf(office, ids.planId));
  });

  it("gives a unit's people their own unit only, and only the years published", async () => {
    const before = await historyOf(reporter, ids.planId);
    expect(before.years.map((y) => [y.period, y.source])).toEqual([
      ["2021", "final"],
      ["2022", "final"],
    ]);
    expect(before.items.map((u) => u.unit)).toEqual(["kjj"]);
    expect(before.items[0]!.years).toEqual([numbers(published2021, "kjj"), numbers(published2022, "kjj")]);
    // Once 2023's run is put up for notice, the unit sees that year too (its own numbers only).
    const pub = await office.request("POST", `/api/v1/plans/${ids.planId}/runs/${ids.id}/publish`);
    expect(pub.statusCode, pub.body).toBe(201);
    const after = await historyOf(reporter, ids.planId);
    expect(after.years.map((y) => [y.period, y.source])).toEqual([
      ["2021", "final"],
      ["2022", "final"],
      ["2023", "notice"],
    ]);
    expect(after.items.map((u) => u.unit)).toEqual(["kjj"]);
    expect(after.items[0]!.years).toEqual([
      numbers(published2021, "kjj"),
      numbers(published2022, "kjj"),
      numbers(ids.result, "kjj"),
    ]);
  });

  it("refuses without a session, and a role without results", async () => {
    const anonymous = await app.inject({ method: "GET", url: `/api/v1/plans/${ids.planId}/history` });
    expect(anonymous.statusCode).toBe(401);
    const admin = await signIn(app, database.db, "history.admin", ["system_admin"]);
    expect((await admin.request("GET", `/api/v1/plans/${ids.planId}/history`)).statusCode).toBe(403);
  });
});
