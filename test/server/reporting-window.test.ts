import { count, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSecurity } from "../../src/server/config.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { auditLog } from "../../src/server/db/schema/index.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * The reporting window and the rules of every write about a unit's data (issue 8): the cell must be
 * one of the plan's, the window open, the value not under review or approved; values and files can be
 * withdrawn before submission; a returned value needs a change or an answer; imported values wait for
 * their evidence; the office sees the year's progress, a review queue, and approves in batches.
 */

const planDocument = examplePlan();
// 依法行政 (B2) is led by the organisation department (牵头部门).
planDocument.indicators[1].children[1].lead = "zzb";

let t: TestApp;
let database: DatabaseHandle;
let app: FastifyInstance;
let clock = Date.parse("2023-01-10T00:00:00Z");
let office: Client;
let reviewer: Client;
let zzbReviewer: Client;
let auditor: Client;
const reporter: Record<string, Client> = {};
const leader: Record<string, Client> = {};
let planId = "";
const PDF = Buffer.from("%PDF-1.4\n% 佐证材料\n%%EOF\n");

beforeAll(async () => {
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, loginsPerMinute: 1000, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: planDocument,
  });
  ({ database, app } = t);
  office = await t.signIn("office", ["office_staff"]);
  reviewer = await t.signIn("reviewer", ["reviewer"]);
  zzbReviewer = await t.signIn("zzb.reviewer", ["reviewer"], "zzb");
  auditor = await t.signIn("auditor", ["audit_admin"]);
  for (const code of ["kjj", "fgw", "swj"]) {
    reporter[code] = await t.signIn(`${code}.reporter`, ["unit_reporter"], code);
    leader[code] = await t.signIn(`${code}.leader`, ["unit_leader"], code);
  }
  planId = (await t.publish(office, planDocument, false)).planId;
});
afterAll(() => t.close());

const url = (unit: string, what = "values") => `/api/v1/plans/${planId}/units/${unit}/${what}`;
const evidenceUrl = (unit: string, indicator: string, period: string) =>
  `${url(unit, "evidence")}?indicator=${encodeURIComponent(indicator)}&period=${encodeURIComponent(period)}&filename=f.pdf`;
const put = (unit: string, body: object) => reporter[unit]!.request("PUT", url(unit), body);
const cellOf = async (unit: string, indicator: string, period = "2022") =>
  (
    (await reporter[unit]!.request("GET", url(unit))).json().items as {
      indicator: string;
      period: string;
      value: number;
      status: string;
      revision: number;
      response: string | null;
      returnReason: string | null;
    }[]
  ).find((v) => v.indicator === indicator && v.period === period);
const audits = async (action: string) =>
  (await database.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0]!.n;

describe("every write checks the cell against the plan", () => {
  it("a value saved through the API needs an indicator and period units report (as the spreadsheet path)", async () => {
    const cases: [object, string, string][] = [
      [{ indicator: "A1", period: "foo", value: 1 }, "period", "UNKNOWN_PERIOD"],
      [{ indicator: "A1", period: "1999", value: 1 }, "period", "UNKNOWN_PERIOD"],
      [{ indicator: "A1", period: "9".repeat(2000), value: 1 }, "period", "UNKNOWN_PERIOD"],
      // A1 compares with no earlier period; A3 (a rank with improvement) does with 2021.
      [{ indicator: "A1", period: "2021", value: 1 }, "period", "UNKNOWN_PERIOD"],
      [{ indicator: "NOPE", period: "2022", value: 1 }, "indicator", "UNKNOWN_INDICATOR"],
      // A penalty item is recorded by the office, never reported as a value.
      [{ indicator: "late", period: "2022", value: 1 }, "indicator", "UNKNOWN_INDICATOR"],
    ];
    for (const [body, field, code] of cases) {
      const r = await put("kjj", body);
      expect(r.statusCode, `${JSON.stringify(body).slice(0, 80)} ${r.body.slice(0, 200)}`).toBe(400);
      expect(r.json()).toMatchObject({ field, code });
    }
    expect((await reporter.kjj!.request("GET", url("kjj"))).json().items).toEqual([]);
    expect((await put("kjj", { indicator: "A3", period: "2021", value: 3 })).statusCode).toBe(200);
  });

  it("an evidence file needs a cell of the plan", async () => {
    for (const [indicator, period, field] of [
      ["NOPE", "2022", "indicator"],
      ["A1", "1999", "period"],
      ["B1", "2022", "indicator"], // expert-marked: no value, no evidence
    ] as const) {
      const r = await reporter.kjj!.send(
        "POST",
        evidenceUrl("kjj", indicator, period),
        PDF,
        "application/pdf",
      );
      expect(r.statusCode, `${indicator} ${period}: ${r.body}`).toBe(400);
      expect(r.json().field).toBe(field);
    }
    expect((await reporter.kjj!.request("GET", url("kjj", "evidence"))).json().total).toBe(0);
  });

  it("a target request needs an indicator of the plan with a target for the unit", async () => {
    const r = await leader.kjj!.request("POST", url("kjj", "target-adjustments"), {
      indicator: "NOPE",
      target: 3,
      reason: "没有这个指标",
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: "NO_TARGET", field: "indicator" });
  });

  it("a reviewer's mark is for the plan period", async () => {
    const r = await reviewer.request("PUT", url("kjj", "marks"), {
      indicator: "B1",
      period: "1999",
      mark: 5,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: "UNKNOWN_PERIOD", field: "period" });
    expect(
      (await reviewer.request("PUT", url("kjj", "marks"), { indicator: "B1", period: "2022", mark: 5 }))
        .statusCode,
    ).toBe(200);
  });
});

describe("values and evidence can be withdrawn before submission", () => {
  it("a draft value is deleted by the revision read, audited; a stale revision conflicts", async () => {
    const saved = (await put("kjj", { indicator: "A1", period: "2022", value: 20 })).json();
    const del = (revision: number, who = reporter.kjj!) =>
      who.request("DELETE", `${url("kjj")}?indicator=A1&period=2022&revision=${revision}`);
    expect((await del(saved.revision, reporter.fgw!)).statusCode).toBe(403);
    expect((await del(saved.revision, leader.kjj!)).statusCode).toBe(403);
    const stale = await del(saved.revision + 1);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: "CONFLICT", current: { value: 20 } });
    expect((await del(saved.revision)).statusCode).toBe(204);
    expect(await cellOf("kjj", "A1")).toBeUndefined();
    expect((await del(saved.revision)).statusCode).toBe(404);
    const entries = (await auditor.request("GET", "/api/v1/audit?action=value.delete")).json().items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: "kjj.reporter",
      before: { unit: "kjj", indicator: "A1", value: 20 },
    });
  });

  it("an evidence file is deleted before submission (audited), not after", async () => {
    const first = await reporter.kjj!.send("POST", evidenceUrl("kjj", "A3", "2021"), PDF, "application/pdf");
    expect(first.statusCode, first.body).toBe(201);
    const id = first.json().id;
    expect((await reporter.fgw!.request("DELETE", `${url("kjj", "evidence")}/${id}`)).statusCode).toBe(403);
    expect((await reporter.fgw!.request("DELETE", `${url("fgw", "evidence")}/${id}`)).statusCode).toBe(404);
    expect((await reporter.kjj!.request("DELETE", `${url("kjj", "evidence")}/${id}`)).statusCode).toBe(204);
    expect((await reporter.kjj!.request("GET", `${url("kjj", "evidence")}/${id}`)).statusCode).toBe(404);
    expect(await audits("evidence.delete")).toBe(1);
    // Fill kjj's A cells with files and submit: then neither values nor files can be withdrawn.
    for (const [indicator, period, value] of [
      ["A1", "2022", 24],
      ["A2", "2022", 2.87],
      ["A3", "2022", 2],
    ] as const)
      expect((await put("kjj", { indicator, period, value })).statusCode).toBe(200);
    const ids: string[] = [];
    for (const [indicator, period] of [
      ["A1", "2022"],
      ["A2", "2022"],
      ["A3", "2022"],
      ["A3", "2021"],
    ] as const) {
      const r = await reporter.kjj!.send(
        "POST",
        evidenceUrl("kjj", indicator, period),
        PDF,
        "application/pdf",
      );
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json().id);
    }
    expect((await leader.kjj!.request("POST", url("kjj", "submit"))).json()).toEqual({ submitted: 4 });
    const locked = await reporter.kjj!.request("DELETE", `${url("kjj", "evidence")}/${ids[0]}`);
    expect(locked.statusCode).toBe(409);
    expect(locked.json().code).toBe("LOCKED");
    const a1 = (await cellOf("kjj", "A1"))!;
    const value = await reporter.kjj!.request(
      "DELETE",
      `${url("kjj")}?indicator=A1&period=2022&revision=${a1.revision}`,
    );
    expect(value.json().code).toBe("LOCKED");
  });
});

describe("a returned value needs a change or an answer", () => {
  it("is not resubmitted unchanged", async () => {
    expect(
      (
        await reviewer.request("POST", url("kjj", "review"), {
          indicator: "A2",
          period: "2022",
          decision: "return",
          reason: "请附统计快报",
        })
      ).statusCode,
    ).toBe(204);
    const submit = await leader.kjj!.request("POST", url("kjj", "submit"));
    expect(submit.statusCode).toBe(409);
    expect(submit.json()).toMatchObject({
      code: "RETURN_UNANSWERED",
      unanswered: [{ indicator: "A2", period: "2022" }],
    });
    const returned = (await cellOf("kjj", "A2"))!;
    const same = await put("kjj", {
      indicator: "A2",
      period: "2022",
      value: 2.87,
      revision: returned.revision,
    });
    expect(same.statusCode).toBe(409);
    expect(same.json()).toMatchObject({ code: "RETURN_UNANSWERED", field: "response" });
    const answered = await put("kjj", {
      indicator: "A2",
      period: "2022",
      value: 2.87,
      revision: returned.revision,
      response: "已补充统计快报，数值无误",
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({
      status: "draft",
      response: "已补充统计快报，数值无误",
      returnReason: "请附统计快报",
    });
    expect((await leader.kjj!.request("POST", url("kjj", "submit"))).json()).toEqual({ submitted: 1 });
  });

  it("a changed value needs no answer", async () => {
    await reviewer.request("POST", url("kjj", "review"), {
      indicator: "A1",
      period: "2022",
      decision: "return",
      reason: "与任务清单不符",
    });
    const returned = (await cellOf("kjj", "A1"))!;
    const changed = await put("kjj", {
      indicator: "A1",
      period: "2022",
      value: 23,
      revision: returned.revision,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ status: "draft", response: null });
    expect((await leader.kjj!.request("POST", url("kjj", "submit"))).json()).toEqual({ submitted: 1 });
  });
});

describe("imported values wait for their evidence", () => {
  it("an imported value whose indicator needs evidence cannot be approved until a file is attached", async () => {
    const csv = "unit,indicator,period,value\nswj,A1,2022,21\nswj,B2,2022,1\n";
    const job = await office.send("POST", `/api/v1/plans/${planId}/imports`, csv, "text/csv");
    expect(job.statusCode, job.body).toBe(202);
    expect(await app.jobRunner.tick()).toBe(true);
    expect((await office.request("GET", `/api/v1/jobs/${job.json().id}`)).json()).toMatchObject({
      status: "done",
    });
    const approve = (indicator: string) =>
      reviewer.request("POST", url("swj", "review"), { indicator, period: "2022", decision: "approve" });
    const refused = await approve("A1");
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: "EVIDENCE_MISSING",
      missing: [{ indicator: "A1", period: "2022" }],
    });
    const progress = (await office.request("GET", `/api/v1/plans/${planId}/progress`)).json();
    expect(progress.units.find((u: { unit: string }) => u.unit === "swj")).toMatchObject({
      submitted: 2,
      missingEvidence: 1,
    });
    // The unit attaches the file to its submitted value; then the value can be approved.
    const file = await reporter.swj!.send("POST", evidenceUrl("swj", "A1", "2022"), PDF, "application/pdf");
    expect(file.statusCode, file.body).toBe(201);
    expect((await approve("A1")).statusCode).toBe(204);
    // An approved value takes no more files.
    const late = await reporter.swj!.send("POST", evidenceUrl("swj", "A1", "2022"), PDF, "application/pdf");
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe("LOCKED");
  });
});

describe("the office sees the state of the year", () => {
  it("progress per unit and in total", async () => {
    const r = await office.request("GET", `/api/v1/plans/${planId}/progress`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.reporting).toEqual({ open: true, closedBy: null });
    expect(body.units).toHaveLength(planDocument.units.length);
    // kjj: A1, A2, A3 and A3 (2021) submitted; swj: A1 approved, B2 submitted (imported).
    expect(body.units.find((u: { unit: string }) => u.unit === "kjj")).toMatchObject({
      name: "市科技局",
      expected: 10,
      entered: 4,
      draft: 0,
      submitted: 4,
      returned: 0,
      approved: 0,
      missingEvidence: 0,
      open: true,
    });
    expect(body.units.find((u: { unit: string }) => u.unit === "swj")).toMatchObject({
      entered: 2,
      submitted: 1,
      approved: 1,
      missingEvidence: 0,
    });
    expect(body.totals).toMatchObject({ expected: 130, entered: 6, submitted: 5, approved: 1 });
    expect((await reporter.kjj!.request("GET", `/api/v1/plans/${planId}/progress`)).statusCode).toBe(403);
  });

  it("a review queue across units, filtered and paged; a lead department sees only what it may review", async () => {
    const q = (who: Client, query = "") => who.request("GET", `/api/v1/plans/${planId}/review-queue${query}`);
    const all = (await q(office)).json();
    expect(all.total).toBe(5);
    expect(all.items.every((i: { status: string }) => i.status === "submitted")).toBe(true);
    const page = (await q(office, "?pageSize=2&page=2&sort=unit")).json();
    expect(page).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.items).toHaveLength(2);
    expect(
      (await q(office, "?unit=swj")).json().items.map((i: { indicator: string }) => i.indicator),
    ).toEqual(["B2"]);
    expect((await q(office, "?indicator=A3")).json().total).toBe(2);
    expect((await q(office, "?status=approved")).json().items).toMatchObject([
      { unit: "swj", indicator: "A1" },
    ]);
    expect((await q(office, "?lead=zzb")).json().items).toMatchObject([
      { unit: "swj", indicator: "B2", lead: "zzb" },
    ]);
    expect((await q(zzbReviewer)).json().items).toMatchObject([{ unit: "swj", indicator: "B2" }]);
    expect((await q(reporter.kjj!)).statusCode).toBe(403);
  });

  it("GET /plans/:id shows the deadline and whether reporting is open", async () => {
    await office.request("PUT", `/api/v1/plans/${planId}/deadline`, { deadline: "2023-01-15T00:00:00Z" });
    const r = (await reporter.kjj!.request("GET", `/api/v1/plans/${planId}`)).json();
    expect(r).toMatchObject({
      deadline: "2023-01-15T00:00:00.000Z",
      reporting: { open: true, closedBy: null },
    });
  });
});

const batch = (who: Client, list: object[]) =>
  who.request("POST", `/api/v1/plans/${planId}/review/approve`, { cells: list });

describe("batch approval", () => {
  const cells = [
    { unit: "kjj", indicator: "A1", period: "2022" },
    { unit: "kjj", indicator: "A2", period: "2022" },
  ];

  it("is all or nothing, each cell checked as a single approval", async () => {
    const before = await audits("value.approve");
    // swj A1 is already approved: the whole batch is refused, naming it.
    const mixed = await batch(reviewer, [...cells, { unit: "swj", indicator: "A1", period: "2022" }]);
    expect(mixed.statusCode).toBe(409);
    expect(mixed.json()).toMatchObject({ code: "NOT_SUBMITTED", index: 2 });
    expect((await cellOf("kjj", "A1"))!.status).toBe("submitted");
    // A lead department may not approve what it does not lead, nor its own unit's values.
    const lead = await batch(zzbReviewer, [{ unit: "swj", indicator: "B2", period: "2022" }, ...cells]);
    expect(lead.statusCode).toBe(403);
    expect(lead.json()).toMatchObject({ index: 1, field: "cells[1]" });
    expect((await batch(reviewer, [cells[0]!, cells[0]!])).json().code).toBe("DUPLICATE_CELL");
    expect((await batch(reviewer, [{ unit: "nowhere", indicator: "A1", period: "2022" }])).statusCode).toBe(
      404,
    );
    expect((await batch(reporter.kjj!, cells)).statusCode).toBe(403);
    expect(await audits("value.approve")).toBe(before);
  });

  it("concurrent batches of the same cells approve and audit each value once", async () => {
    const before = await audits("value.approve");
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, k) => batch(k % 2 ? office : reviewer, cells)),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(answers.find((r) => r.statusCode === 200)!.json()).toEqual({ approved: 2 });
    for (const r of answers.filter((r) => r.statusCode === 409)) expect(r.json().code).toBe("NOT_SUBMITTED");
    expect(await audits("value.approve")).toBe(before + 2);
    expect((await cellOf("kjj", "A1"))!.status).toBe("approved");
  });
});

describe("the reporting window closes every write of a unit", () => {
  const pending: { target?: string; claim?: string } = {};

  it("after the deadline: values, evidence, submissions, deletions, bonus claims and target requests", async () => {
    clock = Date.parse("2023-01-20T00:00:00Z");
    const closed = [
      await put("fgw", { indicator: "A1", period: "2022", value: 1 }),
      await reporter.fgw!.send("POST", evidenceUrl("fgw", "A1", "2022"), PDF, "application/pdf"),
      await leader.fgw!.request("POST", url("fgw", "submit")),
      await reporter.kjj!.request("DELETE", `${url("kjj")}?indicator=A3&period=2022&revision=1`),
      await leader.fgw!.request("POST", url("fgw", "claims"), {
        item: "award",
        level: "省级",
        ref: "奖项一",
      }),
      await leader.fgw!.request("POST", url("fgw", "target-adjustments"), {
        indicator: "A2",
        target: 3,
        reason: "年中调整目标值",
      }),
    ];
    for (const r of closed) {
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json()).toMatchObject({ code: "DEADLINE_PASSED" });
      expect(r.json().title).toContain("已过填报截止时间");
    }
    // The office still records (a penalty) and reviewers still mark: the deadline closes units' reporting.
    expect(
      (await office.request("POST", url("fgw", "claims"), { item: "late", value: 1, note: "迟报" }))
        .statusCode,
    ).toBe(201);
    expect(
      (await reviewer.request("PUT", url("fgw", "marks"), { indicator: "B1", period: "2022", mark: 6 }))
        .statusCode,
    ).toBe(200);
    const plan = (await office.request("GET", `/api/v1/plans/${planId}`)).json();
    expect(plan.reporting).toEqual({ open: false, closedBy: "DEADLINE_PASSED", reopenedUntil: null });
  });

  it("a reopening lets one unit report again; the progress says so", async () => {
    await office.request("POST", url("fgw", "reopen"), {
      until: "2023-01-25T00:00:00Z",
      reason: "统计快报延迟",
    });
    expect((await put("fgw", { indicator: "A1", period: "2022", value: 1 })).statusCode).toBe(200);
    expect(
      (await reporter.fgw!.send("POST", evidenceUrl("fgw", "A1", "2022"), PDF, "application/pdf")).statusCode,
    ).toBe(201);
    expect((await put("kjj", { indicator: "B2", period: "2022", value: 1 })).json().code).toBe(
      "DEADLINE_PASSED",
    );
    // The reopened unit may ask for a target adjustment and claim a bonus again (decided below).
    const target = await leader.fgw!.request("POST", url("fgw", "target-adjustments"), {
      indicator: "A2",
      target: 3,
      reason: "年中调整目标值",
    });
    expect(target.statusCode, target.body).toBe(201);
    pending.target = target.json().id;
    const claim = await leader.fgw!.request("POST", url("fgw", "claims"), {
      item: "award",
      level: "省级",
      ref: "奖项一",
    });
    expect(claim.statusCode, claim.body).toBe(201);
    pending.claim = claim.json().id;
    const units = (await office.request("GET", `/api/v1/plans/${planId}/progress`)).json().units;
    expect(units.find((u: { unit: string }) => u.unit === "fgw")).toMatchObject({
      open: true,
      reopenedUntil: "2023-01-25T00:00:00.000Z",
    });
    // A unit's people see their own unit's window on the plan; the office sees the plan's.
    expect((await reporter.fgw!.request("GET", `/api/v1/plans/${planId}`)).json().reporting).toEqual({
      open: true,
      closedBy: null,
      reopenedUntil: "2023-01-25T00:00:00.000Z",
    });
    expect((await reporter.kjj!.request("GET", `/api/v1/plans/${planId}`)).json().reporting).toMatchObject({
      open: false,
      closedBy: "DEADLINE_PASSED",
    });
    expect(units.find((u: { unit: string }) => u.unit === "kjj")).toMatchObject({
      open: false,
      reopenedUntil: null,
    });
  });

  it("after freezing nothing changes: no values, files, marks, claims, decisions or approvals", async () => {
    expect((await office.request("POST", `/api/v1/plans/${planId}/freeze`)).statusCode).toBe(204);
    const frozen = [
      await put("fgw", { indicator: "A2", period: "2022", value: 1 }),
      await reporter.fgw!.send("POST", evidenceUrl("fgw", "A1", "2022"), PDF, "application/pdf"),
      await reviewer.request("PUT", url("fgw", "marks"), { indicator: "B1", period: "2022", mark: 7 }),
      await office.request("POST", url("fgw", "claims"), { item: "late", value: 1 }),
      await reviewer.request("POST", url("kjj", "review"), {
        indicator: "A3",
        period: "2022",
        decision: "approve",
      }),
      await batch(reviewer, [{ unit: "kjj", indicator: "A3", period: "2022" }]),
      await office.request("POST", `/api/v1/plans/${planId}/target-adjustments/${pending.target}/decide`, {
        decision: "approved",
        reason: "同意",
      }),
      await office.request("POST", `/api/v1/plans/${planId}/claims/${pending.claim}/decide`, {
        decision: "approved",
        reason: "同意",
      }),
    ];
    for (const r of frozen) {
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().code).toBe("PLAN_FROZEN");
    }
    expect((await office.request("GET", `/api/v1/plans/${planId}`)).json().reporting).toEqual({
      open: false,
      closedBy: "PLAN_FROZEN",
      reopenedUntil: null,
    });
  });
});
