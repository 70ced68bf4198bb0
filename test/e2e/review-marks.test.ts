import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organisations } from "../../src/server/db/schema/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { type Client, signIn, signInAs } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { seriousViolations } from "./axe.js";
import {
  chooseOption,
  type DemoSite,
  demoSite,
  openPopup,
  pageErrors,
  screenshot,
  signInAsDemo,
} from "./browser.js";

/**
 * The reviewer's and the office's screens on the demo, with a second plan whose values two units
 * (市科技局 with the demo accounts, 市发展改革委 with accounts made here) entered, backed with evidence
 * and submitted through the API, so there is something to review.
 */
let site: DemoSite;
let planId = "";
let office: Client;
const PLAN_NAME = "2023年度市直单位目标责任制考核（审核演示）";

/** Each unit's values: this year's, and last year's for the rank indicator (A3 compares with it). */
const entered: Record<string, { indicator: string; period: string; value: number }[]> = {
  kjj: [
    { indicator: "A1", period: "2022", value: 24 },
    { indicator: "A2", period: "2022", value: 2.87 },
    { indicator: "A3", period: "2022", value: 4 },
    { indicator: "A3", period: "2021", value: 5 },
    { indicator: "B3", period: "2022", value: 98 },
  ],
  fgw: [
    { indicator: "A1", period: "2022", value: 30 },
    { indicator: "A2", period: "2022", value: 6.6 },
    { indicator: "A3", period: "2022", value: 3 },
    { indicator: "A3", period: "2021", value: 3 },
    { indicator: "B3", period: "2022", value: 100 },
  ],
};

beforeAll(async () => {
  site = await demoSite();
  const { app, database } = site;
  const demo = (username: string) => signInAs(app, username, DEMO_PASSWORD);
  office = await demo("office");
  // A plan of its own: the example, with 市发展改革委 leading the 信访 indicator (B3, 牵头部门).
  const plan = examplePlan();
  plan.id = "city-2023-review";
  plan.name = PLAN_NAME;
  plan.indicators[1].children.find((n: { code: string }) => n.code === "B3").lead = "fgw";
  const created = await office.request("POST", "/api/v1/plans", { document: plan });
  expect(created.statusCode, created.body).toBe(201);
  planId = created.json().planId;
  expect((await office.request("POST", `/api/v1/plans/${planId}/publish`)).statusCode).toBeLessThan(300);

  // Evidence as a unit would scan it: a picture of the task list and a PDF notice, made by the browser.
  const maker = await site.browser.newPage({ viewport: { width: 640, height: 360 } });
  await maker.setContent(
    `<body style="font-family:'Noto Sans CJK SC',sans-serif;padding:24px;background:#fff">
      <h2>市科技局 2022 年度重点工作任务清单</h2><ol><li>科技创新平台建设 —— 已完成</li>
      <li>高新技术企业培育 —— 已完成</li><li>科技成果转化 —— 已完成</li></ol><p>（盖章）</p></body>`,
  );
  const png = await maker.screenshot();
  await maker.setContent(
    `<body style="font-family:'Noto Sans CJK SC',sans-serif;padding:32px"><h1>省级主管部门通报</h1>
      <p>2022 年度全省科技系统考核位次：第 4 位。</p></body>`,
  );
  const pdf = await maker.pdf({ format: "A4" });
  await maker.close();

  const orgId = async (code: string) =>
    (await database.db.select().from(organisations).where(eq(organisations.code, code)))[0]!.id;
  const people = {
    kjj: { reporter: await demo("kjj.reporter"), leader: await demo("kjj.leader") },
    fgw: {
      reporter: await signIn(app, database.db, "fgw.reporter", ["unit_reporter"], await orgId("fgw")),
      leader: await signIn(app, database.db, "fgw.leader", ["unit_leader"], await orgId("fgw")),
    },
  };
  for (const [unit, { reporter, leader }] of Object.entries(people)) {
    const base = `/api/v1/plans/${planId}/units/${unit}`;
    for (const v of entered[unit]!) {
      const r = await reporter.request("PUT", `${base}/values`, { ...v, source: "统计年报" });
      expect(r.statusCode, r.body).toBe(200);
    }
    for (const [indicator, period, file, type, name] of [
      ["A1", "2022", png, "image/png", "任务清单.png"],
      ["A2", "2022", pdf, "application/pdf", "统计数据.pdf"],
      ["A3", "2022", pdf, "application/pdf", "省级通报.pdf"],
      ["A3", "2021", pdf, "application/pdf", "上年通报.pdf"],
    ] as const) {
      const query = `indicator=${indicator}&period=${period}&filename=${encodeURIComponent(name)}`;
      const r = await reporter.send("POST", `${base}/evidence?${query}`, file, type);
      expect(r.statusCode, r.body).toBe(201);
    }
    const submitted = await leader.request("POST", `${base}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
  }
  // Four of the five expert reviewers have marked 市科技局 on 党建工作 (B1, out of 8) already.
  for (const [n, mark] of [
    [2, 6],
    [3, 7],
    [4, 8],
    [5, 5],
  ] as const) {
    const r = await (await demo(`reviewer${n}`)).request("PUT", `/api/v1/plans/${planId}/units/kjj/marks`, {
      indicator: "B1",
      period: "2022",
      mark,
    });
    expect(r.statusCode, r.body).toBe(200);
  }
});
afterAll(async () => {
  await site?.close();
});

async function signInPage(username: string, viewport = { width: 1366, height: 768 }) {
  const context = await site.browser.newContext({ viewport, locale: "zh-CN" });
  const page = await context.newPage();
  const seen = pageErrors(page);
  const errors = () => seen;
  await signInAsDemo(page, site.url, username);
  return { context, page, errors };
}

/** axe on the page as it rests: the mouse away, so no hover colour is judged. */
async function axe(page: Page) {
  await page.mouse.move(0, 0);
  return seriousViolations(page);
}

/** Chooses an option of an antd Select by its label. */
async function choose(page: Page, label: string, option: string) {
  await chooseOption(page, page.getByRole("combobox", { name: label, exact: true }), (list) =>
    list.getByTitle(option, { exact: true }),
  );
}

const row = (page: Page, ...texts: string[]) => {
  let rows = page.locator(".review-list tbody tr.review-row");
  for (const t of texts) rows = rows.filter({ hasText: t });
  return rows;
};

describe("review and expert marking, in Chromium", () => {
  it("the reviewer filters, returns one value with a reason, approves others in a batch, and records a spot check", async () => {
    const { context, page, errors } = await signInPage("reviewer");
    await page
      .getByRole("menuitem")
      .filter({ hasText: /^审核$/ })
      .click();
    await page.getByRole("heading", { name: "数据审核" }).waitFor();
    await choose(page, "考核方案", `${PLAN_NAME}（v1）`);
    // Everything submitted, across both units: five values each.
    await row(page, "市发展改革委").first().waitFor();
    expect(await row(page).count()).toBe(10);
    expect(await axe(page)).toEqual([]);
    await screenshot(page, "review-queue-1366");

    // Filter: one unit, then the lead department's indicator.
    await choose(page, "单位", "市科技局");
    await expect.poll(() => row(page).count()).toBe(5);
    expect(await row(page, "市发展改革委").count()).toBe(0);
    await choose(page, "牵头部门", "市发展改革委");
    await expect.poll(() => row(page).count()).toBe(1);
    await row(page, "B3").waitFor();
    await choose(page, "牵头部门", "全部");
    await expect.poll(() => row(page).count()).toBe(5);

    // A3 side by side: this year's rank 4, last year's 5, and the PDF notice inline.
    await row(page, "A3", "2022").click();
    const detail = page.locator(".review-detail");
    await detail.getByRole("heading", { name: /市科技局 · A3/ }).waitFor();
    await detail.locator(".review-figure-main").getByText("4位").waitFor();
    await detail.getByText("上年值（2021）").waitFor();
    await detail.locator(".review-figure").nth(2).getByText("5位").waitFor();
    await detail.locator('iframe[title="省级通报.pdf"]').waitFor();
    // A2 has a target (2.8) and the same PDF kind of evidence; A1 a picture.
    await row(page, "A1").click();
    await detail.getByRole("heading", { name: /市科技局 · A1/ }).waitFor();
    const image = detail.getByRole("img", { name: "任务清单.png" });
    await image.waitFor();
    await expect
      .poll(() => image.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    await detail.locator(".review-figure").nth(1).getByText("24项").waitFor();
    expect(await axe(page)).toEqual([]);
    await screenshot(page, "review-detail-1366");

    // Return A2: without a reason the field says so; with one, it goes back to the unit.
    await row(page, "A2").click();
    await detail.getByRole("heading", { name: /市科技局 · A2/ }).waitFor();
    await detail.getByRole("button", { name: "退回" }).click();
    await detail.getByText("退回须填写理由").waitFor();
    await detail.getByLabel("退回理由").fill("核心业务指标须附统计部门盖章的数据，请补充。");
    await detail.getByRole("button", { name: "退回" }).click();
    await page.getByText("已退回单位").waitFor();
    await expect.poll(() => row(page).count()).toBe(4);
    const returned = await office.request("GET", `/api/v1/plans/${planId}/units/kjj/values`);
    expect(
      returned
        .json()
        .items.find(
          (v: { indicator: string; period: string }) => v.indicator === "A2" && v.period === "2022",
        ),
    ).toMatchObject({ status: "returned", returnReason: "核心业务指标须附统计部门盖章的数据，请补充。" });

    // With the keyboard only: a row opened with Enter, approved with Enter on the button.
    const b3 = row(page, "B3");
    await b3.focus();
    await page.keyboard.press("Enter");
    await detail.getByRole("heading", { name: /市科技局 · B3/ }).waitFor();
    await detail.getByRole("button", { name: "审核通过" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText("已审核通过").first().waitFor();
    await expect.poll(() => row(page).count()).toBe(3);

    // Batch: every unit's remaining values, while someone else approves one of them meanwhile: that row
    // shows the server's refusal, the others are approved.
    await choose(page, "单位", "全部");
    await expect.poll(() => row(page).count()).toBe(8);
    const meanwhile = await office.request("POST", `/api/v1/plans/${planId}/units/fgw/review`, {
      indicator: "B3",
      period: "2022",
      decision: "approve",
    });
    expect(meanwhile.statusCode).toBe(204);
    await page
      .getByRole("checkbox", { name: "全选" })
      .or(page.locator(".ant-table-thead .ant-checkbox-input"))
      .first()
      .check();
    await page.getByText("已选 8 项").waitFor();
    await page.getByRole("button", { name: "批量通过" }).click();
    const result = page.locator(".review-batch-result");
    await result.getByText("批量审核结果：通过 7 项，未通过 1 项").waitFor();
    await result.getByText(/市发展改革委 · B3 .*（2022）：只能审核已提交的数据/).waitFor();
    // Nothing is left waiting: the seven approved, the eighth approved by the office meanwhile.
    await page.getByText("暂无待审核的数据").waitFor();
    expect(await axe(page)).toEqual([]);
    await screenshot(page, "review-batch-1366");
    const queue = await office.request(
      "GET",
      `/api/v1/plans/${planId}/review-queue?status=approved&pageSize=50`,
    );
    expect(queue.json().total).toBe(9);

    // Spot checks: the office draws a sample; the reviewer records what checking one value found.
    const officePage = await signInPage("office");
    await officePage.page
      .getByRole("menuitem")
      .filter({ hasText: /^审核$/ })
      .click();
    await choose(officePage.page, "考核方案", `${PLAN_NAME}（v1）`);
    await officePage.page.getByRole("tab", { name: "抽查" }).click();
    await officePage.page.getByText("尚未抽查").waitFor();
    await officePage.page.getByLabel("抽查数量").fill("3");
    await officePage.page.getByLabel("随机种子（可选）").fill("2022");
    await officePage.page.getByRole("button", { name: "抽取样本" }).click();
    await officePage.page.getByText("已抽取 3 项").waitFor();
    await officePage.page.getByRole("heading", { name: /抽取 3 项，种子 2022/ }).waitFor();
    expect(await axe(officePage.page)).toEqual([]);
    await screenshot(officePage.page, "review-spot-office-1366");
    expect(officePage.errors()).toEqual([]);
    await officePage.context.close();

    await page.getByRole("tab", { name: "抽查" }).click();
    await page.getByText("抽查样本由考核办抽取").waitFor();
    const first = page.locator(".review-spot-check tbody tr").first();
    const drawnUnit = (await first.locator("td").first().textContent()) ?? "";
    const drawnIndicator = (await first.locator("td").nth(1).textContent()) ?? "";
    const item = page
      .locator(".review-spot-check tbody tr")
      .filter({ hasText: drawnUnit })
      .filter({ hasText: drawnIndicator })
      .first();
    await item.locator(".review-finding-outcome").click();
    await openPopup(page, ".ant-select-dropdown").getByTitle("存在出入", { exact: true }).click();
    await item.getByRole("textbox").fill("与统计年报核对，数值相差 0.07");
    await item.getByRole("button", { name: "记录" }).click();
    await page.getByText("已记录核查结论").waitFor();
    await item.locator(".ant-tag").getByText("存在出入").waitFor();
    const checks = (await office.request("GET", `/api/v1/plans/${planId}/spot-checks`)).json();
    expect(
      checks.items[0].items.filter((i: { outcome: string | null }) => i.outcome === "discrepancy"),
    ).toHaveLength(1);
    expect(await axe(page)).toEqual([]);
    await screenshot(page, "review-spot-1366");
    expect(errors()).toEqual([]);
    await context.close();
  });

  it("a reviewer enters their own marks; the office sees the trimmed mean, the reviewer does not", async () => {
    const { context, page, errors } = await signInPage("reviewer");
    await page
      .getByRole("menuitem")
      .filter({ hasText: /^专家评分$/ })
      .click();
    await page.getByRole("heading", { name: "专家评分" }).waitFor();
    await choose(page, "考核方案", `${PLAN_NAME}（v1）`);
    await page.getByRole("heading", { name: "我的评分" }).waitFor();
    await page.getByText("已评 0 / 13 个单位").waitFor();
    // Out of range: the server's message under the field; then a mark within the scale, saved with Enter.
    const fgw = page.getByLabel("市发展改革委 评分");
    await fgw.fill("9");
    await fgw.press("Enter");
    await page.getByRole("alert").filter({ hasText: "评分应在 0 到 8 之间，不是 9" }).waitFor();
    await fgw.fill("6");
    await fgw.press("Enter");
    await page.getByText("已保存 市发展改革委 的评分").waitFor();
    await page.getByLabel("市科技局 评分").fill("7.5");
    await page.getByLabel("市科技局 评语").fill("党建与业务融合成效明显");
    await page.getByLabel("市科技局 评语").press("Enter");
    await page.getByText("已评 2 / 13 个单位").waitFor();
    // The reviewer sees no summary, and the server gives them neither the mean nor the others' marks.
    expect(await page.getByRole("heading", { name: /评分汇总/ }).count()).toBe(0);
    const summary = await page.request.get(`${site.url}/api/v1/plans/${planId}/marks/summary`);
    expect(summary.status()).toBe(403);
    const mine = await page.request.get(`${site.url}/api/v1/plans/${planId}/marks?pageSize=500`);
    expect((await mine.json()).items.map((m: { mark: number }) => m.mark).sort()).toEqual([6, 7.5]);
    expect(await axe(page)).toEqual([]);
    await screenshot(page, "marks-reviewer-1366");
    expect(errors()).toEqual([]);
    await context.close();

    // The office: five marks for 市科技局 (5, 6, 7, 7.5, 8): without the highest and lowest, 6.83 of 8.
    const o = await signInPage("office", { width: 1920, height: 1080 });
    await o.page
      .getByRole("menuitem")
      .filter({ hasText: /^专家评分$/ })
      .click();
    await choose(o.page, "考核方案", `${PLAN_NAME}（v1）`);
    await o.page.getByRole("heading", { name: /评分汇总/ }).waitFor();
    expect(await o.page.getByRole("heading", { name: "我的评分" }).count()).toBe(0);
    const kjj = o.page.locator(".marks-card tbody tr").filter({ hasText: "市科技局" });
    await kjj.getByText("6.83 / 8.00").waitFor();
    expect(await kjj.locator("td").nth(1).textContent()).toBe("5");
    expect(await kjj.locator("td").nth(2).textContent()).toBe("3");
    await o.page
      .locator(".marks-card tbody tr")
      .filter({ hasText: "市发展改革委" })
      .getByText("6.00 / 8.00")
      .waitFor();
    expect(await axe(o.page)).toEqual([]);
    await screenshot(o.page, "marks-office-1920");

    // The review queue at 1920×1080 too: the demo plan's approved values.
    await o.page
      .getByRole("menuitem")
      .filter({ hasText: /^审核$/ })
      .click();
    await choose(o.page, "考核方案", "2022年度市直单位工作目标责任制考核方案（示例）（v1）");
    await choose(o.page, "状态", "已通过");
    await choose(o.page, "单位", "市科技局");
    await row(o.page, "市科技局", "A3").first().click();
    await o.page.locator(".review-detail").waitFor();
    expect(await axe(o.page)).toEqual([]);
    await screenshot(o.page, "review-1920");
    expect(o.errors()).toEqual([]);
    await o.context.close();
  });
});
