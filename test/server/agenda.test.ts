import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSecurity } from "../../src/server/config.js";
import type { AgendaPlan } from "../../src/server/modules/agenda/schema.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * GET /me/agenda, role by role, on the example plan with every reported value approved and its results
 * on public notice; then the office sends some values back, units correct and submit, ask and object.
 * Each count is checked against the endpoint the action is done on (the review queue, the progress, the
 * lists), and a unit never sees another unit's.
 */
const planDocument = { ...examplePlan(), publication: { noticeDays: 5, show: ["grade"] } };
// 依法行政 (B2) is led by the organisation department: its reviewers review B2 of the other units.
planDocument.indicators[1].children[1].lead = "zzb";

let t: TestApp;
let clock = Date.parse("2023-01-10T00:00:00Z");
const day = 86_400_000;
type Who = "office" | "reviewer" | "zzbReviewer" | "sysadmin" | `${"kjj" | "fgw"}.${"reporter" | "leader"}`;
const c = {} as Record<Who, Client>;
let planId = "";
let publicationId = "";

const agendaOf = async (who: Client): Promise<AgendaPlan> => {
  const r = await who.request("GET", "/api/v1/me/agenda");
  expect(r.statusCode, r.body).toBe(200);
  const items = r.json().items as AgendaPlan[];
  expect(items.map((i) => i.planId)).toEqual([planId]);
  return items[0]!;
};
const url = (path: string) => `/api/v1/plans/${planId}${path}`;
const ok = async <R extends { statusCode: number; body: string }>(r: Promise<R>) => {
  const done = await r;
  expect(done.statusCode, done.body).toBeLessThan(300);
  return done;
};
const returnValue = (unit: string, indicator: string, reason: string) =>
  ok(
    c.office.request("POST", url(`/units/${unit}/review`), {
      indicator,
      period: "2022",
      decision: "return",
      reason,
    }),
  );
const revisionOf = async (unit: "kjj" | "fgw", indicator: string) =>
  (
    (await c[`${unit}.reporter` as Who].request("GET", url(`/units/${unit}/values`))).json().items as {
      indicator: string;
      period: string;
      revision: number;
      value: number;
    }[]
  ).find((v) => v.indicator === indicator && v.period === "2022")!;

beforeAll(async () => {
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: planDocument,
  });
  c.office = await t.signIn("office", ["office_staff"]);
  c.reviewer = await t.signIn("reviewer", ["reviewer"]);
  c.zzbReviewer = await t.signIn("zzb.reviewer", ["reviewer"], "zzb");
  c.sysadmin = await t.signIn("sysadmin", ["system_admin"]);
  for (const unit of ["kjj", "fgw"] as const) {
    c[`${unit}.reporter` as Who] = await t.signIn(`${unit}.reporter`, ["unit_reporter"], unit);
    c[`${unit}.leader` as Who] = await t.signIn(`${unit}.leader`, ["unit_leader"], unit);
  }
  planId = (await t.publish(c.office, planDocument)).planId;
  await ok(c.office.request("PUT", url("/deadline"), { deadline: new Date(clock + 7 * day).toISOString() }));
  const run = (await ok(c.office.request("POST", url("/runs")))).json().id;
  publicationId = (await ok(c.office.request("POST", url(`/runs/${run}/publish`)))).json().id;
});
afterAll(() => t.close());

describe("the workbench's agenda (GET /me/agenda)", () => {
  it("starts empty where everything is approved, with the plan's deadline and open notice", async () => {
    const reporter = await agendaOf(c["kjj.reporter"]);
    expect(reporter).toMatchObject({
      unit: "kjj",
      status: "published",
      window: { open: true, closedBy: null, deadline: "2023-01-17T00:00:00.000Z", reopenedUntil: null },
      entry: { empty: 0, draft: 0, submitted: 0, returned: 0 },
      returned: { total: 0, items: [] },
      review: null,
      objections: null, // a reporter neither files nor resolves objections
      targetAdjustments: null,
      claims: null,
    });
    const progress = (await c.office.request("GET", url("/progress"))).json();
    expect(reporter.entry!.expected).toBe(progress.totals.expected / planDocument.units.length);
    expect(reporter.entry!.approved).toBe(
      progress.units.find((u: { unit: string }) => u.unit === "kjj").approved,
    );
    const leader = await agendaOf(c["kjj.leader"]);
    expect(leader.objections).toEqual({
      open: 0,
      notice: { publicationId, noticeUntil: "2023-01-15T00:00:00.000Z" },
      publicationId,
      items: [],
    });
    expect(leader).toMatchObject({ targetAdjustments: { pending: 0 }, claims: { pending: 0 } });
    expect(await agendaOf(c.office)).toMatchObject({
      unit: null,
      entry: null,
      returned: null,
      review: { submitted: 0 },
      objections: { open: 0 },
      targetAdjustments: { pending: 0 },
      claims: { pending: 0 },
    });
  });

  it("counts what each role must act on, as the pages the actions are done on list it", async () => {
    // kjj: B2 returned, corrected and submitted; C1 returned and left; C2 returned and withdrawn (empty).
    await returnValue("kjj", "B2", "依法行政得分口径有误，请按新口径重填");
    const b2 = await revisionOf("kjj", "B2");
    await ok(
      c["kjj.reporter"].request("PUT", url("/units/kjj/values"), {
        indicator: "B2",
        period: "2022",
        value: 1 - b2.value, // a yes-no indicator (是否类)
        revision: b2.revision,
      }),
    );
    await ok(c["kjj.leader"].request("POST", url("/units/kjj/submit")));
    await returnValue("kjj", "C1", "C1 佐证与填报数不一致");
    clock += 1000;
    await returnValue("kjj", "C2", "C2 请补充说明");
    const c2 = await revisionOf("kjj", "C2");
    await ok(
      c["kjj.reporter"].request(
        "DELETE",
        url(`/units/kjj/values?indicator=C2&period=2022&revision=${c2.revision}`),
      ),
    );
    // fgw: C1 returned, corrected and submitted.
    await returnValue("fgw", "C1", "请核对");
    const f = await revisionOf("fgw", "C1");
    await ok(
      c["fgw.reporter"].request("PUT", url("/units/fgw/values"), {
        indicator: "C1",
        period: "2022",
        value: f.value + 1,
        revision: f.revision,
      }),
    );
    await ok(c["fgw.leader"].request("POST", url("/units/fgw/submit")));
    // kjj asks for a target adjustment and a bonus, and objects; fgw objects too.
    await ok(
      c["kjj.leader"].request("POST", url("/units/kjj/target-adjustments"), {
        indicator: "A2",
        target: 3,
        reason: "市政府年中调整了研发投入强度目标",
      }),
    );
    await ok(c["kjj.leader"].request("POST", url("/units/kjj/claims"), { item: "award", level: "市级" }));
    const objections = url(`/publications/${publicationId}/objections`);
    await ok(
      c["kjj.leader"].request("POST", objections, { unit: "kjj", reason: "对党建评分有异议，请复核" }),
    );
    await ok(c["fgw.leader"].request("POST", objections, { unit: "fgw", reason: "A1 完成数有误" }));

    const reporter = await agendaOf(c["kjj.reporter"]);
    expect(reporter.entry).toMatchObject({ empty: 1, draft: 0, submitted: 1, returned: 1 });
    expect(reporter.returned).toEqual({
      total: 1,
      items: [
        {
          indicator: "C1",
          name: expect.any(String),
          nameEn: expect.anything(),
          period: "2022",
          reason: "C1 佐证与填报数不一致",
          response: null,
          updatedAt: expect.any(String),
        },
      ],
    });
    const progress = (await c.office.request("GET", url("/progress"))).json();
    const kjj = progress.units.find((u: { unit: string }) => u.unit === "kjj");
    expect(reporter.entry).toMatchObject({
      submitted: kjj.submitted,
      returned: kjj.returned,
      approved: kjj.approved,
    });
    expect(reporter.entry!.expected - reporter.entry!.empty).toBe(kjj.entered);

    const leader = await agendaOf(c["kjj.leader"]);
    expect(leader.returned!.total).toBe(1);
    expect(leader.targetAdjustments).toEqual({ pending: 1 });
    expect(leader.claims).toEqual({ pending: 1 });
    expect(leader.objections).toMatchObject({
      open: 1,
      publicationId,
      items: [{ unit: "kjj", status: "open", reason: "对党建评分有异议，请复核", resolution: null }],
    });

    // The office and the reviewers: the review queue's own totals.
    const queueTotal = async (who: Client) =>
      (await who.request("GET", url("/review-queue?pageSize=1"))).json().total as number;
    const office = await agendaOf(c.office);
    expect(office.review).toEqual({ submitted: 2 });
    expect(office.review!.submitted).toBe(await queueTotal(c.office));
    expect((await agendaOf(c.reviewer)).review).toEqual({ submitted: 2 });
    // The organisation department's reviewer: only B2 (the indicator it leads) of the other units.
    const lead = await agendaOf(c.zzbReviewer);
    expect(lead.review).toEqual({ submitted: 1 });
    expect(lead.review!.submitted).toBe(await queueTotal(c.zzbReviewer));
    expect(lead).toMatchObject({
      unit: null,
      entry: null,
      objections: null,
      targetAdjustments: null,
      claims: null,
    });
    expect(office).toMatchObject({
      objections: { open: 2, publicationId, items: [] },
      targetAdjustments: { pending: 1 },
      claims: { pending: 1 },
    });
  });

  it("a unit never sees another unit's counts", async () => {
    const r = await c["fgw.leader"].request("GET", "/api/v1/me/agenda");
    const fgw = r.json().items[0] as AgendaPlan;
    expect(fgw).toMatchObject({
      unit: "fgw",
      entry: { empty: 0, submitted: 1, returned: 0 },
      returned: { total: 0 },
      targetAdjustments: { pending: 0 },
      claims: { pending: 0 },
      objections: { open: 1, items: [{ unit: "fgw", reason: "A1 完成数有误" }] },
    });
    expect(fgw.objections!.items).toHaveLength(1);
    // Nothing of kjj's anywhere in the answer: not its code, its reasons nor its objection.
    expect(r.body).not.toMatch(/kjj|C1 佐证|党建/);
    const reporter = await c["fgw.reporter"].request("GET", "/api/v1/me/agenda");
    expect(reporter.body).not.toMatch(/kjj|C1 佐证|党建/);
    // The administrators see no plan; no one signed in gets a 401.
    expect((await c.sysadmin.request("GET", "/api/v1/me/agenda")).json()).toEqual({ items: [] });
    expect((await t.app.inject({ method: "GET", url: "/api/v1/me/agenda" })).statusCode).toBe(401);
  });

  it("after the deadline a reopened unit counts down to its own reopening; others are closed", async () => {
    clock += 8 * day; // the deadline (and the notice) have passed
    const until = new Date(clock + 3 * day).toISOString();
    await ok(c.office.request("POST", url("/units/kjj/reopen"), { until, reason: "补报佐证材料" }));
    expect((await agendaOf(c["kjj.reporter"])).window).toEqual({
      open: true,
      closedBy: null,
      deadline: "2023-01-17T00:00:00.000Z",
      reopenedUntil: until,
    });
    expect((await agendaOf(c["fgw.reporter"])).window).toMatchObject({
      open: false,
      closedBy: "DEADLINE_PASSED",
      reopenedUntil: null,
    });
    // The notice is over: objections can no longer be filed, the open ones still wait for the office.
    expect((await agendaOf(c["kjj.leader"])).objections).toMatchObject({ open: 1, notice: null });
    expect((await agendaOf(c.office)).window).toMatchObject({ open: false, closedBy: "DEADLINE_PASSED" });
  });
});
