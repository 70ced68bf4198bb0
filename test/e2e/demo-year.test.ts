import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { signInAs } from "../helpers/accounts.js";
import { seriousViolations } from "./axe.js";
import { chooseOption, type DemoSite, demoSite, openAsDemo, pageErrors, screenshot } from "./browser.js";

/**
 * The demo year as kaohe serve --demo serves it, tried by a visitor: 市科技局's reporter finds the 2022
 * plans final and locked and the 2023 plan open, and saves a value there as a draft; the office's
 * workbench and the public results list show the finished year, each plan's page the final results
 * notice (通报), not a 公示; the 2022 results page shows each unit's 进位 from the seeded 2021 and
 * 市科技局's totals and ranks over both years.
 */
let site: DemoSite;
beforeAll(async () => {
  site = await demoSite({ year: true });
});
afterAll(async () => {
  await site?.close();
});

describe("the demo year in the browser", () => {
  it("lets 市科技局's reporter enter a 2023 value while 2022 stays locked", async () => {
    const { context, page, errors } = await openAsDemo(site, "kjj.reporter");
    await screenshot(page, "demo-year-home-kjj");
    await page.getByRole("menuitem", { name: "数据填报" }).click();
    await page.getByRole("heading", { name: "数据填报", level: 2 }).waitFor();
    await chooseOption(page, page.getByRole("combobox", { name: "考核方案" }), (list) =>
      list.locator(".ant-select-item-option").filter({ hasText: /2023年度目标责任制考核/ }),
    );
    await page.waitForURL(/plan=/);
    await page.getByRole("heading", { name: /重要职能工作目标/ }).waitFor();
    const a1 = page.locator("#entry-A1-2023");
    await expect.poll(() => a1.textContent()).toContain("年度重点工作任务完成");
    await page.locator("#entry-A1-2023-value").fill("19");
    await page.locator("#entry-A1-2023-value").press("Enter");
    await a1.getByText("草稿").waitFor();
    await screenshot(page, "demo-year-entry-2023");
    // The 2022 plan's values are approved and final: nothing can be typed there.
    await chooseOption(page, page.getByRole("combobox", { name: "考核方案" }), (list) =>
      list.locator(".ant-select-item-option").filter({ hasText: /^2022年度目标责任制考核/ }),
    );
    await page.getByRole("heading", { name: /重要职能工作目标/ }).waitFor();
    await expect.poll(() => page.locator("#entry-A1-2022-value").isDisabled()).toBe(true);
    expect(await page.locator("#entry-A1-2022-value").inputValue()).toBe("18");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the office the year's plans and the public the final results", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    await screenshot(page, "demo-year-home-office");
    expect(errors).toEqual([]);
    await context.close();
    const list = await (await fetch(`${site.url}/portal/results`)).text();
    expect(list).toContain("2022年度目标责任制考核");
    expect(list).toContain("2022年度人才工作目标责任制考核");
    expect(list).toContain("2021年度目标责任制考核");
  });

  it("shows the office 2022's 进位 from 2021 and 市科技局's trend over both years, with their tables", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    const office = await signInAs(site.app, "office", DEMO_PASSWORD);
    const plans = (await office.request("GET", "/api/v1/plans")).json().items as {
      planId: string;
      name: string;
    }[];
    const work = plans.find((p) => p.name.startsWith("2022年度目标责任制"))!.planId;
    await page.goto(`${site.url}/results?plan=${work}`);
    await page.getByRole("heading", { name: "经济发展部门排名" }).waitFor();
    await page.locator(".charts-slot").scrollIntoViewIfNeeded();
    const card = page.locator(".chart-card").filter({ hasText: "2021—2022年度进位情况" });
    await card.getByRole("img", { name: "2021—2022年度进位情况" }).locator("canvas").waitFor();
    expect(await page.locator(".history-note").count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "demo-year-changes-2022");
    await card.getByText("表格", { exact: true }).click();
    const rows = card.locator(".chart-table tbody tr");
    await rows.first().waitFor();
    // Every ranked unit of 2022 was ranked in 2021 too (市纪委监委 is 单列), and ranks moved both ways.
    expect(await rows.count()).toBe(39);
    const changes = await rows.evaluateAll((trs) =>
      trs.map((tr) => tr.querySelectorAll("td")[4]?.textContent ?? ""),
    );
    expect(changes.some((c) => c.startsWith("+"))).toBe(true);
    expect(changes.some((c) => c.startsWith("-"))).toBe(true);
    // 市科技局: fifth of the economic departments in 2021, first in 2022.
    expect(
      await rows
        .filter({ hasText: "市科技局" })
        .locator("td")
        .evaluateAll((tds) => tds.slice(2).map((td) => td.textContent)),
    ).toEqual(["5", "1", "+4"]);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "demo-year-changes-2022-table");

    await page.goto(`${site.url}/results?plan=${work}&unit=kjj`);
    await page.getByRole("heading", { name: "失分分析" }).waitFor();
    await page.locator(".charts-slot").scrollIntoViewIfNeeded();
    const trend = page.locator(".chart-card").filter({ hasText: "市科技局历年总分与名次" });
    await trend.getByRole("img", { name: "市科技局历年总分与名次" }).locator("canvas").waitFor();
    const description = (await trend.locator(".chart-description").textContent()) ?? "";
    expect(description).toMatch(
      /2021年 总分 [\d.]+、名次 第 5\/13 名、等次 良好；2022年 总分 [\d.]+、名次 第 1\/13 名、等次 优秀/,
    );
    await trend.scrollIntoViewIfNeeded();
    await screenshot(page, "demo-year-trend-kjj");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the public each plan's final results notice, not a 公示, at 1366 and 360 px", async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const errors = pageErrors(page);
    for (const width of [1366, 360]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${site.url}/portal`);
      const item = page.getByRole("listitem").filter({
        has: page.getByRole("link", { name: "关于2022年度目标责任制考核方案（示例）结果的通报" }),
      });
      await expect.poll(() => item.locator(".tag").textContent()).toBe("最终结果");
      expect(await page.getByRole("link", { name: /结果公示$/ }).count()).toBe(0);
      await screenshot(page, `demo-year-portal-home-${width}`);
      await item.getByRole("link").click();
      await page
        .getByRole("heading", { level: 1, name: "关于2022年度目标责任制考核方案（示例）结果的通报" })
        .waitFor();
      const article = (await page.locator("#notice").textContent()) ?? "";
      expect(article).toMatch(/确定为最终结果，现予通报/);
      expect(article).not.toMatch(/公示期|异议/);
      expect(await page.locator(".status").textContent()).toBe("最终结果");
      // The final notice's PDF, and the 公示 it follows (its original and PDF), are linked.
      expect(
        await page.getByRole("link", { name: "下载 PDF 版（A4，可核验）" }).getAttribute("href"),
      ).toMatch(/\/final\.pdf$/);
      expect(await page.getByRole("link", { name: "公示 PDF 版" }).getAttribute("href")).toMatch(
        /\/notice\.pdf$/,
      );
      await screenshot(page, `demo-year-final-notice-${width}`);
    }
    expect(errors).toEqual([]);
    await context.close();
    const scripted = await site.browser.newPage();
    await scripted.goto(`${site.url}/portal/results`);
    await scripted
      .getByRole("link", { name: /^关于.*结果的通报$/ })
      .first()
      .click();
    await scripted.locator("#notice").waitFor();
    expect(await seriousViolations(scripted)).toEqual([]);
    await scripted.close();
  });
});
