import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * The plan's value rules (数值规则) on every way a value comes in: the values API, the unit's value
 * template, the office's import and the reviewers' marks. One rule (the engine's valueProblem) decides.
 */
const plan = examplePlan();
const node = (code: string) => {
  const find = (list: { code: string; children?: unknown[] }[]): Record<string, unknown> | undefined => {
    for (const n of list) {
      if (n.code === code) return n as Record<string, unknown>;
      const below = find((n.children ?? []) as { code: string }[]);
      if (below) return below;
    }
    return undefined;
  };
  return find(plan.indicators)!;
};
// A1 counts tasks: whole numbers from 0. B4 is a mark out of 100, B1 an 8-point expert mark.
node("A1").values = { min: 0, decimals: 0 };
// Marks of items of 5 points or less carry at most one decimal; of 8 points or more, whole marks.
plan.markDecimals = [
  { maxPoints: 5, decimals: 1 },
  { minPoints: 8, decimals: 0 },
];

let t: TestApp;
let app: FastifyInstance;
let office: Client;
let kjj: Client;
let reviewer: Client;
let planId = "";

beforeAll(async () => {
  t = await testApp({ units: plan });
  ({ app } = t);
  office = await t.signIn("office", ["office_staff"]);
  kjj = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  reviewer = await t.signIn("expert1", ["reviewer"]);
  ({ planId } = await t.publish(office, plan, false));
});
afterAll(() => t.close());

const unitUrl = (what: string) => `/api/v1/plans/${planId}/units/kjj/${what}`;
const en = { "accept-language": "en" };

describe("value rules on every way in", () => {
  it("the values API refuses a mark above its scale and too many decimals, naming unit and indicator", async () => {
    const put = (indicator: string, value: number, headers = {}) =>
      kjj.request("PUT", unitUrl("values"), { indicator, period: "2022", value }, headers);
    const over = await put("B4", 105);
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({
      code: "MARK_OUT_OF_RANGE",
      field: "value",
      title:
        "单位 kjj 的指标 B4（政务公开评价）：评分应在 0 到 100 之间，不是 105（超出的评分不会按满分计，须更正）",
    });
    const half = await put("A1", 24.5, en);
    expect(half.json()).toMatchObject({
      code: "TOO_MANY_DECIMALS",
      field: "value",
      title:
        "unit kjj, indicator A1 (annual key tasks completed): must be a whole number, not 24.5 (its value rule)",
    });
    expect((await put("A1", -1)).json().code).toBe("VALUE_OUT_OF_RANGE");
    expect((await put("B4", 95.25)).json().code).toBe("TOO_MANY_DECIMALS");
    expect((await put("B4", 95.5)).statusCode).toBe(200);
    expect((await put("A1", 24)).statusCode).toBe(200);
  });

  it("an uploaded value template is refused at each cell that breaks a rule, nothing saved", async () => {
    const csv = (await kjj.request("GET", unitUrl("template.csv"))).body.replace(/^\uFEFF/, "").trim();
    const [header, ...lines] = csv.split("\n");
    const filled = lines.map((line) => {
      const cells = line.split(",");
      if (cells[0] === "A1") cells[5] = "23.5";
      if (cells[0] === "B4") cells[5] = "101";
      return cells.join(",");
    });
    const r = await kjj.send("POST", unitUrl("upload"), `${header}\n${filled.join("\n")}\n`, "text/csv");
    expect(r.statusCode).toBe(400);
    const rowOf = (code: string) => lines.findIndex((l) => l.startsWith(`${code},`)) + 2;
    expect(r.json().errors).toEqual([
      {
        sheet: expect.any(String),
        row: rowOf("A1"),
        column: "填报值",
        indicator: "A1",
        period: "2022",
        message: "单位 kjj 的指标 A1（年度重点工作任务完成）：须为整数，不是 23.5（本项数值规则）",
      },
      {
        sheet: expect.any(String),
        row: rowOf("B4"),
        column: "填报值",
        indicator: "B4",
        period: "2022",
        message:
          "单位 kjj 的指标 B4（政务公开评价）：评分应在 0 到 100 之间，不是 101（超出的评分不会按满分计，须更正）",
      },
    ]);
    const saved = (await kjj.request("GET", unitUrl("values"))).json().items;
    expect(saved.find((v: { indicator: string }) => v.indicator === "B4").value).toBe(95.5);
  });

  it("the office's import names the cell of every value a rule refuses", async () => {
    const imports = `/api/v1/plans/${planId}/imports`;
    const csv = [
      "单位代码,单位名称,指标代码,指标名称,期间,数值,说明",
      "fgw,,A1,,2022,12,",
      "fgw,,A1,,2022,-3,",
      "jxj,,B4,,2022,88.75,",
    ].join("\n");
    const r = await office.send("POST", imports, `${csv}\n`, "text/csv");
    expect(r.statusCode, r.body).toBe(202);
    expect(await app.jobRunner.tick()).toBe(true);
    const job = (await office.request("GET", `/api/v1/jobs/${r.json().id}`)).json();
    expect(job.status).toBe("failed");
    expect(job.result.errors).toEqual([
      {
        sheet: expect.any(String),
        row: 3,
        column: "数值",
        message: "单位 fgw 的指标 A1（年度重点工作任务完成）：数值应不小于 0，不是 -3",
      },
      {
        sheet: expect.any(String),
        row: 4,
        column: "数值",
        message:
          "单位 jxj 的指标 B4（政务公开评价）：最多 1 位小数，不是 88.75（方案 markDecimals：分值 5 分及以下的指标，本项 4 分）",
      },
    ]);
  });

  it("a reviewer's mark follows the same rule: the scale and the plan's precision", async () => {
    const mark = (value: number, headers = {}) =>
      reviewer.request("PUT", unitUrl("marks"), { indicator: "B1", period: "2022", mark: value }, headers);
    const over = await mark(9);
    expect(over.json()).toMatchObject({ code: "MARK_OUT_OF_RANGE", field: "mark" });
    const half = await mark(7.5, en);
    expect(half.statusCode).toBe(400);
    expect(half.json()).toMatchObject({
      code: "TOO_MANY_DECIMALS",
      field: "mark",
      title:
        "unit kjj, indicator B1 (Party building): must be a whole number, not 7.5 (the plan's markDecimals for indicators worth 8 points or more; this one is worth 8)",
    });
    expect((await mark(7)).statusCode).toBe(200);
  });
});
