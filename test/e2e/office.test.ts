import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claims,
  expertMarks,
  planVersions,
  reportedValues,
  users,
} from "../../src/server/db/schema/index.js";
import { startSmtp } from "../helpers/smtp.js";
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
 * The assessment year through the screens only, for 市科技局: the office uploads a plan, publishes it
 * and sets a deadline three days ahead (the unit's reporter, whose e-mail is set on the inbox page, is
 * reminded by e-mail: a real SMTP server on loopback receives it); the reporter enters values by
 * keyboard and through the Excel template (one bad cell shown at its field, fixed), attaches evidence;
 * the leader submits; the reviewer returns one value with a reason; the reporter sees it, answers with
 * more evidence; the leader submits again; the reviewer approves. The office scores as a job, opens the
 * public notice; the unit's leader objects with evidence; the office accepts, the cell unlocks, the
 * reporter corrects it, the leader submits, the reviewer approves; a new run is published superseding
 * the first, finalised, the plan frozen; the unit sees its grade. The other twelve units' year is not
 * this test's subject: their approved values, and everyone's expert marks and bonus items, are written
 * to the database (approvedYear).
 */
const example = (file: string) => join(import.meta.dirname, "..", "..", "examples", "city-departments", file);
const document = {
  ...JSON.parse(readFileSync(example("plan.json"), "utf8")),
  id: "city-departments-2022-e2e",
  name: "2022年度市直单位工作目标责任制考核方案（端到端测试）",
};

let offset = 0; // the server's clock, moved past the notice period near the end
let site: DemoSite;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let deadlineAt: Date; // the reporting deadline the office sets, three days ahead
let planId: string;
let office: BrowserContext;
let officePage: Page;
let officeErrors: string[];
const wide = { width: 1366, height: 768 };

beforeAll(async () => {
  smtp = await startSmtp();
  site = await demoSite({
    now: () => new Date(Date.now() + offset),
    smtp: { url: smtp.url, from: "考核办 <kaohe@example.gov.cn>" },
  });
  ({ context: office, page: officePage, errors: officeErrors } = await signIn("office"));
});
afterAll(async () => {
  await site?.close();
  await smtp?.close();
});

async function signIn(username: string, viewport = wide) {
  const context = await site.browser.newContext({ viewport, locale: "zh-CN" });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signInAsDemo(page, site.url, username);
  return { context, page, errors };
}

/**
 * The other units' values, and every unit's expert marks and bonus items, for the new plan, approved (as
 * their reporting and review would leave them); 市科技局's values go through the screens.
 */
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
      .filter((r) => !r.reviewer && !items.has(r.indicator!) && r.unit !== "kjj")
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

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
const field = (page: Page, code: string, period = "2022") => page.locator(`#entry-${code}-${period}`);
const valueInput = (page: Page, code: string, period = "2022") =>
  page.locator(`#entry-${code}-${period}-value`);
const reviewRows = (page: Page, ...texts: string[]) => {
  let rows = page.locator(".review-list tbody tr.review-row");
  for (const t of texts) rows = rows.filter({ hasText: t });
  return rows;
};
/** Chooses an option of one of the review queue's selects by its label. */
const chooseReview = (page: Page, label: string, option: string) =>
  chooseOption(page, page.getByRole("combobox", { name: label, exact: true }), (list) =>
    list.getByTitle(option, { exact: true }),
  );

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

    // Three days from now, at 18:00 (the browser's and this process's clock agree on the zone).
    const deadline = new Date(Date.now() + 3 * 86_400_000);
    const two = (n: number) => String(n).padStart(2, "0");
    const [y, m, d] = [deadline.getFullYear(), deadline.getMonth() + 1, deadline.getDate()];
    deadlineAt = new Date(y, m - 1, d, 18, 0);
    await pickTime(page, "截止时间", `${y}-${two(m)}-${two(d)} 18:00`);
    await page.getByRole("button", { name: "保存截止时间" }).click();
    await page.getByText("截止时间已保存").waitFor();
    await page.locator(".ant-descriptions").getByText(`${y}年${m}月${d}日`).waitFor();
  });

  it("reopens one unit until a time, with the reason", async () => {
    const page = officePage;
    const card = page.locator(".ant-card").filter({ hasText: "重新开放单位填报" });
    await card.getByLabel("单位").click();
    await page.keyboard.type("发展");
    await page.locator(".ant-select-item-option", { hasText: "市发展改革委" }).click();
    await pickTime(page, "开放至", "2027-02-01 12:00");
    await card.getByLabel("理由").fill("单位系统故障，延期补报");
    await card.getByRole("button", { name: "重新开放" }).click();
    await page.getByText("已为 市发展改革委 重新开放填报").waitFor();
    await card
      .locator(".reopened")
      .getByText(/市发展改革委 → 2027年2月1日/)
      .waitFor();
    await check(page, "plan-detail-1366");
  });

  it("市科技局 is reminded by e-mail, enters its values (keyboard, template, evidence) and submits; one value returned is answered and approved", async () => {
    // The reporter gives an address on the inbox page; the next notification round reminds the unit.
    const reporter = await signIn("kjj.reporter");
    const page = reporter.page;
    await page.goto(`${site.url}/notifications`);
    await page.getByLabel("接收通知的电子邮箱").fill("kjj.reporter@example.gov.cn");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("邮箱已保存").waitFor();
    await site.app.notifications.tick();
    const reminder = smtp.received.find(
      (m) => m.to.includes("kjj.reporter@example.gov.cn") && m.subject.startsWith("填报截止提醒"),
    );
    const days = Math.round((deadlineAt.getTime() - Date.now()) / 86_400_000);
    expect(reminder?.subject).toBe(`填报截止提醒（还有 ${days} 天）：${document.name}`);
    expect(reminder?.body).toContain("本单位尚未提交");

    await page.goto(`${site.url}/entry?plan=${planId}`);
    await field(page, "A1").waitFor();
    // A1 by keyboard: type, Tab to the note, Enter saves.
    await valueInput(page, "A1").focus();
    await page.keyboard.type("24");
    await page.keyboard.press("Tab");
    await page.keyboard.type("任务清单见附件");
    await page.keyboard.press("Enter");
    await field(page, "A1").getByText("草稿").waitFor();
    // The rest through the Excel template, with one bad cell first.
    const download = await page.request.get(`${site.url}/api/v1/plans/${planId}/units/kjj/template.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download.body()) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("填报")!;
    const fill: Record<string, number | string> = {
      "A2/2022": "二点八七",
      "A3/2022": 4,
      "A3/2021": 5,
      "B2/2022": 1,
      "B3/2022": 99.2,
      "B4/2022": 95,
      "C1/2022": 94,
      "C2/2022": 92,
      "C3/2022": 95,
    };
    let a2Row = 0;
    sheet.eachRow((row, n) => {
      const key = `${row.getCell(1).value}/${row.getCell(4).value}`;
      if (key === "A2/2022") a2Row = n;
      if (n > 1 && key in fill) row.getCell(6).value = fill[key]!;
    });
    const upload = async () =>
      page.locator(".entry-toolbar input[type=file]").setInputFiles({
        name: "市科技局-2022.xlsx",
        mimeType: XLSX,
        buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
      });
    await upload();
    await field(page, "A2")
      .getByRole("alert")
      .filter({ hasText: `上传的模板第 ${a2Row} 行“填报值”列：“二点八七”不是数字` })
      .waitFor();
    sheet.getRow(a2Row).getCell(6).value = 2.87;
    await upload();
    await page.getByText(/模板已导入，保存了 \d+ 项/).waitFor();
    await expect.poll(() => valueInput(page, "A2").inputValue()).toBe("2.87");
    // Evidence where the plan asks for it.
    for (const [code, period] of [
      ["A1", "2022"],
      ["A2", "2022"],
      ["A3", "2022"],
      ["A3", "2021"],
    ] as const) {
      await field(page, code, period)
        .locator("input[type=file]")
        .setInputFiles({ name: `${code}-${period}-佐证.pdf`, mimeType: "application/pdf", buffer: PDF });
      await field(page, code, period).getByText(`${code}-${period}-佐证.pdf`).waitFor();
    }
    await check(page, "cycle-entry-1366");

    const leader = await signIn("kjj.leader");
    const submit = async () => {
      await leader.page.goto(`${site.url}/entry?plan=${planId}`);
      await field(leader.page, "A1").waitFor();
      await leader.page.getByRole("button", { name: "提交审核" }).click();
      await leader.page.getByRole("button", { name: "确定提交" }).click();
      await leader.page.getByText(/已提交 \d+ 项数据/).waitFor();
    };
    await submit();

    // The reviewer returns A2 with a reason.
    const reviewer = await signIn("reviewer");
    const review = reviewer.page;
    await review.goto(`${site.url}/review`);
    await review.getByRole("heading", { name: "数据审核" }).waitFor();
    await chooseReview(review, "考核方案", `${document.name}（v1）`);
    await chooseReview(review, "单位", "市科技局");
    await expect.poll(() => reviewRows(review).count()).toBe(10);
    await reviewRows(review, "A2").click();
    const detail = review.locator(".review-detail");
    await detail.getByRole("heading", { name: /市科技局 · A2/ }).waitFor();
    await detail.getByLabel("退回理由").fill("核心业务指标须附统计部门盖章的数据，请补充。");
    await detail.getByRole("button", { name: "退回" }).click();
    await review.getByText("已退回单位").waitFor();

    // The reporter sees why, adds the stamped data and answers; the leader submits again.
    await page.goto(`${site.url}/entry?plan=${planId}`);
    const a2 = field(page, "A2");
    await a2.getByText("退回理由：核心业务指标须附统计部门盖章的数据，请补充。").waitFor();
    await a2
      .locator("input[type=file]")
      .setInputFiles({ name: "统计局盖章数据.pdf", mimeType: "application/pdf", buffer: PDF });
    await a2.getByText("统计局盖章数据.pdf").waitFor();
    await page.locator("#entry-A2-2022-response").fill("已补充统计局盖章的数据。");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await a2.getByText("草稿").waitFor();
    await check(page, "cycle-entry-returned-1366");
    await submit();

    // The reviewer approves all ten in one batch.
    await review.reload();
    await chooseReview(review, "考核方案", `${document.name}（v1）`);
    await chooseReview(review, "单位", "市科技局");
    await expect.poll(() => reviewRows(review).count()).toBe(10);
    await review.locator(".ant-table-thead .ant-checkbox-input").first().check();
    await review.getByText("已选 10 项").waitFor();
    await review.getByRole("button", { name: "批量通过" }).click();
    await review.locator(".review-batch-result").getByText("已通过 10 项").waitFor();
    await review.getByText("暂无待审核的数据").waitFor();
    for (const who of [reporter, leader, reviewer]) {
      expect(who.errors).toEqual([]);
      await who.context.close();
    }
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
    await expect.poll(() => econ.locator("tbody tr").count()).toBe(5);
    await check(page, "results-ranking-1366");
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, "results-ranking-1920");
    await page.setViewportSize(wide);

    await econ.getByRole("button", { name: "查看 市科技局 的得分" }).click();
    await page.getByRole("heading", { name: "市科技局" }).waitFor();
    await page.getByRole("heading", { name: "各指标得分" }).waitFor();
    await page.getByRole("cell", { name: "B4 政务公开评价" }).first().waitFor();
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
    // The correction through the screens: the reporter finds the cell the objection named returned to
    // the unit and corrects it, the leader submits it, the reviewer approves it.
    const reporter = await signIn("kjj.reporter");
    await reporter.page.goto(`${site.url}/entry?plan=${planId}`);
    const b4 = field(reporter.page, "B4");
    await b4.getByText(/退回理由：.*异议/).waitFor();
    await valueInput(reporter.page, "B4").fill("99");
    await valueInput(reporter.page, "B4").press("Enter");
    await b4.getByText("草稿").waitFor();
    const leader = await signIn("kjj.leader");
    await leader.page.goto(`${site.url}/entry?plan=${planId}`);
    await field(leader.page, "B4").waitFor();
    await leader.page.getByRole("button", { name: "提交审核" }).click();
    await leader.page.getByRole("button", { name: "确定提交" }).click();
    await leader.page.getByText("已提交 1 项数据").waitFor();
    const reviewer = await signIn("reviewer");
    await reviewer.page.goto(`${site.url}/review`);
    await chooseReview(reviewer.page, "考核方案", `${document.name}（v1）`);
    await reviewRows(reviewer.page, "市科技局", "B4").click();
    const detail = reviewer.page.locator(".review-detail");
    await detail.getByRole("heading", { name: /市科技局 · B4/ }).waitFor();
    await detail.getByRole("button", { name: "审核通过" }).click();
    await reviewer.page.getByText("已审核通过").first().waitFor();
    for (const who of [reporter, leader, reviewer]) {
      expect(who.errors).toEqual([]);
      await who.context.close();
    }

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
      .getByRole("cell", { name: "3.96", exact: true })
      .first()
      .waitFor();
    await check(page, "results-own-final-1366");
    expect(errors).toEqual([]);
    await context.close();
  });
});
