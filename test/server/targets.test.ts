import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { type Client, signIn } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";
import { examplePlan, publishExample, registerUnits } from "../helpers/example-plan.js";

let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
let kjjLeader: Client;
let fgwLeader: Client;
let planId = "";

beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
  const plan = examplePlan();
  const orgId = await registerUnits(database.db, plan);
  office = await signIn(app, database.db, "office", ["office_staff"]);
  kjjLeader = await signIn(app, database.db, "kjj.leader", ["unit_leader"], orgId("kjj"));
  fgwLeader = await signIn(app, database.db, "fgw.leader", ["unit_leader"], orgId("fgw"));
  planId = (await publishExample(database.db, office, plan)).planId;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const url = (unit: string) => `/api/v1/plans/${planId}/units/${unit}/target-adjustments`;
const a2Points = async () => {
  const run = (await office.request("POST", `/api/v1/plans/${planId}/runs`)).json();
  return run.result.units.find((u: { unit: string }) => u.unit === "kjj").scores.A2 as number;
};

describe("target adjustments (目标调整)", () => {
  it("a unit leader asks for their own unit, for an indicator that has a target, one request at a time", async () => {
    expect(await a2Points()).toBeCloseTo(20.5, 9); // 2.87 of 2.8: 102.5%, bonus capped at 10%
    const r = await kjjLeader.request("POST", url("kjj"), {
      indicator: "A2",
      target: 3,
      reason: "市政府年中调整了研发投入强度目标",
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ indicator: "A2", original: 2.8, requested: 3, status: "pending" });
    expect(
      (
        await kjjLeader.request("POST", url("kjj"), { indicator: "A2", target: 3.1, reason: "再次申请调整" })
      ).json().code,
    ).toBe("PENDING_ADJUSTMENT");
    expect(
      (
        await kjjLeader.request("POST", url("kjj"), {
          indicator: "B2",
          target: 1,
          reason: "是否类指标没有目标",
        })
      ).json(),
    ).toMatchObject({ code: "NO_TARGET", field: "indicator" });
    expect(
      (await fgwLeader.request("POST", url("kjj"), { indicator: "A1", target: 1, reason: "替别的单位申请" }))
        .statusCode,
    ).toBe(403);
    expect(
      (await kjjLeader.request("GET", `/api/v1/plans/${planId}/target-adjustments`)).json().items,
    ).toHaveLength(1);
    expect(
      (await fgwLeader.request("GET", `/api/v1/plans/${planId}/target-adjustments`)).json().items,
    ).toHaveLength(0);
  });

  it("once the office approves, runs score against the new target; the plan keeps the original", async () => {
    const [pending] = (await office.request("GET", `/api/v1/plans/${planId}/target-adjustments`)).json()
      .items;
    expect(
      (
        await kjjLeader.request("POST", `/api/v1/plans/${planId}/target-adjustments/${pending.id}/decide`, {
          decision: "approved",
          reason: "self",
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await office.request("POST", `/api/v1/plans/${planId}/target-adjustments/${pending.id}/decide`, {
          decision: "approved",
          reason: "经市政府批准",
        })
      ).statusCode,
    ).toBe(204);
    expect(await a2Points()).toBeCloseTo((20 * 2.87) / 3, 9);
    const document = (await office.request("GET", `/api/v1/plans/${planId}`)).json().document;
    expect(document.targets.A2.kjj).toBe(2.8);
    expect(
      (
        await office.request("POST", `/api/v1/plans/${planId}/target-adjustments/${pending.id}/decide`, {
          decision: "rejected",
          reason: "again",
        })
      ).json().code,
    ).toBe("ALREADY_DECIDED");
  });

  it("a rejected request changes nothing", async () => {
    const fgwBefore = (await office.request("POST", `/api/v1/plans/${planId}/runs`))
      .json()
      .result.units.find((u: { unit: string }) => u.unit === "fgw").scores.A1;
    const r = await fgwLeader.request("POST", url("fgw"), {
      indicator: "A1",
      target: 20,
      reason: "任务数量减少",
    });
    await office.request("POST", `/api/v1/plans/${planId}/target-adjustments/${r.json().id}/decide`, {
      decision: "rejected",
      reason: "理由不充分",
    });
    const fgwAfter = (await office.request("POST", `/api/v1/plans/${planId}/runs`))
      .json()
      .result.units.find((u: { unit: string }) => u.unit === "fgw").scores.A1;
    expect(fgwAfter).toBe(fgwBefore);
    const mine = (await fgwLeader.request("GET", `/api/v1/plans/${planId}/target-adjustments`)).json().items;
    expect(mine[0]).toMatchObject({
      status: "rejected",
      decisionReason: "理由不充分",
      original: 30,
      requested: 20,
    });
  });
});
