import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { type Client, signInAs } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, ok, pageErrors, screenshot, signInAsDemo } from "./browser.js";

/**
 * The workbench's agenda on the demo: the office sends three of 市科技局's values back (one corrected and
 * submitted again, one withdrawn, one left with its reason), sets the deadline five days ahead, and the
 * unit's leader asks for a target adjustment and objects to the published results. Then the reporter, a
 * reviewer and the office each see what waits for them, and follow a row to the page where it is done.
 */
let site: DemoSite;
let planId = "";
const RETURN_REASON = "C1 请补充说明数据来源";

beforeAll(async () => {
  site = await demoSite();
  const demo = (username: string) => signInAs(site.app, username, DEMO_PASSWORD);
  const office = await demo("office");
  const reporter = await demo("kjj.reporter");
  const leader = await demo("kjj.leader");
  planId = (await office.request("GET", "/api/v1/plans")).json().items[0].planId;
  const plan = `/api/v1/plans/${planId}`;
  const unit = `${plan}/units/kjj`;
  await ok(
    office.request("PUT", `${plan}/deadline`, {
      deadline: new Date(Date.now() + 5 * 86_400_000).toISOString(),
    }),
  );
  const sendBack = (indicator: string, reason: string) =>
    ok(office.request("POST", `${unit}/review`, { indicator, period: "2022", decision: "return", reason }));
  const current = async (who: Client, indicator: string) =>
    (
      (await who.request("GET", `${unit}/values`)).json().items as {
        indicator: string;
        period: string;
        value: number;
        revision: number;
      }[]
    ).find((v) => v.indicator === indicator && v.period === "2022")!;
  // B3 corrected and submitted again: a value for the reviewers.
  await sendBack("B3", "信访数据与台账不一致，请核对");
  const b3 = await current(reporter, "B3");
  await ok(
    reporter.request("PUT", `${unit}/values`, {
      indicator: "B3",
      period: "2022",
      value: b3.value - 1,
      revision: b3.revision,
    }),
  );
  await ok(leader.request("POST", `${unit}/submit`));
  // C2 withdrawn (an empty field to enter), C1 left with its reason.
  await sendBack("C2", "C2 口径有误，请重新填报");
  const c2 = await current(reporter, "C2");
  await ok(reporter.request("DELETE", `${unit}/values?indicator=C2&period=2022&revision=${c2.revision}`));
  await sendBack("C1", RETURN_REASON);
  await ok(
    leader.request("POST", `${unit}/target-adjustments`, {
      indicator: "A2",
      target: 3,
      reason: "市政府年中调整了研发投入强度目标",
    }),
  );
  const publicationId = (await office.request("GET", `${plan}/publications`)).json().items[0].id;
  await ok(
    leader.request("POST", `${plan}/publications/${publicationId}/objections`, {
      unit: "kjj",
      reason: "对党建工作评分有异议，请复核",
    }),
  );
});
afterAll(async () => {
  await site?.close();
});

async function signedIn(
  username: string,
  viewport = { width: 1366, height: 768 },
  clockAt: number | undefined = undefined,
) {
  const context = await site.browser.newContext({ viewport, locale: "zh-CN" });
  // The page's clock (not the server's) set to a moment, flowing from there until paused.
  if (clockAt !== undefined) await context.clock.install({ time: clockAt });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signInAsDemo(page, site.url, username);
  await page.getByRole("heading", { name: "待办事项" }).waitFor();
  return { page, errors, close: () => context.close() };
}

/** The agenda row whose text matches, within the plan's card. */
const row = (page: Page, text: string | RegExp) => page.locator(".agenda-item").filter({ hasText: text });

describe("the workbench: what needs my action now, per role", () => {
  it("the reporter sees the returned value with its reason and the empty field, and goes to enter them", async () => {
    const { page, errors, close } = await signedIn("kjj.reporter");
    await page.getByRole("heading", { name: /2022年度市直单位/ }).waitFor();
    const returned = row(page, "1 项数据被退回");
    await returned.getByText(`退回理由：${RETURN_REASON}`).waitFor();
    await returned.getByText(/^C1 /).waitFor();
    await row(page, "还有 1 项数据未填写").waitFor();
    // The deadline five days ahead, counted down (4 days and some hours left).
    await page.getByText(/剩余 4 天 \d+ 小时/).waitFor();
    // Not the reporter's: reviews, decisions and objections.
    const agenda = page.getByRole("region", { name: "待办事项" });
    expect(await agenda.getByText("待审核").count()).toBe(0);
    expect(await agenda.getByText("异议").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "home-reporter-1366");
    await returned.getByRole("link", { name: "去填报" }).click();
    await page.getByRole("heading", { name: "数据填报" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/entry");
    expect(new URL(page.url()).searchParams.get("plan")).toBe(planId);
    expect(errors).toEqual([]);
    await close();
  });

  it("the unit leader sees its objection and its target request waiting for the office", async () => {
    const { page, errors, close } = await signedIn("kjj.leader");
    await row(page, "本单位提出的异议 1 项").getByText("对党建工作评分有异议，请复核").waitFor();
    await row(page, "1 项目标调整申请等待考核办审批").getByText("等待中").waitFor();
    await row(page, "1 项数据被退回").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "home-leader-1366");
    // In English, antd's own texts and the dates too.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "To do" }).waitFor();
    await row(page, "Your unit's objections: 1").getByText("Open").waitFor();
    await row(page, "Target adjustment requests awaiting the office: 1").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "home-leader-en-1366");
    expect(errors).toEqual([]);
    await close();
  });

  it("a reviewer sees the value waiting for review and opens the review queue", async () => {
    const { page, errors, close } = await signedIn("reviewer");
    const review = row(page, "1 项数据待审核");
    await review.waitFor();
    // The year's progress below the agenda.
    await page.getByRole("heading", { name: "各单位填报进度" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "home-reviewer-1366");
    await review.getByRole("link", { name: "去审核" }).click();
    await page.getByRole("heading", { name: "数据审核" }).waitFor();
    await page
      .getByRole("cell", { name: /市科技局/ })
      .first()
      .waitFor();
    expect(errors).toEqual([]);
    await close();
  });

  it("the office sees reviews, the objection and the target request, the year's progress below, and opens the objection", async () => {
    const { page, errors, close } = await signedIn("office");
    await row(page, "1 项数据待审核").waitFor();
    await row(page, "1 项目标调整申请待审批").getByRole("link", { name: "去审批" }).waitFor();
    const objections = row(page, "1 项异议待处理");
    await objections.waitFor();
    await page.getByRole("heading", { name: "各单位填报进度" }).waitFor();
    await page.getByRole("cell", { name: /市科技局/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "home-agenda-office-1366");
    await objections.getByRole("link", { name: "去处理" }).click();
    await page.getByRole("heading", { name: "异议处理" }).waitFor();
    await page.getByText("对党建工作评分有异议，请复核").first().waitFor();
    expect(errors).toEqual([]);
    await close();
  });

  it("the countdown ticks: on the last day it counts hours and minutes, minute by minute", async () => {
    const office = await signInAs(site.app, "office", DEMO_PASSWORD);
    const deadline = Date.parse((await office.request("GET", `/api/v1/plans/${planId}`)).json().deadline);
    // The page opens a day and half an hour before the deadline (by its own clock).
    const { page, errors, close } = await signedIn(
      "kjj.reporter",
      undefined,
      deadline - 86_400_000 - 1_800_000,
    );
    const card = page.locator(".agenda-plan").filter({ hasText: "2022年度市直单位" });
    await card.getByText("剩余 1 天 0 小时").waitFor();
    // An hour later (the laptop's lid shut and opened): the last day, in hours and minutes.
    await page.clock.pauseAt(deadline - 86_400_000 + 1_800_000);
    await card.getByText("剩余 23 小时 30 分").waitFor();
    // And a minute later, without anything else happening on the page.
    await page.clock.runFor(60_000);
    await card.getByText("剩余 23 小时 29 分").waitFor();
    expect(await card.getByText(/剩余/).count()).toBe(1);
    await page.clock.resume();
    await page.getByRole("button", { name: "English" }).click();
    await card.getByText("23 h 29 min left").waitFor();
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("heading", { name: "待办事项" }).waitFor();
    expect(errors).toEqual([]);
    await close();
  });

  it("each plan's agenda links to that plan: the review queue and the targets open on it, not on the default", async () => {
    // A second plan in force after the demo's (the plans are listed by code: the demo's is the default),
    // with two of 市科技局's values submitted and a target adjustment asked for.
    const demo = (username: string) => signInAs(site.app, username, DEMO_PASSWORD);
    const office = await demo("office");
    const reporter = await demo("kjj.reporter");
    const leader = await demo("kjj.leader");
    const document = examplePlan();
    document.id = "city-departments-2023";
    document.name = "2023年度市直单位工作目标责任制考核方案（示例）";
    document.period = { key: "2023", previous: "2022" };
    const next = (await ok(office.request("POST", "/api/v1/plans", { document }))).json().planId as string;
    await ok(office.request("POST", `/api/v1/plans/${next}/publish`, {}));
    const unit = `/api/v1/plans/${next}/units/kjj`;
    for (const [indicator, value] of [
      ["B2", 1],
      ["B4", 90],
    ] as const)
      await ok(reporter.request("PUT", `${unit}/values`, { indicator, period: "2023", value, revision: 0 }));
    await ok(leader.request("POST", `${unit}/submit`));
    await ok(
      leader.request("POST", `${unit}/target-adjustments`, {
        indicator: "A1",
        target: 20,
        reason: "年中机构职能调整",
      }),
    );

    const { page, errors, close } = await signedIn("office");
    const card = (year: string) =>
      page
        .locator(".agenda-plan")
        .filter({ has: page.getByRole("heading", { name: new RegExp(`^${year}年度`) }) });
    const picked = () => page.locator(".plan-picker").textContent();
    // Each card's review row opens the queue on its own plan, whatever the page's default.
    for (const [year, id, other] of [
      ["2023", next, "2022"],
      ["2022", planId, "2023"],
    ] as const) {
      await card(year).locator(".agenda-item").filter({ hasText: "项数据待审核" }).getByRole("link").click();
      await page.getByRole("heading", { name: "数据审核" }).waitFor();
      expect(new URL(page.url()).searchParams.get("plan")).toBe(id);
      await expect.poll(picked).toContain(`${year}年度`);
      await page
        .getByRole("cell", { name: /市科技局/ })
        .first()
        .waitFor();
      expect(await page.getByRole("cell", { name: other, exact: true }).count()).toBe(0);
      await page.goBack();
      await page.getByRole("heading", { name: "待办事项" }).waitFor();
    }
    // The new plan's target request: the targets page opens on that plan.
    await card("2023").getByRole("link", { name: "去审批" }).click();
    await page.getByRole("heading", { name: "目标管理" }).waitFor();
    expect(new URL(page.url()).searchParams.get("plan")).toBe(next);
    await expect.poll(picked).toContain("2023年度");
    // Choosing another plan writes the address, and a reload keeps it.
    await page.getByLabel("考核方案").click();
    await page
      .locator(".ant-select-item-option")
      .filter({ hasText: /^2022年度/ })
      .click();
    await expect.poll(() => new URL(page.url()).searchParams.get("plan")).toBe(planId);
    await page.reload();
    await expect.poll(picked).toContain("2022年度");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "targets-from-address-1366");
    expect(errors).toEqual([]);
    await close();
  });
});
