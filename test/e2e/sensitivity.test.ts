import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SensitivityResult } from "../../src/engine/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { unstableUnits } from "../../src/web/pages/sensitivity/stability.js";
import type { Client } from "../helpers/accounts.js";
import { signInAs } from "../helpers/accounts.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, openAsDemo, screenshot } from "./browser.js";

/**
 * 稳定性分析 on the demo (issue 10): the office starts the Monte Carlo analysis of the demo's run as a
 * job, follows its progress to the end, and reads each unit's rank interval (chart and table) and grade
 * stability, and the indices, all as the job's result has them.
 */
let site: DemoSite;
let office: Client;

beforeAll(async () => {
  site = await demoSite();
  office = await signInAs(site.app, "office", DEMO_PASSWORD);
});
afterAll(async () => {
  await site?.close();
});

describe("the sensitivity view, in Chromium", () => {
  it("runs the analysis as a job with its progress, and shows intervals, stability and indices", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    await page.getByRole("menuitem", { name: "稳定性分析" }).click();
    await page.getByRole("heading", { name: "稳定性分析", level: 2 }).waitFor();
    await page.getByLabel("模拟次数").fill("200");
    await page.getByRole("button", { name: "开始分析" }).click();
    // The job is queued: the page shows it and polls; the job runner (ticked here, as the server's
    // does on its own) runs it.
    await page.getByText("排队中").waitFor();
    expect(await site.app.jobRunner.tick()).toBe(true);
    await page.getByText("分析完成").waitFor();
    const bar = page.getByRole("progressbar", { name: "分析进度" });
    expect(await bar.getAttribute("aria-valuenow")).toBe("100");
    const jobId = new URL(page.url()).searchParams.get("job");
    expect(jobId).toBeTruthy();
    const job = (await office.request("GET", `/api/v1/jobs/${jobId}`)).json();
    expect(job.status).toBe("done");
    const result = job.result as SensitivityResult;
    expect(result.evaluations).toBeGreaterThanOrEqual(200);
    await page.getByText(`共计分 ${result.evaluations.toLocaleString("zh-CN")} 次`).waitFor();

    // Stability: the warning names exactly the units the result keeps their grade for under 80%.
    const unstable = unstableUnits(result);
    if (unstable.length === 0) await page.getByText(/所有单位的等次在至少 80% 的模拟中保持不变/).waitFor();
    else await page.getByText(`${unstable.length} 个单位的等次不稳定`, { exact: false }).waitFor();

    // The chart: one figure per category, named and described.
    const figures = page.locator("figure.rank-interval-figure");
    await figures.first().waitFor();
    expect(await figures.count()).toBeGreaterThanOrEqual(3);
    await page.getByRole("img", { name: "经济发展部门 名次的 5%–95% 区间" }).waitFor();
    await screenshot(page, "sensitivity-chart-1366");
    expect(await seriousViolations(page)).toEqual([]);

    // The table view: every ranked unit's nominal rank and interval as the result has them.
    await page.getByRole("button", { name: "表格" }).click();
    const table = page.locator(".sensitivity-table");
    for (const u of result.units.filter((x) => x.nominalRank !== null)) {
      const row = table.locator(`tr[data-row-key="${u.unit}"]`);
      expect(await row.getByRole("cell").nth(2).textContent()).toBe(String(u.nominalRank));
      expect(await row.getByRole("cell").nth(4).textContent()).toBe(`${u.p5Rank}–${u.p95Rank}`);
    }
    // The indices: one row per input varied.
    for (const index of result.indices)
      await page
        .getByRole("cell", { name: index.total.toFixed(3) })
        .first()
        .waitFor();
    await screenshot(page, "sensitivity-table-1366");

    // A reload keeps the analysis (its job is in the address).
    await page.reload();
    await page.getByText("分析完成").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
