import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { expect, onTestFailed } from "vitest";
import { buildApp } from "../../src/server/app.js";
import type { SmtpSettings } from "../../src/server/config.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import { seedDemo, seedExampleDemo } from "../../src/server/demo.js";
import { bootstrapAdministrators } from "../../src/server/modules/accounts/bootstrap.js";
import { testDatabase } from "../helpers/database.js";
import { settled } from "./axe.js";

/** Debian's Chromium (never Playwright's own download), headless. */
export const CHROMIUM = process.env.KAOHE_CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots go to test-results/ (a CI artifact, not committed). */
export const screenshotDir = join(import.meta.dirname, "..", "..", "test-results", "screens");

export interface DemoSite {
  url: string;
  app: FastifyInstance;
  database: DatabaseHandle;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * A demo on a test database, listening on loopback, and a headless Chromium: by default the example
 * demo the screens' tests build on (seedExampleDemo: the 13-unit example plan under public notice), or
 * with `year` the demo year that kaohe serve --demo serves (seedDemo: the two 2022 plans final, the
 * bureau's 喜报, the 2023 plan open). `now` is the server's clock (a test moves it past a notice period);
 * `smtp`, where its e-mails go.
 */
export async function demoSite(
  options: { now?: () => Date; smtp?: SmtpSettings; year?: boolean } = {},
): Promise<DemoSite> {
  const database = await testDatabase();
  await bootstrapAdministrators(database.db);
  await (options.year ? seedDemo(database.db) : seedExampleDemo(database.db));
  const app = await buildApp({
    database,
    demo: true,
    ...(options.now ? { now: options.now } : {}),
    ...(options.smtp ? { smtp: options.smtp } : {}),
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The app then turns antd's motion off (as for any user who asks the system for less motion):
    // on 2 loaded cores a fade could outlive a test's wait, or never end.
    args: ["--no-sandbox", "--no-first-run", "--disable-gpu", "--force-prefers-reduced-motion"],
  });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    url,
    app,
    database,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await database.close();
    },
  };
}

/**
 * Collects what the page reports as errors (a CSP violation among them), to assert there were none.
 * The browser's own note on an API refusal (a 4xx the page handles, e.g. a wrong password) is not one.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (
      m.type() === "error" &&
      !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())
    )
      errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/**
 * Signs a demo account in through the sign-in page (its "使用 …" button), waiting for its workbench.
 * In a test (not a setup hook), should the test then fail, the page is photographed as it was.
 */
export async function signInAsDemo(page: Page, url: string, username: string): Promise<void> {
  if (expect.getState().currentTestName) photographOnFailure(page, username);
  await page.goto(`${url}/login`);
  await page.getByRole("button", { name: `使用 ${username}`, exact: true }).click();
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("heading", { name: `欢迎，${username}`, exact: true }).waitFor();
}

/** The viewport of the screens' screenshots (a common office laptop). */
export const WIDE = { width: 1366, height: 768 } as const;

/** A new browser context at 1366×768 in Chinese, a demo account signed in, and the page's errors collected. */
export async function openAsDemo(site: DemoSite, username: string) {
  const context = await site.browser.newContext({ viewport: WIDE, locale: "zh-CN" });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signInAsDemo(page, site.url, username);
  return { context, page, errors };
}

/** An API call that must succeed (2xx), its body in the message when it does not; the reply. */
export async function ok<R extends { statusCode: number; body: string }>(reply: Promise<R>): Promise<R> {
  const done = await reply;
  expect(done.statusCode, done.body).toBeLessThan(300);
  return done;
}

/**
 * The failure's first witness when it happens only on a loaded CI machine: a screenshot
 * (test-results/screens/FAILED-…) and, for a CI log that keeps no pictures, what the open dialogs,
 * lists and messages said.
 */
function photographOnFailure(page: Page, username: string) {
  onTestFailed(async ({ task }) => {
    if (page.isClosed()) return;
    const name = `FAILED-${task.name.slice(0, 40)}-${username}`.replace(/[^\p{L}\p{N}.-]+/gu, "_");
    await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true }).catch(() => {});
    const open = await page
      .locator(".ant-modal:visible, .ant-select-dropdown:visible, .ant-message:visible")
      .allInnerTexts()
      .catch(() => []);
    console.error(`[${username} at ${page.url()}] open popups: ${JSON.stringify(open)}`);
  });
}

export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

/**
 * An antd popup (".ant-popover", ".ant-modal", ".ant-select-dropdown") that is open, not the last one
 * still fading out (its motion class ends in "-leave"): both are visible for a moment.
 */
export const openPopup = (page: Page, kind: string) => page.locator(`${kind}:visible:not([class*="-leave"])`);

/**
 * Opens an antd Select (`field`) and clicks the option `pick` finds in its open list. A list that
 * opened half-way through another's closing animation is opened again (up to three times).
 */
export async function chooseOption(page: Page, field: Locator, pick: (list: Locator) => Locator) {
  const open = openPopup(page, ".ant-select-dropdown");
  for (let attempt = 1; ; attempt++) {
    await settled(page);
    try {
      await field.click({ timeout: 5000 });
      await pick(open).click({ timeout: 5000 });
      // The list must be gone before the next field (it covers it); a searchable or multiple Select
      // keeps it open after the choice, so it is closed here, the choice made. By Tab, which moves the
      // focus on: Escape would also close a dialog the Select is in.
      for (let waited = 0; (await open.count()) > 0; waited += 100) {
        if (waited >= 5000) {
          await page.keyboard.press("Tab");
          break;
        }
        await page.waitForTimeout(100);
      }
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press("Tab");
    }
  }
}
