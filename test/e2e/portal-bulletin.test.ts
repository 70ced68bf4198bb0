import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanPage } from "../../src/portal/check/index.js";
import { publishedHashFinding } from "../../src/portal/published-hash.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, pageErrors, screenshot } from "./browser.js";

/**
 * A bulletin (喜报) on the portal of the demo year (kaohe serve --demo), which the demo drafts from
 * 市科技局's final run (with the talent plan's result beside it) and publishes as the office: the bulletin page (breadcrumb 首页 > 喜报/通报 > title, the
 * article, hashes in the footer) at 1366 and 360 px without JavaScript, in English, in print; listed on
 * the home and list pages; its hash verified; axe finds nothing serious or critical.
 */
let site: DemoSite;
let context: BrowserContext;
let scripted: BrowserContext;
let path = "";

beforeAll(async () => {
  site = await demoSite({ year: true });
  // The demo publishes 市科技局's bulletin, drafted from its run (server/demo-year/seed.ts).
  const list = await (await fetch(`${site.url}/portal/bulletins`)).text();
  path = /href="(\/portal\/bulletins\/[0-9a-f-]{36})"/.exec(list)![1]!;
  context = await site.browser.newContext({ javaScriptEnabled: false });
  scripted = await site.browser.newContext();
});
afterAll(async () => {
  await context?.close();
  await scripted?.close();
  await site?.close();
});

async function open(url: string, width: number): Promise<Page> {
  const checked = await scripted.newPage();
  await checked.setViewportSize({ width, height: 900 });
  await checked.goto(`${site.url}${url}`);
  expect(await seriousViolations(checked), `${url} at ${width} px`).toEqual([]);
  await checked.close();
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const errors = pageErrors(page);
  const r = await page.goto(`${site.url}${url}`);
  expect(r?.status(), url).toBe(200);
  const overflow = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );
  expect(overflow, `${url} at ${width} px`).toBeLessThanOrEqual(width);
  expect(errors).toEqual([]);
  return page;
}

describe("a bulletin on the portal", () => {
  it("is listed on the home page and the 喜报/通报 list", async () => {
    for (const width of [1366, 360]) {
      const home = await open("/portal", width);
      expect(await home.locator(`a[href="${path}"]`).count()).toBe(1);
      await home.close();
      const list = await open("/portal/bulletins", width);
      await list.getByRole("heading", { level: 1, name: "喜报/通报" }).waitFor();
      expect(await list.locator(`a[href="${path}"]`).count()).toBe(1);
      await screenshot(list, `portal-bulletins-${width}`);
      await list.close();
    }
  });

  it("the page: breadcrumb, title, the drafted sentences, hashes; English; verified", async () => {
    for (const width of [1366, 360]) {
      const page = await open(path, width);
      const crumbs = page.getByRole("navigation", { name: "当前位置" });
      expect(await crumbs.getByRole("link").allTextContents()).toEqual(["首页", "喜报/通报"]);
      await page
        .getByRole("heading", {
          level: 1,
          name: "喜报！市科技局荣获2022年度目标责任制考核优秀单位及人才工作目标责任制考核优胜单位！",
        })
        .waitFor();
      await page.getByText("十年来首次由第五位提升至第四位").waitFor();
      expect(await page.getByText(/^SM3:/).count()).toBe(1);
      await screenshot(page, `portal-bulletin-${width}`);
      const verify = new URL(
        (await page.getByRole("link", { name: "核验", exact: true }).getAttribute("href"))!,
        site.url,
      );
      await page.close();
      const checked = await open(`${verify.pathname}${verify.search}`, width);
      await checked.getByText("此哈希属于已发布的页面").waitFor();
      await checked.close();
      const en = await open(`${path}?lang=en`, width);
      await en.getByRole("heading", { level: 1, name: /^Good news:/ }).waitFor();
      await screenshot(en, `portal-bulletin-en-${width}`);
      await en.close();
    }
  });

  it("prints the article without the site's navigation, and passes the tampering scan", async () => {
    const page = await open(path, 1366);
    await page.emulateMedia({ media: "print" });
    for (const hidden of ["header.site", ".crumbs", ".sizes", ".tools", ".neighbours"])
      expect(await page.locator(hidden).isVisible(), hidden).toBe(false);
    expect(await page.locator("article#notice").isVisible()).toBe(true);
    await page.setViewportSize({ width: 794, height: 1123 });
    await screenshot(page, "portal-bulletin-print");
    await page.close();
    const signal = AbortSignal.timeout(30_000);
    for (const url of ["/portal/bulletins", path, `${path}?lang=en`]) {
      const html = await (await fetch(`${site.url}${url}`)).text();
      expect(scanPage(html, { ownHosts: [new URL(site.url).host] }), url).toEqual([]);
      expect(await publishedHashFinding(html, `${site.url}${url}`, signal), url).toBeNull();
    }
  });
});
