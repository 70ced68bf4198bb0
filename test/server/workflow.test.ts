import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DataRow, scorePlan } from "../../src/engine/index.js";
import { defaultSecurity } from "../../src/server/config.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan, exampleValues, REPORTED } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

const _examples = join(import.meta.dirname, "..", "..", "examples", "city-departments");
const planDocument = examplePlan();
// 依法行政 (B2) is led by a department (牵头部门; the organisation department stands in for one here):
// its reviewers review that indicator for every other unit.
planDocument.indicators[1].children[1].lead = "zzb";
const units: string[] = planDocument.units.map((u: { code: string }) => u.code);
// The example's reported values: leaf indicators only (expert marks and bonus/penalty/veto items are
// entered by other roles and are not part of this flow).
const rows = exampleValues((indicator) => REPORTED.has(indicator));

let t: TestApp;
let clock = Date.parse("2023-01-10T00:00:00Z");
let office: Client;
let reviewer: Client;
let leadReviewer: Client;
const reporter: Record<string, Client> = {};
const leader: Record<string, Client> = {};
let planId = "";

beforeAll(async () => {
  // 28 accounts sign in from one test address: lift the per-address sign-in limit for this app.
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, loginsPerMinute: 1000, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: planDocument,
  });
  office = await t.signIn("office", ["office_staff"]);
  reviewer = await t.signIn("reviewer", ["reviewer"]);
  leadReviewer = await t.signIn("zzb.reviewer", ["reviewer"], "zzb");
  for (const code of units) {
    reporter[code] = await t.signIn(`${code}.reporter`, ["unit_reporter"], code);
    leader[code] = await t.signIn(`${code}.leader`, ["unit_leader"], code);
  }
  planId = (await t.publish(office, planDocument, false)).planId;
});
afterAll(() => t.close());

const url = (unit: string, what = "values") => `/api/v1/plans/${planId}/units/${unit}/${what}`;
const revisionOf = async (unit: string, indicator: string) =>
  (
    (await reporter[unit]!.request("GET", url(unit))).json().items as {
      indicator: string;
      revision: number;
    }[]
  ).find((v) => v.indicator === indicator)!.revision;

describe("the reporting and review workflow, end to end over HTTP", () => {
  it("reporters enter every value of their own unit", async () => {
    for (const row of rows) {
      const r = await reporter[row.unit]!.request("PUT", url(row.unit), {
        indicator: row.indicator,
        period: row.period,
        value: row.value,
      });
      expect(r.statusCode, `${row.unit} ${row.indicator} ${r.body}`).toBe(200);
    }
  });

  it("submission needs evidence where the plan asks for it (A1-A3)", async () => {
    const r = await leader.kjj!.request("POST", url("kjj", "submit"));
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({
      code: "EVIDENCE_MISSING",
      title: "以下数据须上传佐证材料后才能提交：A1、A2、A3、A3（2021）",
      missing: [
        { indicator: "A1", period: "2022" },
        { indicator: "A2", period: "2022" },
        { indicator: "A3", period: "2022" },
        { indicator: "A3", period: "2021" },
      ],
    });
    const pdf = Buffer.from("%PDF-1.4\n% 佐证材料\n%%EOF\n");
    for (const unit of units) {
      for (const [indicator, period] of [
        ["A1", "2022"],
        ["A2", "2022"],
        ["A3", "2022"],
        ["A3", "2021"],
      ]) {
        const up = await reporter[unit]!.send(
          "POST",
          `${url(unit, "evidence")}?indicator=${indicator}&period=${period}&filename=${indicator}.pdf`,
          pdf,
          "application/pdf",
        );
        expect(up.statusCode, up.body).toBe(201);
      }
    }
  });

  it("leaders submit; only the leader of the unit may", async () => {
    expect((await reporter.kjj!.request("POST", url("kjj", "submit"))).statusCode).toBe(403);
    expect((await leader.fgw!.request("POST", url("kjj", "submit"))).statusCode).toBe(403);
    for (const unit of units) {
      const r = await leader[unit]!.request("POST", url(unit, "submit"));
      expect(r.statusCode, r.body).toBe(200);
    }
    // submitted values are locked for the reporter
    const locked = await reporter.kjj!.request("PUT", url("kjj"), {
      indicator: "A1",
      period: "2022",
      value: 1,
      revision: 1,
    });
    expect(locked.json().code).toBe("LOCKED");
  });

  it("a reviewer returns a value with a reason; the unit corrects and resubmits it", async () => {
    const noReason = await reviewer.request("POST", url("swj", "review"), {
      indicator: "A1",
      period: "2022",
      decision: "return",
    });
    expect(noReason.json()).toMatchObject({ code: "REASON_REQUIRED", field: "reason" });
    expect(
      (
        await reviewer.request("POST", url("swj", "review"), {
          indicator: "A1",
          period: "2022",
          decision: "return",
          reason: "佐证材料与数值不符",
        })
      ).statusCode,
    ).toBe(204);
    const returned = (await reporter.swj!.request("GET", url("swj")))
      .json()
      .items.find((v: { indicator: string }) => v.indicator === "A1");
    expect(returned).toMatchObject({ status: "returned", returnReason: "佐证材料与数值不符" });
    const fixed = await reporter.swj!.request("PUT", url("swj"), {
      indicator: "A1",
      period: "2022",
      value: 21,
      revision: returned.revision,
    });
    expect(fixed.json()).toMatchObject({ status: "draft", value: 21 });
    expect((await leader.swj!.request("POST", url("swj", "submit"))).json()).toEqual({ submitted: 1 });
  });

  it("a lead department's reviewer reviews only the indicators it leads, and not its own values", async () => {
    const review = (unit: string, indicator: string) =>
      leadReviewer.request("POST", url(unit, "review"), { indicator, period: "2022", decision: "approve" });
    const other = await review("swj", "A1");
    expect(other.statusCode).toBe(403);
    expect(other.json().title).toBe("只能审核本部门牵头的指标");
    const own = await review("zzb", "B2");
    expect(own.statusCode).toBe(403);
    expect(own.json().title).toBe("不能审核本单位的数据");
    expect((await review("swj", "B2")).statusCode).toBe(204);
  });

  it("reviewers approve everything submitted, which locks it", async () => {
    for (const row of rows) {
      if (row.unit === "swj" && row.indicator === "B2") continue; // approved by the lead department
      const r = await reviewer.request("POST", url(row.unit, "review"), {
        indicator: row.indicator,
        period: row.period,
        decision: "approve",
      });
      expect(r.statusCode, r.body).toBe(204);
    }
    expect(
      (
        await reviewer.request("POST", url("kjj", "review"), {
          indicator: "A1",
          period: "2022",
          decision: "approve",
        })
      ).json().code,
    ).toBe("NOT_SUBMITTED");
    expect(
      (
        await reporter.kjj!.request("PUT", url("kjj"), {
          indicator: "A1",
          period: "2022",
          value: 1,
          revision: 1,
        })
      ).json().code,
    ).toBe("LOCKED");
  });

  let firstRun = "";
  it("the office scores the approved data: the run is the engine's own result on those values", async () => {
    const r = await office.request("POST", `/api/v1/plans/${planId}/runs`);
    expect(r.statusCode, r.body).toBe(201);
    firstRun = r.json().id;
    const approved: DataRow[] = rows.map((row) =>
      row.unit === "swj" && row.indicator === "A1" ? { ...row, value: 21 } : row,
    );
    const direct = scorePlan(planDocument, approved);
    if (!direct.ok) throw new Error(direct.error.message.en);
    expect(r.json().inputHash).toBe(direct.value.inputHash.run);
    const stored = (await office.request("GET", `/api/v1/plans/${planId}/runs/${firstRun}`)).json().result;
    expect(
      stored.units.map((u: { unit: string; total: number; grade: string }) => [u.unit, u.total, u.grade]),
    ).toEqual(direct.value.units.map((u) => [u.unit, u.total, u.grade]));
    expect((await reporter.kjj!.request("POST", `/api/v1/plans/${planId}/runs`)).statusCode).toBe(403);
    expect((await reporter.kjj!.request("GET", `/api/v1/plans/${planId}/runs/${firstRun}`)).statusCode).toBe(
      403,
    );
  });

  it("a run re-runs exactly from its frozen inputs", async () => {
    const r = await office.request("POST", `/api/v1/plans/${planId}/runs/${firstRun}/rerun`);
    expect(r.json()).toMatchObject({ identical: true });
  });

  it("after the deadline entry is closed, unless the office reopens it for a unit", async () => {
    expect(
      (
        await office.request("PUT", `/api/v1/plans/${planId}/deadline`, {
          deadline: "2023-01-15T00:00:00+08:00",
        })
      ).statusCode,
    ).toBe(204);
    // An approved value goes back to the unit only through the office (e.g. an accepted objection).
    expect(
      (
        await reviewer.request("POST", url("kjj", "review"), {
          indicator: "A2",
          period: "2022",
          decision: "return",
          reason: "请更正",
        })
      ).json().code,
    ).toBe("NOT_SUBMITTED");
    expect(
      (
        await office.request("POST", url("kjj", "review"), {
          indicator: "A2",
          period: "2022",
          decision: "return",
          reason: "请按统计快报更正",
        })
      ).statusCode,
    ).toBe(204);
    clock = Date.parse("2023-01-20T00:00:00Z");
    const rev = await revisionOf("kjj", "A2");
    const closed = await reporter.kjj!.request("PUT", url("kjj"), {
      indicator: "A2",
      period: "2022",
      value: 2.9,
      revision: rev,
    });
    expect(closed.json().code).toBe("DEADLINE_PASSED");
    expect(
      (
        await office.request("POST", url("kjj", "reopen"), {
          until: "2023-01-25T00:00:00Z",
          reason: "统计快报延迟发布",
        })
      ).statusCode,
    ).toBe(204);
    const reopened = await reporter.kjj!.request("PUT", url("kjj"), {
      indicator: "A2",
      period: "2022",
      value: 2.9,
      revision: rev,
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(
      (await reporter.fgw!.request("PUT", url("fgw"), { indicator: "A1", period: "2022", value: 1 })).json()
        .code,
    ).toBe("DEADLINE_PASSED");
  });

  it("a new run after the correction: the diff says which unit and indicators moved", async () => {
    await leader.kjj!.request("POST", url("kjj", "submit"));
    await reviewer.request("POST", url("kjj", "review"), {
      indicator: "A2",
      period: "2022",
      decision: "approve",
    });
    const second = (await office.request("POST", `/api/v1/plans/${planId}/runs`)).json().id;
    const diff = (
      await office.request("GET", `/api/v1/plans/${planId}/runs/${firstRun}/diff/${second}`)
    ).json();
    // The input that changed, by its numbers: kjj's A2 of 2022, corrected to 2.9; nothing else.
    const before = rows.find((r) => r.unit === "kjj" && r.indicator === "A2" && r.period === "2022")!;
    expect(diff.inputs).toMatchObject({
      same: false,
      planVersion: null,
      values: [
        { kind: "value", unit: "kjj", indicator: "A2", period: "2022", before: before.value, after: 2.9 },
      ],
      marks: [],
      items: [],
      plan: { same: true },
    });
    expect(diff.from.id).toBe(firstRun);
    expect(diff.to).toMatchObject({ id: second, planVersion: 1 });
    // Only kjj's scores moved; other units may appear only because their rank or grade moved with it.
    const moved = diff.units.filter((u: { changed: string[] }) => u.changed.length > 0);
    expect(moved.map((u: { unit: string }) => u.unit)).toEqual(["kjj"]);
    expect(moved[0].changed).toEqual(expect.arrayContaining(["A", "A2"]));
    expect(moved[0].totalAfter).toBeGreaterThan(moved[0].totalBefore);
    for (const u of diff.units.filter((x: { unit: string }) => x.unit !== "kjj")) {
      expect(u.rankBefore !== u.rankAfter || u.gradeBefore !== u.gradeAfter).toBe(true);
    }
    const list = (await office.request("GET", `/api/v1/plans/${planId}/runs`)).json().items;
    expect(list).toHaveLength(2);
  });
});
