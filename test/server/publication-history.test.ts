import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoringRun } from "../../src/engine/index.js";
import { defaultSecurity } from "../../src/server/config.js";
import { backup, readTables, restore } from "../../src/server/db/backup.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import {
  auditLog,
  objections,
  organisations,
  publications,
  reportedValues,
  scoringRuns,
} from "../../src/server/db/schema/index.js";
import { publicViewOf } from "../../src/server/modules/publication/public-view.js";
import type { Client } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * The publication history: only a plan in force is published; every publication stays listed and
 * readable with its objections; an accepted objection unlocks the cells it names for the unit to
 * correct, and the corrected run's publication supersedes the earlier one; units read their own results.
 */

const SHOW = ["total", "rank", "grade", "titles", "scores"];
/** The main plan: fgw has no English name in the plan (the organisation's is used), one decimal shown. */
const mainPlan = () => {
  const plan = examplePlan();
  plan.units = plan.units.map((u: { code: string; name: string; nameEn?: string }) =>
    u.code === "fgw" ? { code: u.code, name: u.name } : u,
  );
  return { ...plan, publication: { noticeDays: 5, show: SHOW, decimals: 1 } };
};
/** A second plan whose notice continues on republication (default decimals). */
const otherPlan = () => ({
  ...examplePlan(),
  id: "other-2022",
  name: "另一方案",
  publication: { noticeDays: 5, show: SHOW, republish: "continue" },
});

let t: TestApp;
let database: DatabaseHandle;
let app: FastifyInstance;
let clock = Date.parse("2023-02-01T00:00:00Z");
let office: Client;
let reviewer: Client;
let kjjLeader: Client;
let kjjReporter: Client;
let fgwLeader: Client;
let fgwReporter: Client;
let planId = "";
let versionId = "";
let otherId = "";

beforeAll(async () => {
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: mainPlan(),
  });
  ({ database, app } = t);
  await database.db
    .update(organisations)
    .set({ nameEn: "NDRC (organisation)" })
    .where(eq(organisations.code, "fgw"));
  office = await t.signIn("office", ["office_staff"]);
  reviewer = await t.signIn("reviewer", ["reviewer"]);
  kjjLeader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  kjjReporter = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  fgwLeader = await t.signIn("fgw.leader", ["unit_leader"], "fgw");
  fgwReporter = await t.signIn("fgw.reporter", ["unit_reporter"], "fgw");
  ({ planId, versionId } = await t.publish(office, mainPlan()));
  otherId = (await t.publish(office, otherPlan())).planId;
});
afterAll(() => t.close());

const anonymous = (url: string) => app.inject({ method: "GET", url: `/api/v1${url}` });
const runAndPublish = async (plan: string) => {
  const run = await office.request("POST", `/api/v1/plans/${plan}/runs`);
  expect(run.statusCode, run.body).toBe(201);
  const p = await office.request("POST", `/api/v1/plans/${plan}/runs/${run.json().id}/publish`);
  expect(p.statusCode, p.body).toBe(201);
  return { runId: run.json().id as string, ...(p.json() as { id: string; noticeUntil: string }) };
};

describe("only a plan in force can have its results published (security item 9)", () => {
  it("refuses to publish a run of a draft plan, and never shows a draft's publication", async () => {
    const draft = await office.request("POST", "/api/v1/plans", {
      document: { ...examplePlan(), id: "draft-2022", name: "草稿方案" },
    });
    const draftId = draft.json().planId as string;
    const run = await office.request("POST", `/api/v1/plans/${draftId}/runs`);
    expect(run.statusCode, run.body).toBe(201);
    const r = await office.request("POST", `/api/v1/plans/${draftId}/runs/${run.json().id}/publish`);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: "PLAN_NOT_IN_FORCE" });
    expect(await database.db.select().from(publications)).toEqual([]);
    // A draft's publication already stored (by the old code) is not shown to anyone anonymous.
    const [stored] = await database.db.select().from(scoringRuns).where(eq(scoringRuns.id, run.json().id));
    const [legacy] = await database.db
      .insert(publications)
      .values({
        planVersionId: stored!.planVersionId,
        runId: stored!.id,
        noticeUntil: new Date(clock + 86_400_000),
        publicView: [{ unit: "kjj", grade: "优秀" }],
      })
      .returning();
    expect((await anonymous("/public/plans")).json().items).toEqual([]);
    expect((await anonymous(`/public/plans/${draftId}/results`)).statusCode).toBe(404);
    expect((await anonymous(`/public/plans/${draftId}/publications/${legacy!.id}`)).statusCode).toBe(404);
    expect((await anonymous(`/public/plans/${draftId}/publications`)).json().items).toEqual([]);
    await database.db.delete(publications).where(eq(publications.id, legacy!.id));
  });
});

describe("public results: sorted, in both languages, rounded; a unit's own results", () => {
  let publicationId = "";

  it("sorts by rank within each category, names units in both languages, rounds to the plan's decimals", async () => {
    publicationId = (await runAndPublish(planId)).id;
    const body = (await anonymous(`/public/plans/${planId}/results`)).json();
    const plan = mainPlan();
    const categoryOrder = plan.categories.map((c: { name: string }) => c.name);
    type Row = {
      unit: string;
      category: string;
      rank: number | null;
      total: number;
      scores: Record<string, number>;
      nameEn?: string;
    };
    const units = body.units as Row[];
    expect(units).toHaveLength(plan.units.length);
    for (let i = 1; i < units.length; i++) {
      const [a, b] = [units[i - 1]!, units[i]!];
      const ca = categoryOrder.indexOf(a.category);
      const cb = categoryOrder.indexOf(b.category);
      expect(ca <= cb || cb === -1, `${a.unit} before ${b.unit}`).toBe(true);
      if (ca === cb) expect((a.rank ?? Infinity) <= (b.rank ?? Infinity), `${a.unit} ${b.unit}`).toBe(true);
    }
    const byUnit = new Map(units.map((u) => [u.unit, u]));
    expect(byUnit.get("kjj")).toMatchObject({ name: "市科技局", nameEn: "S&T Bureau" });
    expect(byUnit.get("fgw")).toMatchObject({ name: "市发展改革委", nameEn: "NDRC (organisation)" });
    // Every number is shown to one decimal (the plan's publication.decimals), where the run has more.
    const run = (
      await database.db
        .select({ result: scoringRuns.result })
        .from(scoringRuns)
        .innerJoin(publications, eq(publications.runId, scoringRuns.id))
        .where(eq(publications.id, publicationId))
    )[0]!.result as ScoringRun;
    const rawNumbers = run.units.flatMap((u) => [u.total, ...Object.values(u.scores)]);
    expect(rawNumbers.some((x) => Math.round(x * 10) / 10 !== x)).toBe(true);
    const shown = units.flatMap((u) => [u.total, ...Object.values(u.scores)]);
    for (const x of shown) expect(Math.round(x * 10) / 10).toBe(x);
    for (const u of run.units) expect(byUnit.get(u.unit)!.total).toBe(Math.round(u.total * 10) / 10);
  });

  it("rounds to two decimals by default", () => {
    const plan = { ...examplePlan(), publication: { show: ["total"] } };
    const run = {
      units: [
        { unit: "kjj", name: "市科技局", categoryName: null, total: 92.666666667, rank: 1, scores: {} },
      ],
    } as unknown as ScoringRun;
    expect(publicViewOf(plan, run)[0]).toMatchObject({ total: 92.67 });
  });

  it("a unit's people see the unit's own scores, rank, grade and explanation; no other unit's", async () => {
    const url = (unit: string) =>
      `/api/v1/plans/${planId}/publications/${publicationId}/units/${unit}/results`;
    for (const who of [kjjLeader, kjjReporter]) {
      const r = await who.request("GET", url("kjj"));
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ publicationId, status: "notice", supersededBy: null });
      const result = r.json().result;
      expect(result.unit).toBe("kjj");
      expect(typeof result.total).toBe("number");
      expect(result.rank).toBeGreaterThanOrEqual(1);
      expect(result.grade).toBeTruthy();
      expect(Object.keys(result.scores).length).toBeGreaterThan(5);
      expect(result.trace.length).toBeGreaterThan(0);
      expect(result.gradeReasons.length).toBeGreaterThan(0);
    }
    expect((await fgwLeader.request("GET", url("kjj"))).statusCode).toBe(403);
    expect((await fgwReporter.request("GET", url("kjj"))).statusCode).toBe(403);
    expect((await office.request("GET", url("kjj"))).statusCode).toBe(200);
    expect((await kjjLeader.request("GET", url("nope"))).statusCode).toBe(404);
    // The runs themselves and the office's list of publications stay the office's.
    expect((await kjjLeader.request("GET", `/api/v1/plans/${planId}/runs`)).statusCode).toBe(403);
    expect((await kjjLeader.request("GET", `/api/v1/plans/${planId}/publications`)).statusCode).toBe(403);
  });
});

describe("correcting after an accepted objection: unlock, correct, review, republish", () => {
  let first = { id: "", noticeUntil: "" };
  let firstView = "";
  let objectionId = "";
  const objectionsOf = (publication: string) =>
    `/api/v1/plans/${planId}/publications/${publication}/objections`;
  const fgwValue = async (indicator: string) =>
    (
      await database.db
        .select()
        .from(reportedValues)
        .where(
          and(
            eq(reportedValues.planVersionId, versionId),
            eq(reportedValues.unitCode, "fgw"),
            eq(reportedValues.indicator, indicator),
          ),
        )
    )[0]!;

  it("a unit's objection names the cells it concerns, checked against the plan", async () => {
    const pub = (await office.request("GET", `/api/v1/plans/${planId}/publications`)).json().items[0];
    first = { id: pub.id, noticeUntil: pub.noticeUntil };
    firstView = (await anonymous(`/public/plans/${planId}/publications/${first.id}`)).body;
    for (const [cell, code] of [
      [{ indicator: "NOPE", period: "2022" }, "UNKNOWN_INDICATOR"],
      [{ indicator: "A", period: "2022" }, "UNKNOWN_INDICATOR"],
      [{ indicator: "A1", period: "1999" }, "UNKNOWN_PERIOD"],
    ] as const) {
      const r = await fgwLeader.request("POST", objectionsOf(first.id), {
        unit: "fgw",
        reason: "A1 重点任务实际完成 31 项",
        cells: [cell],
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe(code);
    }
    const r = await fgwLeader.request("POST", objectionsOf(first.id), {
      unit: "fgw",
      reason: "A1 重点任务实际完成 31 项，佐证已补交",
      cells: [{ indicator: "A1", period: "2022" }],
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().cells).toEqual([{ indicator: "A1", period: "2022" }]);
    objectionId = r.json().id;
  });

  it("accepting it unlocks exactly those cells for the unit, reopens reporting, and names the objection in the audit", async () => {
    // The reporting deadline has passed and the value is approved: the unit cannot change it.
    await office.request("PUT", `/api/v1/plans/${planId}/deadline`, { deadline: "2023-01-31T00:00:00Z" });
    const before = await fgwValue("A1");
    const locked = await fgwReporter.request("PUT", `/api/v1/plans/${planId}/units/fgw/values`, {
      indicator: "A1",
      period: "2022",
      value: 31,
      revision: before.revision,
    });
    expect(locked.statusCode).toBe(409);

    const r = await office.request("POST", `${objectionsOf(first.id)}/${objectionId}/resolve`, {
      decision: "accepted",
      resolution: "经核实 A1 完成数有误，请更正",
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: "accepted", unlocked: [{ indicator: "A1", period: "2022" }] });
    expect(await fgwValue("A1")).toMatchObject({ status: "returned" });
    expect((await fgwValue("A1")).returnReason).toContain(objectionId);
    expect(await fgwValue("A2")).toMatchObject({ status: "approved" });
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.action, "value.unlock"));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      entityId: before.id,
      before: { status: "approved" },
      after: { unit: "fgw", indicator: "A1", period: "2022", status: "returned", objection: objectionId },
    });
    const reopen = await database.db.select().from(auditLog).where(eq(auditLog.action, "unit.reopen"));
    expect(reopen.at(-1)!.after).toMatchObject({ unit: "fgw", objection: objectionId });
  });

  it("the unit corrects and resubmits the unlocked cell (only it), the reviewer approves it", async () => {
    const a2 = await fgwValue("A2");
    const other = await fgwReporter.request("PUT", `/api/v1/plans/${planId}/units/fgw/values`, {
      indicator: "A2",
      period: "2022",
      value: 9,
      revision: a2.revision,
    });
    expect(other.statusCode).toBe(409);
    const a1 = await fgwValue("A1");
    const saved = await fgwReporter.request("PUT", `/api/v1/plans/${planId}/units/fgw/values`, {
      indicator: "A1",
      period: "2022",
      value: 31,
      revision: a1.revision,
      note: "按异议受理意见更正",
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const evidence = await fgwReporter.send(
      "POST",
      `/api/v1/plans/${planId}/units/fgw/evidence?indicator=A1&period=2022&filename=${encodeURIComponent("任务清单.pdf")}`,
      Buffer.from("%PDF-1.4\n% 2022 年度重点工作任务清单（更正）\n%%EOF\n"),
      "application/pdf",
    );
    expect(evidence.statusCode, evidence.body).toBe(201);
    const submitted = await fgwLeader.request("POST", `/api/v1/plans/${planId}/units/fgw/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().submitted).toBe(1);
    const approved = await reviewer.request("POST", `/api/v1/plans/${planId}/units/fgw/review`, {
      indicator: "A1",
      period: "2022",
      decision: "approve",
    });
    expect(approved.statusCode, approved.body).toBe(204);
    expect(await fgwValue("A1")).toMatchObject({ status: "approved", value: 31 });
  });

  it("a new run's publication supersedes the earlier one; both stay readable and listed, with their objections", async () => {
    clock += 86_400_000;
    const second = await runAndPublish(planId);
    // The notice restarts by default.
    expect(second.noticeUntil).toBe(new Date(clock + 5 * 86_400_000).toISOString());
    const current = (await anonymous(`/public/plans/${planId}/results`)).json();
    expect(current).toMatchObject({
      publicationId: second.id,
      status: "notice",
      supersedes: first.id,
      supersededBy: null,
    });
    const old = await anonymous(`/public/plans/${planId}/publications/${first.id}`);
    expect(old.statusCode).toBe(200);
    expect(old.json()).toMatchObject({ status: "withdrawn", supersedes: null, supersededBy: second.id });
    // The earlier view itself is the one published then, unchanged.
    expect(old.json().units).toEqual(JSON.parse(firstView).units);
    const fgwBefore = JSON.parse(firstView).units.find((u: { unit: string }) => u.unit === "fgw");
    const fgwAfter = current.units.find((u: { unit: string }) => u.unit === "fgw");
    expect(fgwAfter.scores.A1).toBeGreaterThan(fgwBefore.scores.A1);

    const list = (await anonymous(`/public/plans/${planId}/publications`)).json();
    expect(list.total).toBe(2);
    expect(list.items.map((p: { id: string }) => p.id).sort()).toEqual([first.id, second.id].sort());
    expect(list.items.find((p: { id: string }) => p.id === first.id)).toMatchObject({
      supersededBy: second.id,
      status: "withdrawn",
    });
    expect(list.items[0]).not.toHaveProperty("runId");
    const officeList = (await office.request("GET", `/api/v1/plans/${planId}/publications`)).json();
    expect(officeList.items.find((p: { id: string }) => p.id === first.id)).toMatchObject({
      objections: 1,
      openObjections: 0,
      supersededBy: second.id,
    });
    const detail = await office.request("GET", `/api/v1/plans/${planId}/publications/${second.id}`);
    expect(detail.json()).toMatchObject({ id: second.id, supersedes: first.id, runId: second.runId });
    // The earlier publication's objections and their resolutions stay readable, for the office and the unit.
    for (const who of [office, fgwLeader]) {
      const items = (await who.request("GET", objectionsOf(first.id))).json().items;
      expect(items).toMatchObject([
        { id: objectionId, status: "accepted", resolution: "经核实 A1 完成数有误，请更正" },
      ]);
    }
    // No objection can be filed against the superseded one; the unit's own results follow the new one.
    const late = await fgwLeader.request("POST", objectionsOf(first.id), {
      unit: "fgw",
      reason: "再次提出异议",
    });
    expect(late.json().code).toBe("NOTICE_CLOSED");
    const own = await fgwLeader.request(
      "GET",
      `/api/v1/plans/${planId}/publications/${first.id}/units/fgw/results`,
    );
    expect(own.json()).toMatchObject({ status: "withdrawn", supersededBy: second.id });
  });

  it("a publication with open objections is not superseded until they are resolved", async () => {
    const current = (await anonymous(`/public/plans/${planId}/results`)).json().publicationId;
    const filed = await kjjLeader.request("POST", objectionsOf(current), {
      unit: "kjj",
      reason: "对党建工作评分有异议，请复核",
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const run = (await office.request("POST", `/api/v1/plans/${planId}/runs`)).json().id;
    const refused = await office.request("POST", `/api/v1/plans/${planId}/runs/${run}/publish`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("OPEN_OBJECTIONS");
    expect((await anonymous(`/public/plans/${planId}/results`)).json().publicationId).toBe(current);
    const resolved = await office.request("POST", `${objectionsOf(current)}/${filed.json().id}/resolve`, {
      decision: "rejected",
      resolution: "评分程序符合规定，维持原结果",
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
  });

  it("publications made at once form one chain: each supersedes exactly one, one is current", async () => {
    // Three runs (the same run twice is refused: ALREADY_PUBLISHED, see attack-publish-twice.test.ts).
    const runs: string[] = [];
    for (let i = 0; i < 3; i++)
      runs.push((await office.request("POST", `/api/v1/plans/${planId}/runs`)).json().id);
    const results = await Promise.all(
      runs.map((run) => office.request("POST", `/api/v1/plans/${planId}/runs/${run}/publish`)),
    );
    expect(
      results.map((r) => r.statusCode),
      results.map((r) => r.body).join("\n"),
    ).toEqual([201, 201, 201]);
    const all = (await office.request("GET", `/api/v1/plans/${planId}/publications?pageSize=500`)).json()
      .items as { id: string; supersedes: string | null; supersededBy: string | null; status: string }[];
    const current = all.filter((p) => p.supersededBy === null);
    expect(current).toHaveLength(1);
    expect(current[0]!.status).toBe("notice");
    expect(all.filter((p) => p.supersedes === null)).toHaveLength(1);
    expect(all.filter((p) => p.status === "notice")).toHaveLength(1);
  });

  it("the plan may let the notice continue to the superseded one's end", async () => {
    const a = await runAndPublish(otherId);
    clock += 2 * 86_400_000;
    const b = await runAndPublish(otherId);
    expect(b.noticeUntil).toBe(a.noticeUntil);
    expect((await anonymous(`/public/plans/${otherId}/results`)).json()).toMatchObject({
      publicationId: b.id,
      supersedes: a.id,
    });
  });
});

describe("accepting an objection about a cell without a value", () => {
  it("unlocks nothing but reopens reporting for the unit, naming the objection", async () => {
    const pub = (await anonymous(`/public/plans/${otherId}/results`)).json().publicationId;
    const url = `/api/v1/plans/${otherId}/publications/${pub}/objections`;
    const filed = await fgwLeader.request("POST", url, {
      unit: "fgw",
      reason: "党建工作评分漏记了专家意见",
      cells: [{ indicator: "B1", period: "2022" }],
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const r = await office.request("POST", `${url}/${filed.json().id}/resolve`, {
      decision: "accepted",
      resolution: "请补充材料",
      correctUntil: new Date(clock + 3 * 86_400_000).toISOString(),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().unlocked).toEqual([]);
    const reopen = (await database.db.select().from(auditLog).where(eq(auditLog.action, "unit.reopen"))).at(
      -1,
    )!;
    expect(reopen.after).toMatchObject({
      unit: "fgw",
      objection: filed.json().id,
      until: new Date(clock + 3 * 86_400_000).toISOString(),
    });
  });
});

describe("resolving an objection is scoped by the plan and publication, and row-locked", () => {
  it("another plan's objection is not found through this plan's publication", async () => {
    const mine = (await anonymous(`/public/plans/${planId}/results`)).json().publicationId;
    const theirs = (await anonymous(`/public/plans/${otherId}/results`)).json().publicationId;
    const filed = await kjjLeader.request(
      "POST",
      `/api/v1/plans/${otherId}/publications/${theirs}/objections`,
      {
        unit: "kjj",
        reason: "对党建工作评分有异议，请复核",
      },
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id;
    const body = { decision: "rejected", resolution: "维持原结果" };
    for (const url of [
      `/api/v1/plans/${planId}/publications/${mine}/objections/${id}/resolve`,
      `/api/v1/plans/${otherId}/publications/${mine}/objections/${id}/resolve`,
    ]) {
      const r = await office.request("POST", url, body);
      expect(r.statusCode, `${url}: ${r.body}`).toBe(404);
    }
    const [o] = await database.db.select().from(objections).where(eq(objections.id, id));
    expect(o!.status).toBe("open");
    // Resolved at once by two requests: exactly one wins, the other is told it is already resolved.
    const url = `/api/v1/plans/${otherId}/publications/${theirs}/objections/${id}/resolve`;
    const both = await Promise.all([
      office.request("POST", url, body),
      office.request("POST", url, { decision: "accepted", resolution: "予以更正" }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.statusCode === 409)!.json().code).toBe("ALREADY_RESOLVED");
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(entries.map((e) => e.action).filter((a) => a !== "objection.file")).toHaveLength(1);
  });
});

describe("the history survives a backup", () => {
  it("restores every publication with its supersession chain (a table that refers to itself)", async () => {
    const before = await readTables(database.db);
    expect(before.publications!.filter((p) => (p as { supersedes: string | null }).supersedes)).not.toEqual(
      [],
    );
    const data = await backup(database.db);
    const target = await testDatabase(); // empty and migrated (a new database, or the shared one wiped)
    try {
      await restore(target.db, data);
      expect(await readTables(target.db)).toEqual(before);
    } finally {
      if (target.db !== database.db) await target.close();
    }
  });
});
