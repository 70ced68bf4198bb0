import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { signInAs } from "../helpers/accounts.js";
import { examplePlan, publishExample } from "../helpers/example-plan.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, ok, openAsDemo, openPopup, screenshot } from "./browser.js";

/**
 * A results notice scheduled from the plan's page (an embargo): the office picks the moment, the
 * publications list says when it goes public, and until then the portal and the public API know
 * nothing of it. The server's side (every public path, the notice period counted from the moment) is
 * test/server/portal.test.ts's.
 */
const PLAN_NAME = "2022年度定时公示示例方案";
const AT = "2030-01-05 09:30";

let site: DemoSite;
let planId = "";

beforeAll(async () => {
  site = await demoSite();
  const office = await signInAs(site.app, "office", DEMO_PASSWORD);
  ({ planId } = await publishExample(site.database.db, office, {
    ...examplePlan(),
    id: "embargo-2022",
    name: PLAN_NAME,
  }));
  await ok(office.request("POST", `/api/v1/plans/${planId}/runs`));
});
afterAll(async () => {
  await site?.close();
});

async function pickTime(page: Page, label: string, text: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(text);
  await input.press("Tab");
  await expect.poll(() => input.inputValue()).toBe(text);
}

describe("scheduling a results notice from the plan's page", () => {
  it("publishes at the chosen time: listed as scheduled for the office, invisible on the portal", async () => {
    const { page, errors } = await openAsDemo(site, "office");
    await page.goto(`${site.url}/plans/${planId}`);
    const runs = page.locator(".ant-card").filter({ hasText: "计分记录" });
    await runs.getByRole("cell", { name: "v1" }).waitFor();
    await pickTime(page, "定时发布", AT);
    await runs.getByRole("button", { name: "公示" }).click();
    const pop = openPopup(page, ".ant-popover");
    await pop.getByText("定时于 2030").waitFor();
    await pop.getByRole("button", { name: "确定" }).click();
    await page.getByText(/已定时公示：2030年1月5日/).waitFor();
    const publications = page.locator(".ant-card").filter({ hasText: "公示记录" });
    await publications.getByText(/定时 2030年1月5日.*在门户公开/).waitFor();
    // The field is cleared for the next notice.
    expect(await page.getByLabel("定时发布", { exact: true }).inputValue()).toBe("");
    await page.mouse.move(0, 0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "plan-notice-scheduled-1366");

    for (const path of ["/portal", "/portal/results", "/api/v1/public/plans"]) {
      const body = await (await fetch(`${site.url}${path}`)).text();
      expect(body, path).not.toContain(PLAN_NAME);
      expect(body, path).not.toContain(planId);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
