import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./axe.js";
import { chooseOption, type DemoSite, demoSite, openAsDemo, pageErrors, screenshot } from "./browser.js";

/**
 * The demo year as kaohe serve --demo serves it, tried by a visitor: 市科技局's reporter finds the 2022
 * plans final and locked and the 2023 plan open, and saves a value there as a draft; the office's
 * workbench and the public results list show the finished year, each plan's page the final results
 * notice (通报), not a 公示.
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
