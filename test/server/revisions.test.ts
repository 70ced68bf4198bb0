import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSecurity } from "../../src/server/config.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import {
  auditLog,
  claimEvidence,
  claims,
  evidence,
  expertMarks,
  planVersions,
  publications,
  reopenings,
  reportedValues,
  targetAdjustments,
} from "../../src/server/db/schema/index.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan, exampleValues, publishExample, REPORTED } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

let t: TestApp;
let database: DatabaseHandle;
let office: Client;
let reviewer: Client;
let reporter: Client;

beforeAll(async () => {
  t = await testApp({
    now: () => new Date("2023-01-10T00:00:00Z"),
    security: { ...defaultSecurity, loginsPerMinute: 1000 },
    units: examplePlan(),
  });
  ({ database } = t);
  office = await t.signIn("office", ["office_staff"]);
  reviewer = await t.signIn("reviewer", ["reviewer"]);
  reporter = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
});
afterAll(() => t.close());

/** The example plan under another code (each test its own plan), as parsed JSON. */
function planCoded(code: string) {
  const plan = examplePlan();
  plan.id = code;
  return plan;
}

/**
 * The revision the office makes in the first tests: C3 becomes C4 (a code gone, one new), B4's rule
 * becomes yes/no (the rule's type changes), kjj's A1 target goes 24 → 26, and 市纪委监委 (jwj) leaves.
 */
function revised(code: string) {
  const plan = planCoded(code);
  const c3 = plan.indicators[2].children[2];
  c3.code = "C4";
  c3.name = "新增指标";
  plan.indicators[1].children[3].rule = { type: "yesno", threshold: 60 };
  plan.targets.A1.kjj = 26;
  plan.units = plan.units.filter((u: { code: string }) => u.code !== "jwj");
  for (const byUnit of Object.values(plan.targets) as Record<string, number>[]) delete byUnit.jwj;
  return plan;
}

const revisions = (planId: string) => `/api/v1/plans/${planId}/revisions`;

describe("revising a plan in force (方案修订)", () => {
  let planId = "";
  let v1 = "";
  let runBefore = "";

  beforeAll(async () => {
    ({ planId, versionId: v1 } = await publishExample(database.db, office, planCoded("rev-main")));
    await office.request("PUT", `/api/v1/plans/${planId}/deadline`, { deadline: "2023-02-01T00:00:00Z" });
    await database.db.insert(reopenings).values({
      planVersionId: v1,
      unitCode: "fgw",
      until: new Date("2023-03-01T00:00:00Z"),
      reason: "补报",
    });
    const pdf = Buffer.from("%PDF-1.4\n%%EOF\n");
    const file = { contentType: "application/pdf", size: pdf.length, sha256: "x", content: pdf };
    await database.db.insert(evidence).values([
      { planVersionId: v1, unitCode: "kjj", indicator: "A1", period: "2022", filename: "a1.pdf", ...file },
      { planVersionId: v1, unitCode: "kjj", indicator: "C3", period: "2022", filename: "c3.pdf", ...file },
    ]);
    const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
    expect(run.statusCode, run.body).toBe(201);
    runBefore = run.json().id;
  });

  it("is the office's alone", async () => {
    for (const who of [reviewer, reporter]) {
      const r = await who.request("POST", revisions(planId), {
        document: revised("rev-main"),
        reason: "调整",
      });
      expect(r.statusCode).toBe(403);
    }
  });

  it("needs a reason of bounded length, a valid document with the same code, and a real change", async () => {
    const cases: [unknown, number, string][] = [
      [{ document: revised("rev-main") }, 400, ""],
      [{ document: revised("rev-main"), reason: "   " }, 400, ""],
      [{ document: revised("rev-main"), reason: "理".repeat(501) }, 400, ""],
      [{ document: revised("rev-main"), reason: "a\u0000b" }, 400, ""],
      [
        { document: { ...revised("rev-main"), pointsTotal: 90 }, reason: "调整" },
        400,
        "POINTS_DO_NOT_ADD_UP",
      ],
      [{ document: revised("other-code"), reason: "调整" }, 400, "PLAN_CODE_CHANGED"],
      [{ document: planCoded("rev-main"), reason: "调整" }, 400, "NO_CHANGE"],
      [{ document: revised("rev-main"), reason: "调整", baseVersion: 2 }, 409, "PLAN_REVISED"],
    ];
    for (const [body, status, code] of cases) {
      const r = await office.request("POST", revisions(planId), body);
      expect(r.statusCode, r.body).toBe(status);
      if (code) expect(r.json().code).toBe(code);
    }
    const [only] = await database.db
      .select({ n: planVersions.version })
      .from(planVersions)
      .where(eq(planVersions.planId, planId));
    expect(only).toEqual({ n: 1 });
  });

  it("refuses a malformed document naming the JSON path, in each language (not zod's English twice)", async () => {
    const bad = revised("rev-main");
    bad.indicators[1].children[3].rule = { type: "yesno", threshold: "六十" };
    const ask = (lang: string) =>
      office.request(
        "POST",
        revisions(planId),
        { document: bad, reason: "调整" },
        { "accept-language": lang },
      );
    const zh = await ask("zh-CN");
    expect(zh.statusCode, zh.body).toBe(400);
    expect(zh.json()).toMatchObject({
      code: "INVALID_PLAN",
      title: "方案格式错误：indicators[1].children[3].rule.threshold：类型错误，应为 number",
      field: "document.indicators[1].children[3].rule.threshold",
    });
    expect((await ask("en")).json().title).toBe(
      "invalid plan: indicators[1].children[3].rule.threshold: expected number",
    );
  });

  it("makes version 2 in force, carrying over what still exists, with the deadline kept", async () => {
    const reason = "根据市委要求调整社会治理指标";
    const r = await office.request("POST", revisions(planId), {
      document: revised("rev-main"),
      reason,
      baseVersion: 1,
    });
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    const all = exampleValues((i) => REPORTED.has(i));
    const kept = all.filter((v) => v.unit !== "jwj" && v.indicator !== "C3");
    expect(body).toMatchObject({ version: 2, status: "published", reason });
    expect(body.carried).toEqual({
      values: kept.length,
      evidence: 1, // A1's; C3's stays with version 1
      marks: 0,
      claims: 0,
      targetAdjustments: 0,
      reopenings: 1,
      spotChecks: 0,
      reReview: kept.filter((v) => v.indicator === "B4").length,
      leftBehind: all.length - kept.length,
    });
    expect(body.diff.tree.added).toEqual([{ code: "C4", name: "新增指标", parent: "C" }]);
    expect(body.diff.tree.removed).toEqual([{ code: "C3", name: expect.any(String), parent: "C" }]);
    expect(body.diff.rules).toEqual([
      {
        code: "B4",
        typeBefore: "mark",
        typeAfter: "yesno",
        parameters: [
          { path: "markMax", before: 100, after: null },
          { path: "threshold", before: null, after: 60 },
        ],
      },
    ]);
    expect(body.diff.targets).toEqual([{ indicator: "A1", unit: "kjj", before: 24, after: 26 }]);
    expect(body.diff.units.removed).toEqual([{ code: "jwj", name: "市纪委监委" }]);

    const plan = (await office.request("GET", `/api/v1/plans/${planId}`)).json();
    expect(plan).toMatchObject({ version: 2, status: "published" });
    expect(plan.units).not.toContain("jwj");
    const versions = await database.db
      .select({ version: planVersions.version, deadline: planVersions.deadline, reason: planVersions.reason })
      .from(planVersions)
      .where(eq(planVersions.planId, planId))
      .orderBy(planVersions.version);
    expect(versions.map((v) => [v.version, v.deadline?.toISOString(), v.reason])).toEqual([
      [1, "2023-02-01T00:00:00.000Z", null],
      [2, "2023-02-01T00:00:00.000Z", reason],
    ]);
  });

  it("keeps approved values as they were, except where the rule's type changed (to be approved again)", async () => {
    const items = (await reporter.request("GET", `/api/v1/plans/${planId}/units/kjj/values`)).json()
      .items as {
      indicator: string;
      period: string;
      value: number;
      status: string;
    }[];
    const byCode = new Map(items.map((v) => [`${v.indicator}/${v.period}`, v]));
    expect(byCode.get("A1/2022")).toMatchObject({ value: 24, status: "approved" });
    expect(byCode.get("B4/2022")).toMatchObject({ value: 95, status: "submitted" });
    expect(byCode.has("C3/2022")).toBe(false);
    // Stored and still there, listed as left behind by version 2: jwj's values and every unit's C3.
    const left = await office.request("GET", `/api/v1/plans/${planId}/versions/1/left-behind`);
    expect(left.statusCode, left.body).toBe(200);
    const rows = left.json().items as { unit: string; indicator: string; status: string }[];
    expect(rows.length).toBe(
      exampleValues((i) => REPORTED.has(i)).filter((v) => v.unit === "jwj" || v.indicator === "C3").length,
    );
    expect(rows.every((v) => v.unit === "jwj" || v.indicator === "C3")).toBe(true);
    expect(rows.find((v) => v.unit === "kjj")).toMatchObject({ indicator: "C3", status: "approved" });
    const stored = await database.db
      .select({ id: reportedValues.id })
      .from(reportedValues)
      .where(and(eq(reportedValues.planVersionId, v1), eq(reportedValues.unitCode, "kjj")));
    expect(stored.length).toBe(exampleValues((i) => REPORTED.has(i)).filter((v) => v.unit === "kjj").length);
    expect((await office.request("GET", `/api/v1/plans/${planId}/versions/2/left-behind`)).statusCode).toBe(
      404,
    );
    expect((await reporter.request("GET", `/api/v1/plans/${planId}/versions/1/left-behind`)).statusCode).toBe(
      403,
    );
  });

  it("is audited: the plan, the old and the new version, and the reason", async () => {
    const [entry] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "plan.revise"), eq(auditLog.entityId, planId)));
    expect(entry).toMatchObject({
      actor: "office",
      entity: "plan",
      before: { code: "rev-main", version: 1 },
      after: { code: "rev-main", version: 2, reason: "根据市委要求调整社会治理指标" },
    });
  });

  it("lists the versions with reason, author, time and diff; any two versions can be compared", async () => {
    const list = await reviewer.request("GET", revisions(planId));
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items;
    expect(
      items.map((v: { version: number; author: string; reason: string | null }) => [
        v.version,
        v.author,
        v.reason,
      ]),
    ).toEqual([
      [1, null, null].map((x, k) => (k === 1 ? expect.anything() : x)),
      [2, "office", "根据市委要求调整社会治理指标"],
    ]);
    expect(items[0].diff).toBeNull();
    const diff = await office.request("GET", `/api/v1/plans/${planId}/versions/1/diff/2`);
    expect(diff.statusCode).toBe(200);
    expect(diff.json()).toEqual(items[1].diff);
    const back = (await office.request("GET", `/api/v1/plans/${planId}/versions/2/diff/1`)).json();
    expect(back.tree.added).toEqual([expect.objectContaining({ code: "C3" })]);
    expect((await office.request("GET", `/api/v1/plans/${planId}/versions/1/diff/3`)).statusCode).toBe(404);
    expect((await reporter.request("GET", revisions(planId))).statusCode).toBe(403);
  });

  it("runs say which version they scored, and the runs before the revision stay readable", async () => {
    const after = await office.request("POST", `/api/v1/plans/${planId}/runs`);
    expect(after.statusCode, after.body).toBe(201);
    const list = (await office.request("GET", `/api/v1/plans/${planId}/runs?sort=createdAt`)).json();
    const versions = Object.fromEntries(
      list.items.map((r: { id: string; planVersion: number }) => [r.id, r.planVersion]),
    );
    expect(versions).toEqual({ [runBefore]: 1, [after.json().id]: 2 });
    const old = await office.request("GET", `/api/v1/plans/${planId}/runs/${runBefore}`);
    expect(old.statusCode).toBe(200);
    expect(old.json().planVersion).toBe(1);
    expect(
      (await office.request("GET", `/api/v1/plans/${planId}/runs/${after.json().id}`)).json().planVersion,
    ).toBe(2);
    // The version-2 run scored the approved values only: B4 awaits approval again, so it is not in it.
    const result = (await office.request("GET", `/api/v1/plans/${planId}/runs/${after.json().id}`)).json()
      .result;
    expect(result.units.some((u: { unit: string }) => u.unit === "jwj")).toBe(false);
  });

  it("refuses a frozen plan", async () => {
    const { planId: frozen } = await publishExample(database.db, office, planCoded("rev-frozen"), false);
    await office.request("POST", `/api/v1/plans/${frozen}/freeze`);
    const r = await office.request("POST", revisions(frozen), {
      document: revised("rev-frozen"),
      reason: "调整",
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe("PLAN_FROZEN");
  });
});

describe("what a revision carries over besides values", () => {
  it("marks and items of what remains, and target adjustments where the revision left the target", async () => {
    const { planId, versionId } = await publishExample(database.db, office, planCoded("rev-carry"), false);
    await database.db.insert(expertMarks).values([
      {
        planVersionId: versionId,
        unitCode: "kjj",
        indicator: "B1",
        period: "2022",
        reviewerId: reviewer.userId,
        mark: 7,
      },
      {
        planVersionId: versionId,
        unitCode: "jwj",
        indicator: "B1",
        period: "2022",
        reviewerId: reviewer.userId,
        mark: 6,
      },
    ]);
    const [award, late] = await database.db
      .insert(claims)
      .values([
        { planVersionId: versionId, unitCode: "kjj", item: "award", level: "省级" },
        { planVersionId: versionId, unitCode: "kjj", item: "late", status: "approved" },
      ])
      .returning({ id: claims.id });
    const file = (claimId: string, filename: string) => ({
      claimId,
      filename,
      contentType: "application/pdf",
      size: 4,
      sha256: "0".repeat(64),
      content: Buffer.from("%PDF"),
    });
    await database.db
      .insert(claimEvidence)
      .values([file(award!.id, "证书.pdf"), file(award!.id, "公示.pdf"), file(late!.id, "通报.pdf")]);
    await database.db.insert(targetAdjustments).values([
      // kjj's A1 target is changed by the revision (24 → 26): its request is superseded, not carried.
      {
        planVersionId: versionId,
        unitCode: "kjj",
        indicator: "A1",
        original: 24,
        requested: 20,
        reason: "调减",
      },
      {
        planVersionId: versionId,
        unitCode: "fgw",
        indicator: "A2",
        original: 6.5,
        requested: 6,
        reason: "调减",
        status: "approved",
      },
    ]);
    const document = revised("rev-carry");
    document.penalties = document.penalties.filter((p: { code: string }) => p.code !== "late");
    const r = await office.request("POST", revisions(planId), { document, reason: "调整扣分项" });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().carried).toMatchObject({ marks: 1, claims: 1, targetAdjustments: 1, values: 0 });
    const [v2] = await database.db
      .select({ id: planVersions.id })
      .from(planVersions)
      .where(and(eq(planVersions.planId, planId), eq(planVersions.version, 2)));
    const carried = await database.db
      .select({
        unit: targetAdjustments.unitCode,
        status: targetAdjustments.status,
        requested: targetAdjustments.requested,
      })
      .from(targetAdjustments)
      .where(eq(targetAdjustments.planVersionId, v2!.id));
    expect(carried).toEqual([{ unit: "fgw", status: "approved", requested: 6 }]);
    const items = await database.db
      .select({ item: claims.item, level: claims.level, status: claims.status })
      .from(claims)
      .where(eq(claims.planVersionId, v2!.id));
    expect(items).toEqual([{ item: "award", level: "省级", status: "pending" }]);
    // The claim carried keeps its evidence, on the copy; the original's files stay with the original.
    const files = await database.db
      .select({ claimId: claimEvidence.claimId, filename: claimEvidence.filename })
      .from(claimEvidence)
      .innerJoin(claims, eq(claims.id, claimEvidence.claimId))
      .where(eq(claims.planVersionId, v2!.id));
    expect(files.map((f) => f.filename).sort()).toEqual(["公示.pdf", "证书.pdf"]);
    expect(files.every((f) => f.claimId !== award!.id)).toBe(true);
    expect(
      (await database.db.select().from(claimEvidence).where(eq(claimEvidence.claimId, award!.id))).length,
    ).toBe(2);
  });

  it("spot checks with their findings; a finding for the superseded copy is refused (409)", async () => {
    const { planId } = await publishExample(database.db, office, planCoded("rev-spot"));
    const spot = `/api/v1/plans/${planId}/spot-checks`;
    expect((await office.request("POST", spot, { size: 4, seed: 7 })).statusCode).toBe(201);
    const [before] = (await reviewer.request("GET", spot)).json().items;
    const [a, b] = before.items;
    expect(
      (await reviewer.request("POST", `${spot}/${before.id}/items/${a.id}`, { outcome: "confirmed" }))
        .statusCode,
    ).toBe(204);
    const r = await office.request("POST", revisions(planId), {
      document: revised("rev-spot"),
      reason: "调整",
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().carried.spotChecks).toBe(1);
    const [after] = (await reviewer.request("GET", spot)).json().items;
    expect(after.id).not.toBe(before.id);
    expect(after.seed).toBe(7);
    type Item = {
      id: string;
      unit: string;
      indicator: string;
      period: string;
      value: number;
      outcome: string | null;
    };
    const cells = (items: Item[]) =>
      items.map((i) => `${i.unit}/${i.indicator}/${i.period}=${i.value}:${i.outcome}`).sort();
    expect(cells(after.items)).toEqual(
      cells(before.items.map((i: Item) => (i.id === a.id ? { ...i, outcome: "confirmed" } : i))),
    );
    const late = await reviewer.request("POST", `${spot}/${before.id}/items/${b.id}`, {
      outcome: "confirmed",
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe("PLAN_REVISED");
    const copy = after.items.find(
      (i: { unit: string; indicator: string }) => i.unit === b.unit && i.indicator === b.indicator,
    );
    expect(
      (await reviewer.request("POST", `${spot}/${after.id}/items/${copy.id}`, { outcome: "confirmed" }))
        .statusCode,
    ).toBe(204);
  });

  it("is refused while the plan's results are under public notice", async () => {
    const { planId, versionId } = await publishExample(database.db, office, planCoded("rev-notice"));
    const run = (await office.request("POST", `/api/v1/plans/${planId}/runs`)).json().id as string;
    await database.db
      .insert(publications)
      .values({ planVersionId: versionId, runId: run, noticeUntil: new Date("2023-01-20T00:00:00Z") });
    const r = await office.request("POST", revisions(planId), {
      document: revised("rev-notice"),
      reason: "调整",
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe("NOTICE_RUNNING");
  });
});

describe("publications after a revision", () => {
  it("stay readable, each unit's results included, even of a unit the revision removed", async () => {
    const { planId, versionId } = await publishExample(database.db, office, planCoded("rev-pub"));
    const run = (await office.request("POST", `/api/v1/plans/${planId}/runs`)).json().id as string;
    // A finished notice of version 1 (finalised: the plan may be revised again).
    const [publication] = await database.db
      .insert(publications)
      .values({
        planVersionId: versionId,
        runId: run,
        noticeUntil: new Date("2023-01-05T00:00:00Z"),
        status: "final",
      })
      .returning();
    const r = await office.request("POST", revisions(planId), {
      document: revised("rev-pub"),
      reason: "撤并单位",
    });
    expect(r.statusCode, r.body).toBe(201);

    const results = (unit: string) =>
      `/api/v1/plans/${planId}/publications/${publication!.id}/units/${unit}/results`;
    const jwjLeader = await t.signIn("jwj.leader", ["unit_leader"], "jwj");
    // 市纪委监委 left the plan in version 2, but was scored and published in version 1.
    const own = await jwjLeader.request("GET", results("jwj"));
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().result.unit).toBe("jwj");
    expect((await office.request("GET", results("jwj"))).statusCode).toBe(200);
    // Still no other unit's, and no unit that was never in these results.
    expect((await jwjLeader.request("GET", results("kjj"))).statusCode).toBe(403);
    expect((await office.request("GET", results("nobody"))).statusCode).toBe(404);
  });
});

describe("revisions at the same time as other writes", () => {
  it("of two revisions of the same version at once, one makes the next version and the other gets 409", async () => {
    const { planId } = await publishExample(database.db, office, planCoded("rev-race"), false);
    const doc = (k: number) => {
      const plan = revised("rev-race");
      plan.targets.A1.fgw = 100 + k;
      return plan;
    };
    for (let round = 0; round < 3; round++) {
      const base = (await office.request("GET", `/api/v1/plans/${planId}`)).json().version as number;
      const answers = await Promise.all(
        [1, 2].map((k) =>
          office.request("POST", revisions(planId), {
            document: doc(round * 2 + k),
            reason: `第 ${k} 次`,
            baseVersion: base,
          }),
        ),
      );
      const body = answers.map((a) => a.body).join("\n");
      expect(answers.map((a) => a.statusCode).sort(), body).toEqual([201, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("PLAN_REVISED");
      expect(answers.find((a) => a.statusCode === 201)!.json().version).toBe(base + 1);
    }
    // Without a base version, revisions at once each make their own version, or get 409: never two
    // versions with one number, never 500 (on PostgreSQL they truly race for the same number).
    const answers = await Promise.all(
      [7, 8, 9].map((k) => office.request("POST", revisions(planId), { document: doc(k), reason: "并发" })),
    );
    for (const a of answers) expect([201, 409], a.body).toContain(a.statusCode);
    expect(answers.some((a) => a.statusCode === 201)).toBe(true);
    const versions = await database.db
      .select({ v: planVersions.version })
      .from(planVersions)
      .where(eq(planVersions.planId, planId));
    const created = answers.filter((a) => a.statusCode === 201).length;
    expect(versions.map((v) => v.v).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 4 + created }, (_, k) => k + 1),
    );
  });

  it("a value saved while the plan is revised is carried over or refused (409), never left behind unseen", async () => {
    const { planId } = await publishExample(database.db, office, planCoded("rev-write"), false);
    const cells = exampleValues((i) => REPORTED.has(i)).filter((v) => v.unit === "kjj");
    const url = `/api/v1/plans/${planId}/units/kjj/values`;
    const [saves, revision] = await Promise.all([
      Promise.all(
        cells.map((c) =>
          reporter.request("PUT", url, { indicator: c.indicator, period: c.period, value: c.value }),
        ),
      ),
      office.request("POST", revisions(planId), { document: revised("rev-write"), reason: "并发修订" }),
    ]);
    expect(revision.statusCode, revision.body).toBe(201);
    for (const s of saves) expect([200, 409], s.body).toContain(s.statusCode);
    const saved = new Set(
      saves.flatMap((s, k) => (s.statusCode === 200 ? [`${cells[k]!.indicator}/${cells[k]!.period}`] : [])),
    );
    for (const s of saves) if (s.statusCode === 409) expect(s.json().code).toBe("PLAN_REVISED");
    const now = (await reporter.request("GET", url)).json().items as { indicator: string; period: string }[];
    const present = new Set(now.map((v) => `${v.indicator}/${v.period}`));
    // Every save that answered 200 is in version 2, unless its cell (C3) is no longer in the plan.
    for (const cell of saved) if (!cell.startsWith("C3/")) expect(present, cell).toContain(cell);
  });

  it("a reopening or deadline set while the plan is revised lands in the new version or is refused (409)", async () => {
    // Three rounds: the race is one of timing, and each round is a fresh chance to lose a write.
    for (const round of [1, 2, 3]) {
      const { planId } = await publishExample(database.db, office, planCoded(`rev-reopen-${round}`), false);
      const units = ["kjj", "fgw", "jxj", "swj", "czj", "jyj", "wjw", "mzj"];
      const [answers, deadline, revision] = await Promise.all([
        Promise.all(
          units.map((u) =>
            office.request("POST", `/api/v1/plans/${planId}/units/${u}/reopen`, {
              until: "2023-03-01T00:00:00Z",
              reason: "补报",
            }),
          ),
        ),
        office.request("PUT", `/api/v1/plans/${planId}/deadline`, { deadline: "2023-02-15T00:00:00Z" }),
        office.request("POST", revisions(planId), {
          document: revised(`rev-reopen-${round}`),
          reason: "并发修订",
        }),
      ]);
      expect(revision.statusCode, revision.body).toBe(201);
      const [v2] = await database.db
        .select({ id: planVersions.id, deadline: planVersions.deadline })
        .from(planVersions)
        .where(and(eq(planVersions.planId, planId), eq(planVersions.version, 2)));
      const present = new Set(
        (
          await database.db
            .select({ unit: reopenings.unitCode })
            .from(reopenings)
            .where(eq(reopenings.planVersionId, v2!.id))
        ).map((r) => r.unit),
      );
      answers.forEach((a, k) => {
        expect([204, 409], a.body).toContain(a.statusCode);
        if (a.statusCode === 204) expect(present, units[k]).toContain(units[k]);
        else expect(a.json().code).toBe("PLAN_REVISED");
      });
      expect([204, 409]).toContain(deadline.statusCode);
      if (deadline.statusCode === 204) expect(v2!.deadline?.toISOString()).toBe("2023-02-15T00:00:00.000Z");
    }
  });

  it("a freeze at the same time as a revision applies to the version in force, or is refused (409)", async () => {
    // The freeze starts a little after the revision, later each round, so that some round has it read
    // the old version before the revision commits and update it after.
    for (const round of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const code = `rev-freeze-${round}`;
      const { planId } = await publishExample(database.db, office, planCoded(code), false);
      const [revision, freeze] = await Promise.all([
        office.request("POST", revisions(planId), { document: revised(code), reason: "并发修订" }),
        new Promise((ok) => setTimeout(ok, round * 4)).then(() =>
          office.request("POST", `/api/v1/plans/${planId}/freeze`),
        ),
      ]);
      const head = (await office.request("GET", `/api/v1/plans/${planId}`)).json();
      const what = `round ${round}: ${revision.statusCode} ${freeze.statusCode} ${freeze.body}`;
      expect([201, 409], what).toContain(revision.statusCode);
      expect([204, 409], what).toContain(freeze.statusCode);
      // A freeze that answered 204 froze the version in force, whichever that is; a revision that
      // answered 201 made it.
      if (freeze.statusCode === 204) expect(head.status, what).toBe("frozen");
      else expect(freeze.json().code, what).toBe("PLAN_REVISED");
      expect(head.version, what).toBe(revision.statusCode === 201 ? 2 : 1);
    }
  });
});

describe("a revision that narrows an adjustment to some units (适用单位)", () => {
  it("carries the named units' values and leaves the others' behind, listed", async () => {
    const withBonus = (appliesTo?: string[]) => {
      const plan = planCoded("rev-applies");
      plan.indicators[0].children.push({
        code: "A9",
        name: "省级试点加分",
        adjustment: true,
        points: 1,
        rule: { type: "yesno" },
        ...(appliesTo ? { appliesTo } : {}),
      });
      return plan;
    };
    const { planId, versionId } = await publishExample(database.db, office, withBonus());
    await database.db.insert(reportedValues).values(
      ["kjj", "fgw"].map((unitCode) => ({
        planVersionId: versionId,
        unitCode,
        indicator: "A9",
        period: "2022",
        value: 1,
        status: "approved" as const,
      })),
    );
    const r = await office.request("POST", revisions(planId), {
      document: withBonus(["kjj"]),
      reason: "省级试点仅考核市科技局",
      baseVersion: 1,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().carried.leftBehind).toBe(1);
    const carried = await database.db
      .select({ unit: reportedValues.unitCode })
      .from(reportedValues)
      .innerJoin(planVersions, eq(planVersions.id, reportedValues.planVersionId))
      .where(
        and(eq(planVersions.planId, planId), eq(planVersions.version, 2), eq(reportedValues.indicator, "A9")),
      );
    expect(carried).toEqual([{ unit: "kjj" }]);
    const left = (await office.request("GET", `/api/v1/plans/${planId}/versions/1/left-behind`)).json().items;
    expect(left).toEqual([expect.objectContaining({ unit: "fgw", indicator: "A9" })]);
    // The version in force scores: no value is left where the plan now refuses one.
    const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
    expect(run.statusCode, run.body).toBe(201);
  });
});
