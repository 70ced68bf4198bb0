import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./axe.js";
import { chooseOption, type DemoSite, demoSite, openAsDemo, openPopup, screenshot } from "./browser.js";

/**
 * The office's 喜报/通报 screen on the demo: draft 市科技局's bulletin from the published run, see the
 * facts beside the sentences, edit the body in the rich-text editor, save, publish, and find the edited
 * text on the portal's bulletin page.
 */
let site: DemoSite;

beforeAll(async () => {
  site = await demoSite();
});
afterAll(async () => {
  await site?.close();
});

describe("the office's bulletins", () => {
  it("drafts, edits, publishes, and the portal shows it", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    await page.getByRole("menuitem", { name: "喜报/通报" }).click();
    await page.getByRole("heading", { level: 2, name: "喜报/通报" }).waitFor();
    await page.getByRole("button", { name: "起草" }).click();
    const dialog = openPopup(page, ".ant-modal");
    await chooseOption(page, dialog.getByLabel("单位"), (list) =>
      list.getByText("市科技局", { exact: true }),
    );
    await dialog.getByRole("button", { name: "起草" }).click();
    // The editor opens on the draft: its title, body and the facts beside.
    const title = page.getByLabel("标题", { exact: true });
    await expect.poll(() => title.inputValue()).toMatch(/^喜报！市科技局荣获/);
    const body = page.getByRole("textbox", { name: "正文" });
    await expect.poll(() => body.textContent()).toContain("省级对口考核位次由第五位提升至第四位");
    await page.getByRole("heading", { name: "每句所依据的数据" }).waitFor();
    // Each fact by the indicator's name, what it is and the year it is of.
    expect(await page.getByText("省级对口考核位次 · 名次 (2021年) = 5").count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "bulletins-editor");
    // In English: the interface and its facts, then the bulletin's English version.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "The facts each sentence states" }).waitFor();
    expect(
      await page.getByText("rank in the provincial line assessment · rank (in 2021) = 5").count(),
    ).toBeGreaterThan(0);
    await page.locator(".ant-segmented-item", { hasText: "English" }).click();
    await expect.poll(() => page.locator("#bulletin-title").inputValue()).toMatch(/^Good news: S&T Bureau/);
    const bodyEn = page.getByRole("textbox", { name: "Body" });
    await expect.poll(() => bodyEn.textContent()).toContain("up from fifth to fourth in the province");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "bulletins-editor-en");
    await page.locator(".ant-segmented-item", { hasText: "中文" }).click();
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("heading", { name: "每句所依据的数据" }).waitFor();
    await expect.poll(() => body.textContent()).toContain("省级对口考核位次由第五位提升至第四位");
    // Edit: a sentence typed at the end, made bold with the toolbar.
    await body.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("全局上下再接再厉。");
    await page.keyboard.press("Shift+Home");
    await page.getByRole("button", { name: "加粗" }).click();
    await title.fill("喜报！市科技局荣获优秀单位");
    await page
      .getByRole("button", { name: "保 存" })
      .or(page.getByRole("button", { name: "保存" }))
      .click();
    await page.getByText("已保存").first().waitFor();
    // Publish (at once), confirming.
    await page
      .getByRole("button", { name: "发 布" })
      .or(page.getByRole("button", { name: "发布" }))
      .click();
    await openPopup(page, ".ant-popover")
      .getByRole("button", { name: /确\s*定|OK/ })
      .click();
    await page.getByText("已发布", { exact: true }).first().waitFor();
    await screenshot(page, "bulletins-published");
    const href = await page.getByRole("link", { name: "门户页面" }).getAttribute("href");
    expect(href).toMatch(/^\/portal\/bulletins\/[0-9a-f-]{36}$/);
    const portal = await context.newPage();
    await portal.goto(`${site.url}${href}`);
    await portal.getByRole("heading", { level: 1, name: "喜报！市科技局荣获优秀单位" }).waitFor();
    expect(await portal.locator("article#notice :is(b, strong)").textContent()).toContain(
      "全局上下再接再厉。",
    );
    expect(await portal.getByText("省级对口考核位次由第五位提升至第四位").count()).toBe(1);
    await screenshot(portal, "bulletins-portal");
    expect(errors).toEqual([]);
    await context.close();
  });
});
