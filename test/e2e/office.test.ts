import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { type APIRequestContext, type BrowserContext, type Page, request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claims,
  expertMarks,
  planVersions,
  reportedValues,
  users,
} from "../../src/server/db/schema/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, openPopup, pageErrors, screenshot } from "./browser.js";

/**
 * The office's year through its screens: a plan uploaded, published, its deadline set, a unit
 * reopened; scoring as a job whose progress the page follows; public notice; the unit leader's
 * objection with evidence; the office accepts it; after the correction a new run is published,
 * supersedes the first, is finalised and the plan frozen; the unit sees its grade. The reporting and
 * review in between belong to other screens: they are set up through the database (the year's
 * approved values) and the API (the correction).
 */
const example = (file: string) => join(import.meta.dirname, "..", "..", "examples", "city-departments", file);
const document = {
  ...JSON.parse(readFileSync(example("plan.json"), "utf8")),
  id: "city-departments-2022-e2e",
  name: "2022年度市直单位工作目标责任制考核方案（端到端测试）",
};

let offset = 0; // the server's clock, moved past the notice period near the end
let site: DemoSite;
let planId: string;
let office: BrowserContext;
let officePage: Page;
let officeErrors: string[];
const wide = { width: 1366, height: 768 };

beforeAll(async () => {
  site = await demoSite({ now: () => new Date(Date.now() + offset) });
  ({ context: office, page: officePage, errors: officeErrors } = await signIn("office"));
});
afterAll(async () => {
  await site?.close();
});

async function signIn(username: string, viewport = wide) {
  const context = await site.browser.newContext({ viewport, locale: "zh-CN" });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${site.url}/login`);
  await page.getByRole("button", { name: `使用 ${username}` }).click();
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("heading", { name: `欢迎，${username}` }).waitFor();
  return { context, page, errors };
}

/** The API as one signed-in user (cookie and CSRF token), for the steps other screens own. */
async function apiAs(username: string) {
  const ctx: APIRequestContext = await request.newContext({ baseURL: site.url });
  const login = await ctx.post("/api/v1/auth/login", { data: { username, password: DEMO_PASSWORD } });
  expect(login.status()).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { "x-csrf-token": csrfToken };
  return {
    get: (path: string) => ctx.get(`/api/v1${path}`),
    post: (path: string, data?: unknown) => ctx.post(`/api/v1${path}`, { data: data ?? {}, headers }),
    put: (path: string, data: unknown) => ctx.put(`/api/v1${path}`, { data, headers }),
    dispose: () => ctx.dispose(),
  };
}

/** The example's values, marks and bonus items for the new plan, approved (as reporting and review would leave them). */
async function approvedYear(id: string) {
  const { db } = site.database;
  const [version] = await db.select().from(planVersions).where(eq(planVersions.planId, id));
  const rows = parseCsv(readFileSync(example("values.csv")), { bom: true, columns: true }) as Record<
    string,
    string
  >[];
  const items = new Set(["award", "incentive", "notice", "late", "safety", "discipline"]);
  const people = new Map((await db.select().from(users)).map((u) => [u.username, u.id]));
  const reviewer = (r: string) =>
    people.get(r === "评委1" ? "reviewer" : `reviewer${r.replace("评委", "")}`)!;
  await db.insert(reportedValues).values(
    rows
      .filter((r) => !r.reviewer && !items.has(r.indicator!))
      .map((r) => ({
        planVersionId: version!.id,
        unitCode: r.unit!,
        indicator: r.indicator!,
        period: r.period!,
        value: Number(r.value),
        status: "approved" as const,
      })),
  );
  await db.insert(expertMarks).values(
    rows
      .filter((r) => r.reviewer)
      .map((r) => ({
        planVersionId: version!.id,
        unitCode: r.unit!,
        indicator: r.indicator!,
        period: r.period!,
        reviewerId: reviewer(r.reviewer!),
        mark: Number(r.value),
      })),
  );
  await db.insert(claims).values(
    rows
      .filter((r) => items.has(r.indicator!))
      .map((r) => ({
        planVersionId: version!.id,
        unitCode: r.unit!,
        item: r.indicator!,
        level: r.level || null,
        value: Number(r.value),
        status: "approved" as const,
        createdBy: people.get("office")!,
        decidedBy: people.get("office")!,
        decidedAt: new Date(),
      })),
  );
}

/** Answers the Popconfirm that an irreversible action opens. */
async function confirm(page: Page) {
  const pop = openPopup(page, ".ant-popover");
  await pop.getByRole("button", { name: "确定" }).click();
}

/** Fills an antd date-time picker by typing, as a keyboard user would. */
async function pickTime(page: Page, label: string, text: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(text);
  await input.press("Tab");
  await expect.poll(() => input.inputValue()).toBe(text);
}

async function check(page: Page, name: string) {
  // The pointer leaves the button it last clicked (a hovered primary button is lighter), and antd's
  // transitions settle, so axe judges the page as it rests.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, name);
}

const runScoring = async (page: Page) => {
  await page.getByRole("button", { name: "运行计分" }).click();
  // The job is queued: the page shows it and polls; the job runner (ticked here) scores.
  await page.locator(".job-progress").getByText("排队中").waitFor();
  expect(await site.app.jobRunner.tick()).toBe(true);
  await page.locator(".job-progress").getByText("计分完成").waitFor();
  const bar = page.locator(".job-progress").getByRole("progressbar");
  await expect.poll(() => bar.getAttribute("aria-valuenow")).toBe("100");
  await expect.poll(() => page.getByRole("button", { name: "运行计分" }).isEnabled()).toBe(true);
};

describe("the office's year, in Chromium", () => {
  it("creates a plan from a document (the server's validation shown), publishes it, sets the deadline", async () => {
    const page = officePage;
    await page.getByRole("menuitem", { name: "考核方案" }).click();
    await page.getByRole("heading", { name: "考核方案" }).waitFor();
    await page.getByRole("link", { name: /2022年度市直单位工作目标责任制考核方案（示例）/ }).waitFor();
    await check(page, "plans-list-1366");

    await page.getByRole("button", { name: "新建方案" }).click();
    const modal = openPopup(page, ".ant-modal");
    const file = modal.locator('input[type="file"]');
    // Not JSON: said at once, nothing sent.
    await file.setInputFiles({
      name: "plan.json",
      mimeType: "application/json",
      buffer: Buffer.from("{oops"),
    });
    await modal.getByRole("alert").filter({ hasText: "文件不是有效的 JSON" }).waitFor();
    // JSON, but not a plan: the server's message and the field it names.
    const broken = { ...document, indicators: [] };
    await file.setInputFiles({
      name: "plan.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(broken)),
    });
    await modal.getByRole("button", { name: "创建草稿" }).click();
    const refusal = modal.getByRole("alert").filter({ hasText: "方案未通过校验" });
    await refusal.getByText(/方案格式错误：indicators/).waitFor();
    await refusal.getByText("出错位置：document.indicators").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "plans-create-refused-1366");
    await file.setInputFiles({
      name: "plan.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(document)),
    });
    await modal.getByText(/已选择：2022年度市直单位工作目标责任制考核方案（端到端测试）/).waitFor();
    await modal.getByRole("button", { name: "创建草稿" }).click();
    await page.getByRole("heading", { name: document.name }).waitFor();
    planId = new URL(page.url()).pathname.split("/").pop()!;
    await page.locator(".page-head").getByText("草稿").waitFor();

    await page.getByRole("button", { name: "发布方案" }).click();
    await page.getByText("发布后方案即生效").waitFor();
    await confirm(page);
    await page.locator(".page-head").getByText("执行中").waitFor();

    await pickTime(page, "截止时间", "2027-01-15 18:00");
    await page.getByRole("button", { name: "保存截止时间" }).click();
    await page.getByText("截止时间已保存").waitFor();
    await page
      .locator(".ant-descriptions")
      .getByText(/2027年1月15日/)
      .waitFor();
  });

  it("reopens one unit until a time, with the reason", async () => {
    const page = officePage;
    const card = page.locator(".ant-card").filter({ hasText: "重新开放单位填报" });
    await card.getByLabel("单位").click();
    await page.keyboard.type("科技");
    await page.locator(".ant-select-item-option", { hasText: "市科技局" }).click();
    await pickTime(page, "开放至", "2027-02-01 12:00");
    await card.getByLabel("理由").fill("单位系统故障，延期补报");
    await card.getByRole("button", { name: "重新开放" }).click();
    await page.getByText("已为 市科技局 重新开放填报").waitFor();
    await card
      .locator(".reopened")
      .getByText(/市科技局 → 2027年2月1日/)
      .waitFor();
    await check(page, "plan-detail-1366");
  });

  it("scores as a job (its progress followed), opens the public notice; freezing is refused under notice", async () => {
    const page = officePage;
    await approvedYear(planId);
    await runScoring(page);
    const runs = page.locator(".ant-card").filter({ hasText: "计分记录" });
    await runs.getByRole("cell", { name: "v1" }).waitFor();
    await check(page, "plan-scoring-1366");

    await runs.getByRole("button", { name: "公示" }).click();
    await page.getByText("将这次计分的结果向社会公示").waitFor();
    await confirm(page);
    await page.getByText(/已公示，公示期至/).waitFor();
    const publications = page.locator(".ant-card").filter({ hasText: "公示记录" });
    await publications.getByText("公示中").waitFor();
    await page.locator(".ant-steps-item-process").getByText("公示").waitFor();

    // A frozen plan could take no correction: the server refuses while the notice runs, and says why.
    await page.getByRole("button", { name: "冻结方案" }).click();
    await confirm(page);
    await page.getByRole("alert").filter({ hasText: "未能冻结" }).waitFor();
    await check(page, "plan-notice-1366");
  });

  it("shows the office the ranking per category with quota lines, and each unit's scores", async () => {
    const page = officePage;
    await page.getByRole("menuitem", { name: "考核结果" }).click();
    await page.getByRole("heading", { name: "考核结果" }).waitFor();
    // The demo's plan is chosen first; pick this one.
    await page.getByLabel("考核方案", { exact: true }).click();
    await page.locator(".ant-select-item-option", { hasText: "端到端测试" }).click();
    await page.getByRole("heading", { name: "经济发展部门排名" }).waitFor();
    await page.getByRole("heading", { name: "社会事业部门排名" }).waitFor();
    await page
      .getByText(/优秀：2 个名额/)
      .first()
      .waitFor();
    await page.getByText(/公示中，公示期至/).waitFor();
    const econ = page.locator(".ant-card").filter({ hasText: "经济发展部门排名" });
    expect(await econ.locator("tbody tr").count()).toBe(5);
    await check(page, "results-ranking-1366");
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, "results-ranking-1920");
    await page.setViewportSize(wide);

    await econ.getByRole("button", { name: "查看 市科技局 的得分" }).click();
    await page.getByRole("heading", { name: "市科技局" }).waitFor();
    await page.getByRole("heading", { name: "各指标得分" }).waitFor();
    await page.getByRole("cell", { name: "B4 政务公开评价" }).waitFor();
    await check(page, "results-unit-1366");
    await page.getByRole("button", { name: "返回排名" }).click();
    await page.getByRole("heading", { name: "经济发展部门排名" }).waitFor();
  });

  it("the unit leader sees the unit's published result and files an objection with evidence", async () => {
    const { context, page, errors } = await signIn("kjj.leader");
    await page.goto(`${site.url}/results?plan=${planId}`);
    await page.getByRole("heading", { name: "本单位考核结果 · 市科技局" }).waitFor();
    await page
      .getByText(/公示中/)
      .first()
      .waitFor();
    await check(page, "results-own-notice-1366");

    await page.getByRole("menuitem", { name: "异议处理" }).click();
    await page.getByRole("heading", { name: "结果异议" }).waitFor();
    await page.getByLabel("考核方案", { exact: true }).click();
    await page.locator(".ant-select-item-option", { hasText: "端到端测试" }).click();
    await page.getByText("没有异议。").waitFor();
    await page.getByRole("button", { name: "提出异议" }).click();
    const modal = openPopup(page, ".ant-modal");
    // The reason is required (at least 5 characters): said at the field.
    await modal.getByRole("button", { name: "提交异议", exact: true }).click();
    await modal.getByText("请填写异议理由（至少 5 个字）").waitFor();
    await modal
      .getByLabel("异议理由")
      .fill("政务公开评价得分按 95 分计，省政务公开办复核结果为 99 分，请更正。");
    await modal.getByLabel("涉及的数据").click();
    await page.keyboard.type("B4");
    await page.locator(".ant-select-item-option", { hasText: "政务公开评价" }).click();
    await page.keyboard.press("Escape");
    await openPopup(page, ".ant-select-dropdown").waitFor({ state: "hidden" });
    await modal.locator('input[type="file"]').setInputFiles({
      name: "复核意见.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    });
    await modal.getByText("复核意见.pdf").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "objection-file-1366");
    await modal.getByRole("button", { name: "提交异议", exact: true }).click();
    await page.getByText("异议已提交").waitFor();
    const row = page.locator("tbody tr").filter({ hasText: "政务公开评价得分" });
    await row.getByText("待处理").waitFor();
    await row.getByRole("link", { name: /复核意见\.pdf/ }).waitFor();
    await check(page, "objections-unit-1366");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the office accepts the objection: the cell it names unlocks for the unit", async () => {
    const page = officePage;
    await page.getByRole("menuitem", { name: "异议处理" }).click();
    await page.getByRole("heading", { name: "异议处理" }).waitFor();
    await page.getByLabel("考核方案", { exact: true }).click();
    await page.locator(".ant-select-item-option", { hasText: "端到端测试" }).click();
    const row = page.locator("tbody tr").filter({ hasText: "政务公开评价得分" });
    await row.getByText("B4 政务公开评价").waitFor();
    // The evidence downloads as filed.
    const download = await page.request.get(
      `${site.url}${await row.getByRole("link", { name: /复核意见\.pdf/ }).getAttribute("href")}`,
    );
    expect((await download.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await check(page, "objections-inbox-1366");

    await row.getByRole("button", { name: "处理" }).click();
    const modal = openPopup(page, ".ant-modal");
    await modal.getByText("受理（解锁涉及的数据供单位更正）").click();
    await modal.getByLabel("处理意见").fill("经核实，省政务公开办复核结果为 99 分，予以更正。");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "objection-resolve-1366");
    await modal.getByRole("button", { name: "确认处理" }).click();
    await page.getByText("受理后，异议涉及的已审核数据将退回本单位更正").waitFor();
    await confirm(page);
    await page.getByText("已受理，已为单位解锁 1 项数据：B4 政务公开评价").waitFor();
    await page.locator(".ant-segmented-item", { hasText: "全部" }).click();
    await row.getByText("已受理").waitFor();
    await row.getByText("经核实，省政务公开办复核结果为 99 分，予以更正。").waitFor();
  });

  it("after the correction, a new run is published (superseding the first), finalised, and the plan frozen", async () => {
    // The correction (the entry and review screens are other helpers'): the reporter saves, the
    // leader submits, the office approves.
    const reporter = await apiAs("kjj.reporter");
    const values = (await (await reporter.get(`/plans/${planId}/units/kjj/values`)).json()) as {
      items: { indicator: string; status: string; revision: number; returnReason: string | null }[];
    };
    const b4 = values.items.find((v) => v.indicator === "B4")!;
    expect(b4.status).toBe("returned");
    expect(b4.returnReason).toContain("异议");
    const saved = await reporter.put(`/plans/${planId}/units/kjj/values`, {
      indicator: "B4",
      period: "2022",
      value: 99,
      revision: b4.revision,
    });
    expect(saved.status()).toBe(200);
    const leader = await apiAs("kjj.leader");
    expect((await leader.post(`/plans/${planId}/units/kjj/submit`)).status()).toBe(200);
    const reviewer = await apiAs("office");
    const approved = await reviewer.post(`/plans/${planId}/units/kjj/review`, {
      indicator: "B4",
      period: "2022",
      decision: "approve",
    });
    expect(approved.status()).toBe(204);
    await Promise.all([reporter.dispose(), leader.dispose(), reviewer.dispose()]);

    const page = officePage;
    await page.goto(`${site.url}/plans/${planId}`);
    await page.getByRole("heading", { name: document.name }).waitFor();
    await runScoring(page);
    const runs = page.locator(".ant-card").filter({ hasText: "计分记录" });
    await expect.poll(() => runs.locator("tbody tr").count()).toBe(2);
    await runs.locator("tbody tr").first().getByRole("button", { name: "公示" }).click();
    await confirm(page);
    await page.getByText(/已公示，公示期至/).waitFor();
    const publications = page.locator(".ant-card").filter({ hasText: "公示记录" });
    await publications.getByText("已被替代").waitFor();
    await publications.getByText("公示中").waitFor();
    expect(officeErrors).toEqual([]);
    await office.close();

    // The notice period passes (the server's clock; sessions expire with it: sign in again).
    offset = 6 * 86_400_000;
    ({ context: office, page: officePage, errors: officeErrors } = await signIn("office"));
    const again = officePage;
    await again.goto(`${site.url}/plans/${planId}`);
    const list = again.locator(".ant-card").filter({ hasText: "公示记录" });
    await list.getByRole("button", { name: "定稿" }).click();
    await again.getByText("定稿后结果不再变更").waitFor();
    await confirm(again);
    await again.getByText("结果已定稿").waitFor();
    await list.getByText("已定稿").waitFor();
    await again.getByRole("button", { name: "冻结方案" }).click();
    await confirm(again);
    await again.locator(".ant-message").getByText("方案已冻结").waitFor();
    await again.locator(".page-head").getByText("已冻结").waitFor();
    await again.locator(".ant-steps-item-process, .ant-steps-item-finish").last().getByText("定稿").waitFor();
    await check(again, "plan-final-1366");
    expect(officeErrors).toEqual([]);
  });

  it("the unit sees its final grade, from the publication that superseded the first", async () => {
    const { context, page, errors } = await signIn("kjj.leader");
    await page.goto(`${site.url}/results?plan=${planId}`);
    await page.getByRole("heading", { name: "本单位考核结果 · 市科技局" }).waitFor();
    await page.getByRole("alert").filter({ hasText: "已定稿" }).waitFor();
    const summary = page.locator(".unit-summary");
    await summary.getByText("等次").waitFor();
    const grade = await summary
      .locator(".ant-statistic")
      .nth(2)
      .locator(".ant-statistic-content")
      .textContent();
    expect(["优秀", "良好", "合格", "不合格"]).toContain(grade?.trim());
    await summary.getByText(/\d+ \/ 5/).waitFor();
    // The corrected indicator's score is the corrected one: 99 of 100 marks of its 4 points.
    await page
      .getByRole("row", { name: /B4 政务公开评价/ })
      .getByText("3.96")
      .waitFor();
    await check(page, "results-own-final-1366");
    expect(errors).toEqual([]);
    await context.close();
  });
});
