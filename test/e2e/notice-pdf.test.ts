import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoSite, demoSite, openAsDemo, pageErrors, screenshot, screenshotDir } from "./browser.js";

/**
 * The demo's notice as PDF, from the portal as a reader gets it (JavaScript off): the notice page links
 * it, the file is the notice (市科技局 and its grade, read back by pdftotext), and the portal's verify
 * page, given the downloaded file, says it is the published one.
 */
let site: DemoSite;
let context: BrowserContext;
let publicPdf: Buffer;
let noticeTitle = "";

beforeAll(async () => {
  site = await demoSite();
  context = await site.browser.newContext({ javaScriptEnabled: false });
});
afterAll(async () => {
  await context?.close();
  await site?.close();
});

describe("the notice PDF on the portal", () => {
  it("is linked from the notice, reads back as the notice, and verifies when uploaded", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    const errors = pageErrors(page);
    await page.goto(`${site.url}/portal`);
    await page
      .getByRole("link", { name: /结果公示$/ })
      .first()
      .click();
    await page.getByRole("heading", { level: 1, name: /结果公示$/ }).waitFor();
    const title = (await page.getByRole("heading", { level: 1 }).textContent())!;
    const link = page.getByRole("link", { name: "下载 PDF 版（A4，可核验）" });
    await link.scrollIntoViewIfNeeded();
    await screenshot(page, "portal-notice-pdf-link-1366");
    const href = new URL((await link.getAttribute("href"))!, page.url()).toString();
    expect(href).toMatch(/\/portal\/notices\/[0-9a-f-]{36}\/notice\.pdf$/);
    const response = await page.request.get(href);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    const pdf = await response.body();
    publicPdf = pdf;
    noticeTitle = title.trim();
    const file = join(screenshotDir, "portal-notice.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text.replace(/\s+/g, "")).toContain(title.replace(/\s+/g, ""));
    // The demo's bureau, with the grade its data earn it (README: 优秀).
    expect(text).toMatch(/市科技局\s+(\S+\s+)?优秀/);

    await page.goto(`${site.url}/portal/verify`);
    await page.getByLabel("页面文件（HTML 或 PDF）").setInputFiles({
      name: "notice.pdf",
      mimeType: "application/pdf",
      buffer: pdf,
    });
    await page.getByRole("button", { name: "核验" }).last().click();
    await page.getByText("文件与已发布的页面一致").waitFor();
    await screenshot(page, "portal-verify-pdf-1366");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the office downloads the same file from the plan's publications", async () => {
    const plans = (await site.app.inject({ method: "GET", url: "/api/v1/public/plans" })).json();
    const plan = (plans.items as { planId: string; name: string }[]).find(
      (p) => `${p.name}结果公示` === noticeTitle,
    );
    const planId = plan!.planId;
    const { context: office, page, errors } = await openAsDemo(site, "office");
    await page.goto(`${site.url}/plans/${planId}`);
    const link = page.getByRole("link", { name: "PDF", exact: true }).first();
    await link.waitFor();
    await link.scrollIntoViewIfNeeded();
    await screenshot(page, "plan-publications-pdf-1366");
    const response = await page.request.get(
      new URL((await link.getAttribute("href"))!, page.url()).toString(),
    );
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    expect(sha256(await response.body())).toBe(sha256(publicPdf));
    expect(errors).toEqual([]);
    await office.close();
  });
});
