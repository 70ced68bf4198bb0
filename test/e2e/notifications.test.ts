import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { type Client, signInAs } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, pageErrors, screenshot, signInAsDemo } from "./browser.js";

let site: DemoSite;
let office: Client;
beforeAll(async () => {
  site = await demoSite();
  office = await signInAs(site.app, "office", DEMO_PASSWORD);
});
afterAll(async () => {
  await site?.close();
});

const bell = (page: Page) => page.getByTestId("notification-bell");

async function signIn(page: Page, username: string) {
  await signInAsDemo(page, site.url, username);
}

describe("notifications in the browser: the bell, its panel and the inbox", () => {
  it("a published plan lights the bell; the inbox lists it; reading it clears the count", async () => {
    const context = await site.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: "zh-CN",
    });
    const page = await context.newPage();
    const errors = pageErrors(page);
    await signIn(page, "kjj.reporter");
    expect(await bell(page).getAttribute("aria-label")).toBe("消息通知");

    // The office publishes another plan; the next notification round (every 10 s in a server) writes it.
    const document = {
      ...examplePlan(),
      id: "e2e-notify-2023",
      name: "2023年度市直单位工作目标责任制考核方案",
    };
    const created = await office.request("POST", "/api/v1/plans", { document });
    expect(created.statusCode, created.body).toBe(201);
    const planId = created.json().planId as string;
    expect((await office.request("POST", `/api/v1/plans/${planId}/publish`)).statusCode).toBe(204);
    expect((await site.app.notifications.tick()).notified).toBeGreaterThan(0);

    // The bell polls every minute and when the window regains focus: a reload asks now.
    await page.reload();
    await page.getByRole("button", { name: "消息通知，1 条未读" }).waitFor();
    await bell(page).click();
    const panel = page.locator(".notice-panel");
    await panel.getByText("考核方案已发布：2023年度市直单位工作目标责任制考核方案").waitFor();
    // The panel's opening animation over (axe would measure half-faded text).
    await page.waitForTimeout(500);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "notifications-bell-1366");

    await panel.getByRole("button", { name: "查看全部通知" }).click();
    await page.getByRole("heading", { name: "消息通知", level: 2 }).waitFor();
    expect(page.url()).toBe(`${site.url}/notifications`);
    const item = page.locator(".notice-item").first();
    await item.getByText("考核方案已发布：2023年度市直单位工作目标责任制考核方案").waitFor();
    await item.getByText("方案发布").waitFor();
    await item.getByText(/（第 1 版）已发布/).waitFor();
    await page.getByText("共 1 条 · 1 条未读").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "notifications-inbox-1366");

    await item.getByRole("button", { name: "标为已读" }).click();
    await page.getByRole("button", { name: "消息通知", exact: true }).waitFor();
    await page.getByText("共 1 条 · 0 条未读").waitFor();
    expect(await item.getByRole("button", { name: "标为已读" }).count()).toBe(0);

    // Only unread: the empty state.
    await page.getByText("仅未读").click();
    await page.getByText("没有未读通知").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "notifications-empty-1366");
    await page.getByText("全部", { exact: true }).click();

    // A returned value: the bell shows 1 again; its link opens the data entry of the plan concerned.
    const demoPlan = (await office.request("GET", "/api/v1/plans"))
      .json()
      .items.find((p: { planId: string }) => p.planId !== planId).planId as string;
    const returned = await office.request("POST", `/api/v1/plans/${demoPlan}/units/kjj/review`, {
      indicator: "B3",
      period: "2022",
      decision: "return",
      reason: "与统计年鉴数据不一致，请核实后重新填报",
    });
    expect(returned.statusCode, returned.body).toBe(204);
    await site.app.notifications.tick();
    await page.reload();
    await page.getByRole("button", { name: "消息通知，1 条未读" }).waitFor();
    const first = page.locator(".notice-item").first();
    await first.getByText("退回理由：与统计年鉴数据不一致，请核实后重新填报").waitFor();
    await first.getByText("数据退回").waitFor();
    await first.getByRole("link", { name: "查看详情" }).click();
    await page.waitForURL(`${site.url}/entry?plan=${demoPlan}`);
    await page.getByRole("button", { name: "消息通知", exact: true }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the inbox in English and at 1920×1080, and the e-mail setting", async () => {
    const context = await site.browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: "zh-CN",
    });
    const page = await context.newPage();
    await signIn(page, "kjj.reporter");
    await page.goto(`${site.url}/notifications`);
    await page.locator(".notice-item").nth(1).waitFor();
    await page.getByLabel("接收通知的电子邮箱").fill("not-an-address");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("请输入有效的电子邮箱地址").waitFor();
    await page.getByLabel("接收通知的电子邮箱").fill("kjj.reporter@example.gov.cn");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("邮箱已保存").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "notifications-inbox-1920");

    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Notifications", level: 2 }).waitFor();
    await page.getByText("Assessment plan published: 2022 target-responsibility", { exact: false }).waitFor();
    await page
      .getByText(/Value returned: /)
      .first()
      .waitFor();
    // The pointer off the header's button and its hover transition over, before axe measures colours.
    await page.mouse.move(700, 700);
    await page.waitForTimeout(400);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "notifications-inbox-en");
    await context.close();
  });
});
