import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanPage } from "../../src/portal/check/index.js";
import { publishedHashFinding } from "../../src/portal/published-hash.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, pageErrors, screenshot, screenshotDir } from "./browser.js";

/**
 * The public portal on the demo, with JavaScript disabled (it is server-rendered; nothing needs a
 * script): home, the 考核结果 list and the demo's results notice, at 1366 and 360 px, in Chinese and
 * English, the font-size links, the print view; no page errs. axe-core needs a script's timers, so it
 * checks the same pages in a second context with JavaScript on (which only adds the print button).
 */
let site: DemoSite;
let context: BrowserContext;
let scripted: BrowserContext;
let noticeUrl = "";

const WIDTHS = [1366, 360] as const;

beforeAll(async () => {
  site = await demoSite();
  context = await site.browser.newContext({ javaScriptEnabled: false });
  scripted = await site.browser.newContext();
});
afterAll(async () => {
  await context?.close();
  await scripted?.close();
  await site?.close();
});

/** axe's serious and critical findings on a page at a width (with JavaScript, which axe needs). */
async function axeAt(path: string, width: number) {
  const page = await scripted.newPage();
  await page.setViewportSize({ width, height: 900 });
  const errors = pageErrors(page);
  await page.goto(`${site.url}${path}`);
  const found = await seriousViolations(page);
  await page.close();
  expect(errors, path).toEqual([]);
  return found;
}

/** Opens a page without JavaScript at a width, expecting no page error and no serious axe finding. */
async function open(path: string, width: number): Promise<Page> {
  expect(await axeAt(path, width), `${path} at ${width} px`).toEqual([]);
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const errors = pageErrors(page);
  const r = await page.goto(`${site.url}${path}`);
  expect(r?.status(), path).toBe(200);
  // Nothing wider than the screen (a table scrolls in its own box).
  const overflow = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document;
    return d.documentElement.scrollWidth;
  });
  expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(width);
  expect(errors).toEqual([]);
  return page;
}

describe("the portal without JavaScript", () => {
  it("home lists the demo's notice; the list and the notice follow from it", async () => {
    for (const width of WIDTHS) {
      const home = await open("/portal", width);
      await screenshot(home, `portal-home-${width}`);
      const link = home.getByRole("link", { name: /结果公示$/ }).first();
      noticeUrl = new URL((await link.getAttribute("href"))!, site.url).pathname;
      await home.close();
      const list = await open("/portal/results", width);
      expect(await list.getByRole("heading", { level: 1, name: "考核结果" }).count()).toBe(1);
      await screenshot(list, `portal-results-${width}`);
      await list.close();
    }
    expect(noticeUrl).toMatch(/^\/portal\/notices\/[0-9a-f-]{36}$/);
  });

  it("the notice: breadcrumb, title, date, source, tables by rank, hashes, at both widths and in English", async () => {
    for (const width of WIDTHS) {
      const page = await open(noticeUrl, width);
      const crumbs = page.getByRole("navigation", { name: "当前位置" });
      expect(await crumbs.getByRole("link").allTextContents()).toEqual(["首页", "考核结果"]);
      await page.getByRole("heading", { level: 1, name: /结果公示$/ }).waitFor();
      expect(await page.getByText("来源：考核工作办公室").count()).toBe(1);
      const tables = await page.getByRole("table").count();
      expect(tables).toBeGreaterThan(1);
      // A chart beside each category's table where it has grades, named for a screen reader, inside the
      // page's width.
      const graded = await page
        .locator("section")
        .evaluateAll(
          (sections) =>
            sections.filter((s) =>
              [...s.querySelectorAll("tbody td")].some((td) => /优秀|良好|合格/.test(td.textContent ?? "")),
            ).length,
        );
      const charts = page.getByRole("img", { name: /各单位得分|各等次单位数/ });
      expect(graded).toBeGreaterThan(0);
      expect(await charts.count()).toBe(graded);
      const box = (await charts.first().boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(await page.getByText(/^SM3:/).count()).toBe(1);
      // The view counter is an image the server draws; it loaded.
      const loaded = await page
        .locator(".views img")
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
      expect(loaded).toBeGreaterThan(0);
      await screenshot(page, `portal-notice-${width}`);
      // The footer's check link: the hash verifies on the portal's own page.
      const verify = new URL(
        (await page.getByRole("link", { name: "核验", exact: true }).getAttribute("href"))!,
        site.url,
      );
      await page.close();
      const checked = await open(`${verify.pathname}${verify.search}`, width);
      await checked.getByText("此哈希属于已发布的页面").waitFor();
      await screenshot(checked, `portal-verify-${width}`);
      await checked.close();
      const en = await open(`${noticeUrl}?lang=en`, width);
      await en.getByRole("heading", { level: 1, name: /^Public notice of results/ }).waitFor();
      await screenshot(en, `portal-notice-en-${width}`);
      await en.close();
    }
  });

  it("the font-size links change the text size without a script", async () => {
    const page = await open(noticeUrl, 1366);
    const size = () =>
      page
        .locator("h1")
        .evaluate((h) =>
          Number.parseFloat(
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }
            ).getComputedStyle(h).fontSize,
          ),
        );
    const medium = await size();
    await page.getByRole("link", { name: "大", exact: true }).click();
    expect(new URL(page.url()).searchParams.get("size")).toBe("l");
    expect(await size()).toBeGreaterThan(medium);
    await screenshot(page, "portal-notice-large-1366");
    await page.getByRole("link", { name: "小", exact: true }).click();
    expect(await size()).toBeLessThan(medium);
    await page.close();
  });

  it("prints a clean A4 page: no header, navigation or tools, the article and its hashes", async () => {
    const page = await open(noticeUrl, 1366);
    await page.emulateMedia({ media: "print" });
    for (const hidden of ["header.site", ".crumbs", ".sizes", ".tools", ".neighbours"])
      expect(await page.locator(hidden).isVisible(), hidden).toBe(false);
    expect(await page.locator("article#notice").isVisible()).toBe(true);
    await page.setViewportSize({ width: 794, height: 1123 });
    await screenshot(page, "portal-notice-print");
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    writeFileSync(join(screenshotDir, "portal-notice-print.pdf"), pdf);
    await page.close();
  });

  it("passes the portal's own tampering scan, the notice's hash compared with the recorded one", async () => {
    const signal = AbortSignal.timeout(30_000);
    for (const path of ["/portal", "/portal/results", "/portal/verify", noticeUrl, `${noticeUrl}?lang=en`]) {
      const html = await (await fetch(`${site.url}${path}`)).text();
      expect(scanPage(html, { ownHosts: [new URL(site.url).host] }), path).toEqual([]);
      expect(await publishedHashFinding(html, `${site.url}${path}`, signal), path).toBeNull();
    }
    // A copy whose table was changed is caught by its hash, though it carries nothing the scan flags.
    const page = await (await fetch(`${site.url}${noticeUrl}`)).text();
    const changed = page.replace("<td>合格</td>", "<td>优秀</td>");
    expect(changed).not.toBe(page);
    expect(scanPage(changed, { ownHosts: [new URL(site.url).host] })).toEqual([]);
    expect(await publishedHashFinding(changed, `${site.url}${noticeUrl}`, signal)).toMatchObject({
      code: "hash-mismatch",
      element: '<article id="notice">',
    });
  });
});
