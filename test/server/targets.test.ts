import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, resultRows } from "../../src/server/db/client.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

let t: TestApp;
let database: DatabaseHandle;
let office: Client;
let kjjLeader: Client;
let fgwLeader: Client;
let planId = "";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

beforeAll(async () => {
  const plan = examplePlan();
  t = await testApp({ units: plan });
  ({ database } = t);
  plan.baselines = { A1: { kjj: 22 } }; // 基期值: last year's count, shown beside the target
  office = await t.signIn("office", ["office_staff"]);
  kjjLeader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  fgwLeader = await t.signIn("fgw.leader", ["unit_leader"], "fgw");
  planId = (await t.publish(office, plan)).planId;
});
afterAll(() => t.close());

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

  it("a unit's targets go out as a spreadsheet and come back as adjustment requests, all or nothing", async () => {
    const template = await kjjLeader.request(
      "GET",
      `/api/v1/plans/${planId}/units/kjj/targets/template.xlsx`,
    );
    expect(template.statusCode).toBe(200);
    expect(template.headers["content-type"]).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("目标")!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual([
      "指标代码",
      "指标名称",
      "计量单位",
      "基期值",
      "下达目标",
      "现行目标",
      "申请调整为",
      "调整理由",
    ]);
    // A1 with its baseline; A2 now at the target the office approved above, the original kept beside it.
    expect(values(2).slice(0, 6)).toEqual(["A1", "年度重点工作任务完成", "项", 22, 24, 24]);
    expect(values(3)).toEqual(["A2", "核心业务指标完成（各单位一项）", "", undefined, 2.8, 3]);
    const upload = (book: ExcelJS.Workbook, client = kjjLeader) =>
      book.xlsx
        .writeBuffer()
        .then((b) =>
          client.send("POST", `/api/v1/plans/${planId}/units/kjj/targets/upload`, Buffer.from(b), XLSX),
        );
    // Every mistake at once, each at its cell; nothing is recorded.
    sheet.getRow(2).getCell(7).value = 27;
    sheet.getRow(2).getCell(8).value = "短";
    sheet.getRow(3).getCell(7).value = "三";
    sheet.getRow(3).getCell(8).value = "按新口径";
    const bad = await upload(workbook);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      {
        sheet: "目标",
        row: 2,
        column: "调整理由",
        message: "请写明调整理由（至少 5 个字）",
        indicator: "A1",
      },
      { sheet: "目标", row: 3, column: "申请调整为", message: "“三”不是数字", indicator: "A2" },
    ]);
    sheet.getRow(2).getCell(8).value = "年中新增两项市委交办的重点任务";
    sheet.getRow(3).getCell(7).value = null; // a reason without a target
    expect((await upload(workbook)).json().errors).toEqual([
      { sheet: "目标", row: 3, column: "申请调整为", message: "请填写申请调整为的目标值", indicator: "A2" },
    ]);
    sheet.getRow(3).getCell(8).value = null;
    expect((await upload(workbook, fgwLeader)).statusCode).toBe(403);
    const good = await upload(workbook);
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toEqual({ requested: 1 });
    const pending = (
      await office.request("GET", `/api/v1/plans/${planId}/target-adjustments?status=pending`)
    ).json();
    expect(pending.items).toMatchObject([{ unit: "kjj", indicator: "A1", original: 24, requested: 27 }]);
    // The same file again: that request is already pending, so the row is refused and nothing is added.
    const again = await upload(workbook);
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([
      {
        sheet: "目标",
        row: 2,
        column: "指标代码",
        message: "该指标已有待审批的目标调整申请",
        indicator: "A1",
      },
    ]);
    expect(
      (await office.request("GET", `/api/v1/plans/${planId}/target-adjustments?status=pending`)).json().total,
    ).toBe(1);
    const csv = await kjjLeader.request("GET", `/api/v1/plans/${planId}/units/kjj/targets/template.csv`);
    expect(csv.body.replace(/^\uFEFF/, "").split("\n")[0]).toBe(
      "指标代码,指标名称,计量单位,基期值,下达目标,现行目标,申请调整为,调整理由",
    );
  });

  it("the matrix shows each unit's baseline, original, current target and pending request; a unit its own row", async () => {
    const matrix = (client: Client) =>
      client.request("GET", `/api/v1/plans/${planId}/targets`).then((r) => {
        expect(r.statusCode, r.body).toBe(200);
        return r.json() as {
          indicators: { code: string }[];
          items: { unit: string; cells: { indicator: string }[] }[];
        };
      });
    const all = await matrix(office);
    expect(all.indicators.map((i) => i.code)).toEqual(["A1", "A2"]);
    expect(all.items.length).toBeGreaterThan(2);
    const kjj = all.items.find((r) => r.unit === "kjj")!;
    // A1: baseline 22, asked 27 by the upload above (pending); A2: 2.8 as set, 3 since the approval.
    expect(kjj.cells).toEqual([
      {
        indicator: "A1",
        baseline: 22,
        original: 24,
        current: 24,
        pending: { id: expect.any(String), requested: 27 },
      },
      { indicator: "A2", baseline: null, original: 2.8, current: 3, pending: null },
    ]);
    expect((await matrix(kjjLeader)).items.map((r) => r.unit)).toEqual(["kjj"]);
    expect((await matrix(fgwLeader)).items.map((r) => r.unit)).toEqual(["fgw"]);
  });

  it("requests for one indicator at once: one is recorded, the others get 409 (never 500), held by the database", async () => {
    const ask = (target: number) =>
      fgwLeader.request("POST", url("fgw"), { indicator: "A2", target, reason: "同时提交的两次申请" });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, k) => ask(3 + k / 10)));
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes, answers.map((r) => r.body).join("\n")).toEqual([201, ...Array(7).fill(409)]);
    for (const r of answers.filter((r) => r.statusCode === 409))
      expect(r.json()).toMatchObject({ code: "PENDING_ADJUSTMENT", field: "indicator" });
    const pending = (
      await office.request("GET", `/api/v1/plans/${planId}/target-adjustments?status=pending&unit=fgw`)
    ).json();
    expect(pending.total).toBe(1);
    // The index itself refuses a second pending row, whatever the code in front of it checks.
    const [row] = resultRows<{ plan_version_id: string; original: number }>(
      await database.db.execute(
        sql`SELECT plan_version_id, original FROM target_adjustments WHERE unit_code = 'fgw' AND status = 'pending'`,
      ),
    );
    await expect(
      database.db.execute(sql`INSERT INTO target_adjustments
        (plan_version_id, unit_code, indicator, original, requested, reason)
        VALUES (${row!.plan_version_id}, 'fgw', 'A2', ${row!.original}, 4, '绕过检查')`),
    ).rejects.toThrow();
  });
});
