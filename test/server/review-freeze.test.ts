import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { defaultSecurity } from "../../src/server/config.js";
import { type DatabaseHandle, resultRows } from "../../src/server/db/client.js";
import { auditLog } from "../../src/server/db/schema/index.js";
import { type Client, signIn } from "../helpers/accounts.js";
import { testDatabase, usingPostgres } from "../helpers/database.js";
import { examplePlan, publishExample, registerUnits } from "../helpers/example-plan.js";

/**
 * Found in review: freezing and the correction path after an accepted objection, revisions and the
 * publications of earlier versions, and writes racing a freeze.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let clock = Date.parse("2023-02-01T00:00:00Z");
let office: Client;
let reviewer: Client;
let fgwLeader: Client;
let fgwReporter: Client;
const reporters: Client[] = [];
const RACE_UNITS = ["kjj", "fgw", "jwj"];

const planCoded = (code: string) => ({
  ...examplePlan(),
  id: code,
  publication: { noticeDays: 5, show: ["total", "rank", "grade"] },
});

beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({
    database,
    now: () => new Date(clock),
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
  });
  const orgId = await registerUnits(database.db, examplePlan());
  office = await signIn(app, database.db, "office", ["office_staff"]);
  reviewer = await signIn(app, database.db, "reviewer", ["reviewer"]);
  fgwLeader = await signIn(app, database.db, "fgw.leader", ["unit_leader"], orgId("fgw"));
  fgwReporter = await signIn(app, database.db, "fgw.reporter", ["unit_reporter"], orgId("fgw"));
  for (const unit of RACE_UNITS)
    reporters.push(await signIn(app, database.db, `${unit}.racer`, ["unit_reporter"], orgId(unit)));
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const runAndPublish = async (planId: string) => {
  const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
  expect(run.statusCode, run.body).toBe(201);
  const p = await office.request("POST", `/api/v1/plans/${planId}/runs/${run.json().id}/publish`);
  expect(p.statusCode, p.body).toBe(201);
  return p.json().id as string;
};
const objectionsOf = (planId: string, publicationId: string) =>
  `/api/v1/plans/${planId}/publications/${publicationId}/objections`;
const freeze = (planId: string) => office.request("POST", `/api/v1/plans/${planId}/freeze`);
const fgwValue = async (planId: string, indicator: string) =>
  (await fgwReporter.request("GET", `/api/v1/plans/${planId}/units/fgw/values`))
    .json()
    .items.find(
      (v: { indicator: string; period: string }) => v.indicator === indicator && v.period === "2022",
    );

describe("freezing waits for the correction of an accepted objection", () => {
  let planId = "";
  let first = "";
  let objection = "";

  it("is refused while the results are under notice (an objection may still come)", async () => {
    ({ planId } = await publishExample(database.db, office, planCoded("freeze-notice")));
    first = await runAndPublish(planId);
    const r = await freeze(planId);
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().code).toBe("CORRECTION_PENDING");
    expect((await office.request("GET", `/api/v1/plans/${planId}`)).json().status).toBe("published");
  });

  it("is refused after the notice while an accepted objection is not corrected, and the unit can correct", async () => {
    const filed = await fgwLeader.request("POST", objectionsOf(planId, first), {
      unit: "fgw",
      reason: "A1 完成数有误",
      cells: [{ indicator: "A1", period: "2022" }],
    });
    expect(filed.statusCode, filed.body).toBe(201);
    objection = filed.json().id;
    const accepted = await office.request("POST", `${objectionsOf(planId, first)}/${objection}/resolve`, {
      decision: "accepted",
      resolution: "请更正 A1",
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    clock += 6 * 86_400_000;
    const finalised = await office.request("POST", `/api/v1/plans/${planId}/publications/${first}/finalise`);
    expect(finalised.statusCode, finalised.body).toBe(204);
    // Final, but the accepted objection has no correction yet: a freeze would strand the unlocked cell.
    const refused = await freeze(planId);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe("CORRECTION_PENDING");
    // So the unit can still correct it.
    const a1 = await fgwValue(planId, "A1");
    expect(a1.status).toBe("returned");
    const saved = await fgwReporter.request("PUT", `/api/v1/plans/${planId}/units/fgw/values`, {
      indicator: "A1",
      period: "2022",
      value: 31,
      revision: a1.revision,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const evidence = await fgwReporter.send(
      "POST",
      `/api/v1/plans/${planId}/units/fgw/evidence?indicator=A1&period=2022&filename=list.pdf`,
      Buffer.from("%PDF-1.4\n% corrected\n%%EOF\n"),
      "application/pdf",
    );
    expect(evidence.statusCode, evidence.body).toBe(201);
    const submitted = await fgwLeader.request("POST", `/api/v1/plans/${planId}/units/fgw/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await reviewer.request("POST", `/api/v1/plans/${planId}/units/fgw/review`, {
      indicator: "A1",
      period: "2022",
      decision: "approve",
    });
    expect(approved.statusCode, approved.body).toBe(204);
  });

  it("is accepted once the correction is published and final", async () => {
    const second = await runAndPublish(planId);
    expect((await freeze(planId)).json().code).toBe("CORRECTION_PENDING");
    clock += 6 * 86_400_000;
    expect(
      (await office.request("POST", `/api/v1/plans/${planId}/publications/${second}/finalise`)).statusCode,
    ).toBe(204);
    const r = await freeze(planId);
    expect(r.statusCode, r.body).toBe(204);
    expect((await office.request("GET", `/api/v1/plans/${planId}`)).json().status).toBe("frozen");
    const entries = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "plan.freeze"), eq(auditLog.entityId, planId)));
    expect(entries).toHaveLength(1);
  });

  it("a plan frozen before publishing takes no correction: accepting an objection naming cells is refused", async () => {
    const { planId } = await publishExample(database.db, office, planCoded("freeze-first"));
    expect((await freeze(planId)).statusCode).toBe(204);
    const pub = await runAndPublish(planId);
    const filed = await fgwLeader.request("POST", objectionsOf(planId, pub), {
      unit: "fgw",
      reason: "A1 完成数有误",
      cells: [{ indicator: "A1", period: "2022" }],
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const url = `${objectionsOf(planId, pub)}/${filed.json().id}/resolve`;
    const accepted = await office.request("POST", url, { decision: "accepted", resolution: "请更正" });
    expect(accepted.statusCode, accepted.body).toBe(409);
    expect(accepted.json().code).toBe("PLAN_FROZEN");
    expect((await fgwValue(planId, "A1")).status).toBe("approved");
    // Still open: it can be rejected (with the reason that the plan is frozen).
    const rejected = await office.request("POST", url, { decision: "rejected", resolution: "方案已冻结" });
    expect(rejected.statusCode, rejected.body).toBe(200);
  });
});

describe.runIf(usingPostgres)("writes racing a freeze (PostgreSQL)", () => {
  it("no save commits after the freeze committed: each is saved before it or refused PLAN_FROZEN", async () => {
    const cells = ["A1", "A2", "A3", "B2", "B3", "B4", "C1", "C2", "C3"];
    for (const round of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const { planId } = await publishExample(database.db, office, planCoded(`race-freeze-${round}`), false);
      const saves = reporters.flatMap((reporter, k) =>
        cells.map((indicator, i) =>
          new Promise((ok) => setTimeout(ok, (i + k) % 6)).then(() =>
            reporter.request("PUT", `/api/v1/plans/${planId}/units/${RACE_UNITS[k]}/values`, {
              indicator,
              period: "2022",
              value: indicator === "B2" ? 1 : 10 + i,
            }),
          ),
        ),
      );
      const frozen = new Promise((ok) => setTimeout(ok, round)).then(() => freeze(planId));
      const answers = await Promise.all(saves);
      const what = `round ${round}`;
      expect((await frozen).statusCode, what).toBe(204);
      for (const a of answers) {
        expect([200, 409], a.body).toContain(a.statusCode);
        if (a.statusCode === 409) expect(a.json().code).toBe("PLAN_FROZEN");
      }
      // The audit chain is appended in commit order (under its lock): no save after the freeze's entry.
      const [{ freezeSeq, late }] = resultRows<{ freezeSeq: number; late: number }>(
        await database.db.execute(sql`
          WITH f AS (SELECT max(seq) AS s FROM audit_log WHERE action = 'plan.freeze' AND entity_id = ${planId})
          SELECT (SELECT s FROM f)::int AS "freezeSeq",
            (SELECT count(*) FROM audit_log WHERE action = 'value.save' AND seq > (SELECT s FROM f))::int AS late`),
      ) as [{ freezeSeq: number; late: number }];
      expect(freezeSeq, what).toBeGreaterThan(0);
      expect(late, what).toBe(0);
      const [{ stored }] = resultRows<{ stored: number }>(
        await database.db.execute(sql`
          SELECT count(*)::int AS stored FROM reported_values r JOIN plan_versions v ON v.id = r.plan_version_id
          WHERE v.plan_id = ${planId}`),
      ) as [{ stored: number }];
      expect(stored, what).toBe(answers.filter((a) => a.statusCode === 200).length);
    }
  });
});
