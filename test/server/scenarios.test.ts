import { and, count, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { planVersions, scenarios, scoringRuns } from "../../src/server/db/schema/index.js";
import { DEMO_PASSWORD, seedExampleDemo } from "../../src/server/demo.js";
import { verifyAuditChain } from "../../src/server/modules/audit/service.js";
import { MAX_SCENARIOS_PER_OWNER } from "../../src/server/modules/scenarios/service.js";
import { type Client, signIn, signInAs } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";

/**
 * 模拟测算 (issue 10): the office reads a run's frozen inputs and saves what-if scenarios of it, each
 * checked by scoring it, private to its owner until shared; never anyone else's to change.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
let colleague: Client;
let planId = "";
let runId = "";

beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
  await seedExampleDemo(database.db);
  office = await signInAs(app, "office", DEMO_PASSWORD);
  colleague = await signIn(app, database.db, "office.colleague", ["office_staff"]);
  const [run] = await database.db
    .select({ id: scoringRuns.id, planId: planVersions.planId })
    .from(scoringRuns)
    .innerJoin(planVersions, eq(planVersions.id, scoringRuns.planVersionId));
  planId = run!.planId;
  runId = run!.id;
}, 120_000);
afterAll(async () => {
  await app.close();
  await database.close();
});

const base = () => `/api/v1/plans/${planId}/scenarios`;
const change = { points: { A1: 30 }, grades: { 优秀: { share: 0.2 } } };

describe("a run's inputs", () => {
  it("are the office's: the plan as scored and every unit's rows", async () => {
    const r = await office.request("GET", `/api/v1/plans/${planId}/runs/${runId}/inputs`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.id).toBe(runId);
    expect(body.inputs.plan.indicators.length).toBeGreaterThan(0);
    expect(body.inputs.rows.length).toBeGreaterThan(10);
    expect(r.headers["cache-control"]).toContain("private");
  });

  it("are no reviewer's or unit's", async () => {
    const reviewer = await signInAs(app, "reviewer", DEMO_PASSWORD);
    const leader = await signInAs(app, "kjj.leader", DEMO_PASSWORD);
    for (const who of [reviewer, leader]) {
      const r = await who.request("GET", `/api/v1/plans/${planId}/runs/${runId}/inputs`);
      expect(r.statusCode).toBe(403);
      const scenariosOf = await who.request("GET", base());
      expect(scenariosOf.statusCode).toBe(403);
    }
  });
});

describe("scenarios", () => {
  let id = "";

  it("are saved by one of the office and listed as theirs", async () => {
    const r = await office.request("POST", base(), { runId, name: "A1 加重", changes: change });
    expect(r.statusCode, r.body).toBe(201);
    id = r.json().id;
    expect(r.json()).toMatchObject({ name: "A1 加重", mine: true, shared: false, size: 2, owner: "office" });
    const list = await office.request("GET", base());
    expect(list.json().items.map((s: { id: string }) => s.id)).toContain(id);
  });

  it("are private until shared, then read by the office, changed only by their owner", async () => {
    expect((await colleague.request("GET", base())).json().items).toEqual([]);
    expect((await colleague.request("GET", `${base()}/${id}`)).statusCode).toBe(404);
    const shared = await office.request("PUT", `${base()}/${id}`, {
      name: "A1 加重（共享）",
      changes: change,
      shared: true,
    });
    expect(shared.statusCode, shared.body).toBe(200);
    const seen = await colleague.request("GET", `${base()}/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ mine: false, shared: true, owner: "office", changes: change });
    const put = await colleague.request("PUT", `${base()}/${id}`, { name: "mine now", changes: {} });
    expect(put.statusCode).toBe(403);
    const del = await colleague.request("DELETE", `${base()}/${id}`);
    expect(del.statusCode).toBe(403);
    expect((await office.request("GET", `${base()}/${id}`)).json().name).toBe("A1 加重（共享）");
  });

  it("refuse a change the plan does not take, naming the indicator or unit, and save nothing", async () => {
    const before = (await office.request("GET", base())).json().items.length;
    const node = await office.request(
      "POST",
      base(),
      { runId, name: "bad", changes: { points: { Z9: 3 } } },
      { "accept-language": "zh-CN" },
    );
    expect(node.statusCode).toBe(422);
    expect(node.json()).toMatchObject({ code: "SCENARIO_UNKNOWN_NODE", indicator: "Z9" });
    expect(node.json().title).toContain("方案中没有指标 Z9");
    const unit = await office.request(
      "POST",
      base(),
      {
        runId,
        name: "bad",
        changes: { values: [{ unit: "nobody", indicator: "A1", period: "2022", value: 1 }] },
      },
      { "accept-language": "en" },
    );
    expect(unit.statusCode).toBe(422);
    expect(unit.json()).toMatchObject({ code: "SCENARIO_UNKNOWN_UNIT", unit: "nobody" });
    const infinite = await office.request("POST", base(), {
      runId,
      name: "bad",
      changes: { points: { A1: -5 } },
    });
    expect(infinite.statusCode).toBe(400);
    expect((await office.request("GET", base())).json().items.length).toBe(before);
  });

  it("are of the plan's own runs: another plan's id is not found", async () => {
    const r = await office.request("POST", base(), {
      runId: "00000000-0000-4000-8000-000000000000",
      name: "x",
      changes: {},
    });
    expect(r.statusCode).toBe(404);
  });

  it("are bounded per person, even when the saves race", async () => {
    const mine = async () =>
      (
        await database.db
          .select({ n: count() })
          .from(scenarios)
          .where(and(eq(scenarios.planId, planId), eq(scenarios.ownerId, colleague.userId)))
      )[0]!.n;
    const room = 3;
    await database.db.insert(scenarios).values(
      Array.from({ length: MAX_SCENARIOS_PER_OWNER - room - (await mine()) }, (_, k) => ({
        planId,
        runId,
        ownerId: colleague.userId,
        name: `filler ${k}`,
        changes: {},
      })),
    );
    const replies = await Promise.all(
      Array.from({ length: room + 3 }, (_, k) =>
        colleague.request("POST", base(), { runId, name: `race ${k}`, changes: { points: { A1: 26 } } }),
      ),
    );
    const codes = replies.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(room);
    expect(codes.filter((c) => c === 409)).toHaveLength(3);
    expect(replies.find((r) => r.statusCode === 409)!.json().code).toBe("TOO_MANY_SCENARIOS");
    expect(await mine()).toBe(MAX_SCENARIOS_PER_OWNER);
  });

  it("are deleted by their owner, audited in an intact chain", async () => {
    const r = await office.request("DELETE", `${base()}/${id}`);
    expect(r.statusCode).toBe(204);
    expect((await office.request("GET", `${base()}/${id}`)).statusCode).toBe(404);
    const chain = await verifyAuditChain(database.db);
    expect(chain.ok).toBe(true);
  });
});
