import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoringRun } from "../../src/engine/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { signInAs } from "../helpers/accounts.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, ok, openAsDemo, openPopup, screenshot, screenshotDir } from "./browser.js";

/**
 * Run history and diffs on the demo: the office scores the demo's approved data, then 市科技局's A2
 * (研发投入强度, 2.87 in examples/city-departments) goes back to the unit, is corrected to 2.5, submitted
 * and approved, and the office scores again. The runs page compares the two: the changed input by its
 * numbers, 市科技局's total and rank moved by the runs' own numbers, and its link to the later run's trace.
 * Then the charts: their table views hold the run's numbers.
 */
let site: DemoSite;
let planId = "";
let first: ScoringRun;
let second: ScoringRun;
let secondId = "";
const A2_BEFORE = 2.87;
const A2_AFTER = 2.5;

beforeAll(async () => {
  site = await demoSite();
  const demo = (username: string) => signInAs(site.app, username, DEMO_PASSWORD);
  const office = await demo("office");
  const reporter = await demo("kjj.reporter");
  const leader = await demo("kjj.leader");
  const reviewer = await demo("reviewer");
  planId = (await office.request("GET", "/api/v1/plans")).json().items[0].planId;
  const plan = `/api/v1/plans/${planId}`;
  const unit = `${plan}/units/kjj`;
  first = (await ok(office.request("POST", `${plan}/runs`))).json().result;
  await ok(
    office.request("POST", `${unit}/review`, {
      indicator: "A2",
      period: "2022",
      decision: "return",
      reason: "请按统计快报更正",
    }),
  );
  const a2 = (
    (await reporter.request("GET", `${unit}/values`)).json().items as {
      indicator: string;
      period: string;
      value: number;
      revision: number;
    }[]
  ).find((v) => v.indicator === "A2" && v.period === "2022")!;
  expect(a2.value).toBe(A2_BEFORE);
  await ok(
    reporter.request("PUT", `${unit}/values`, {
      indicator: "A2",
      period: "2022",
      value: A2_AFTER,
      revision: a2.revision,
    }),
  );
  // A2 asks for evidence (佐证材料): the corrected value is submitted with its file.
  await ok(
    reporter.send(
      "POST",
      `${unit}/evidence?indicator=A2&period=2022&filename=A2.pdf`,
      Buffer.from("%PDF-1.4\n% 统计快报\n%%EOF\n"),
      "application/pdf",
    ),
  );
  await ok(leader.request("POST", `${unit}/submit`));
  await ok(
    reviewer.request("POST", `${unit}/review`, { indicator: "A2", period: "2022", decision: "approve" }),
  );
  const scored = (await ok(office.request("POST", `${plan}/runs`))).json();
  secondId = scored.id;
  second = scored.result;
});
afterAll(async () => {
  await site?.close();
});

const signIn = (username: string) => openAsDemo(site, username);

async function check(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, name);
}

const pts = (x: number) => x.toFixed(2);
/** Points as the charts write them: at most two decimals. */
const two = (x: number) => String(Math.round(x * 100) / 100);

describe("run history and diffs", () => {
  it("the office compares the two runs: the changed value and the moved unit by their numbers", async () => {
    const { context, page, errors } = await signIn("office");
    await page.getByRole("menuitem", { name: "计分记录" }).click();
    await page.getByRole("heading", { name: "计分记录与对比" }).waitFor();
    // The demo's own run, then the two of this test: the newest compared against the one before it.
    const list = page.locator(".runs-table");
    // Count only once the list has loaded: count() does not wait for rows to arrive.
    await list.getByText(second.inputHash.run.slice(0, 12)).waitFor();
    expect(await list.locator("tbody tr").count()).toBeGreaterThanOrEqual(3);
    // The demo's run and this test's first scored the same inputs: the same hash, twice.
    expect(await list.getByText(first.inputHash.run.slice(0, 12)).count()).toBe(2);
    await list.locator("tbody tr").first().getByText("最新").waitFor();

    const inputs = page.locator(".run-inputs-table");
    const row = inputs.locator("tbody tr");
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.first().locator("td").allTextContents()).toEqual([
      "填报数据",
      "市科技局",
      "A2 核心业务指标完成（各单位一项）",
      "2022",
      String(A2_BEFORE),
      String(A2_AFTER),
    ]);

    const before = first.units.find((u) => u.unit === "kjj")!;
    const after = second.units.find((u) => u.unit === "kjj")!;
    expect(after.total).toBeLessThan(before.total);
    const moved = page.locator(".run-moved-table tbody tr", { hasText: "市科技局" });
    const cells = await moved.locator("td").allTextContents();
    expect(cells[1]).toContain(`${pts(before.total)} → ${pts(after.total)}`);
    expect(cells[2]).toBe(before.rank === after.rank ? String(after.rank) : `${before.rank} → ${after.rank}`);
    expect(cells[4]).toContain("A2");
    expect(cells[5]).toBe(`本单位 A2 ${A2_BEFORE} → ${A2_AFTER}`);
    await check(page, "run-diff-1366");

    // The moved unit's trace in the later run, in the results' drawer.
    await moved.getByRole("link", { name: "查看 市科技局 在新计分中的计分过程" }).click();
    const drawer = openPopup(page, ".ant-drawer");
    await drawer.getByRole("heading", { name: "市科技局 的计分过程" }).waitFor();
    expect(page.url()).toContain(`run=${secondId}`);
    const a2 = drawer.locator("tr", { has: page.getByText("核心业务指标完成（各单位一项）") });
    expect(await a2.locator("dd").first().textContent()).toBe(String(A2_AFTER));
    await page.screenshot({ path: join(screenshotDir, "run-diff-trace-1366.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the charts' table views hold the later run's numbers, in Chinese and English", async () => {
    const { context, page, errors } = await signIn("office");
    await page.goto(`${site.url}/results?plan=${planId}&run=${secondId}`);
    // The charts (and ECharts) load as the reader scrolls to them, not with the ranking.
    await page.getByRole("heading", { name: "经济发展部门排名" }).waitFor();
    expect(await page.locator(".chart-card").count()).toBe(0);
    await page.locator(".charts-slot").scrollIntoViewIfNeeded();
    const card = page.locator(".chart-card").filter({ hasText: "经济发展部门总分分布" });
    const chart = card.getByRole("img", { name: "经济发展部门总分分布" });
    await chart.locator("canvas").waitFor();
    const econ = second.units.filter((u) => u.category === "econ").sort((a, b) => b.total - a.total);
    const totals = econ.map((u) => u.total);
    const median = [...totals].sort((a, b) => a - b)[2]!;
    const description = await card.locator(".chart-description").textContent();
    expect(description).toBe(
      `经济发展部门总分分布柱状图：5 个单位，总分从 ${two(Math.min(...totals))} 到 ${two(Math.max(...totals))}，` +
        `中位数 ${two(median)}。优秀线 90 分；良好线 80 分；合格线 60 分；优秀名额 2 个`,
    );
    expect(await chart.getAttribute("aria-describedby")).toBe("distribution-econ-description");
    await check(page, "run-charts-1366");
    await card.getByText("表格", { exact: true }).click();
    const rows = card.locator(".chart-table tbody tr");
    await expect.poll(() => rows.count()).toBe(5);
    for (const [i, u] of econ.entries()) {
      expect(await rows.nth(i).locator("td").allTextContents()).toEqual([
        String(u.rank),
        u.name,
        two(u.total),
        u.grade ?? "—",
      ]);
    }
    await check(page, "run-charts-table-1366");

    // 市科技局's page: its points per top-level indicator beside its category's median and best.
    await page.goto(`${site.url}/results?plan=${planId}&run=${secondId}&unit=kjj`);
    await page.getByRole("heading", { name: "失分分析" }).waitFor();
    await page.locator(".charts-slot").scrollIntoViewIfNeeded();
    const compare = page.locator(".chart-card").filter({ hasText: "与本类别比较" });
    await compare.getByRole("img", { name: "与本类别比较" }).locator("canvas").waitFor();
    await compare.getByText("表格", { exact: true }).click();
    const kjj = second.units.find((u) => u.unit === "kjj")!;
    const lines = compare.locator(".chart-table tbody tr");
    await expect.poll(() => lines.count()).toBe(3);
    for (const [i, code] of ["A", "B", "C"].entries()) {
      const column = econ.map((u) => u.scores[code]!).sort((a, b) => a - b);
      const cells = await lines.nth(i).locator("td").allTextContents();
      expect(cells[0]).toMatch(new RegExp(`^${code} `));
      expect(cells.slice(2)).toEqual([kjj.scores[code]!, column[2]!, column[4]!].map(two));
    }
    await check(page, "run-compare-table-1366");

    // In English: the chart's name and description.
    await page.getByRole("button", { name: "English" }).click();
    await page.goto(`${site.url}/results?plan=${planId}&run=${secondId}`);
    await page.getByRole("heading", { name: "Ranking: economic departments" }).waitFor();
    await page.locator(".charts-slot").scrollIntoViewIfNeeded();
    const en = page.locator(".chart-card").first();
    await en.getByRole("img", { name: /: distribution of totals$/ }).waitFor();
    expect(await en.locator(".chart-description").textContent()).toBe(
      `Bar chart of the totals in economic departments: 5 units, totals from ${two(Math.min(...totals))} ` +
        `to ${two(Math.max(...totals))}, median ${two(median)}. ` +
        "excellent from 90 points; good from 80 points; pass from 60 points; excellent: quota of 2",
    );
    await check(page, "run-charts-en-1366");
    expect(errors).toEqual([]);
    await context.close();
  });
});
