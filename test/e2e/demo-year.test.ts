import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseOption, type DemoSite, demoSite, openAsDemo, screenshot } from "./browser.js";

/**
 * The demo year as kaohe serve --demo serves it, tried by a visitor: 市科技局's reporter finds the 2022
 * plans final and locked and the 2023 plan open, and saves a value there as a draft; the office's
 * workbench and the public results list show the finished year.
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
});
