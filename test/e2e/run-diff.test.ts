import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoringRun } from "../../src/engine/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { signInAs } from "../helpers/accounts.js";
import { seriousViolations } from "./axe.js";
import {
  type DemoSite,
  demoSite,
  openPopup,
  pageErrors,
  screenshot,
  screenshotDir,
  signInAsDemo,
} from "./browser.js";

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
const wide = { width: 1366, height: 768 };
const A2_BEFORE = 2.87;
const A2_AFTER = 2.5;

beforeAll(async () => {
  site = await demoSite();
  const demo = (username: string) => signInAs(site.app, username, DEMO_PASSWORD);
  const office = await demo("office");
  const reporter = await demo("kjj.reporter");
  const leader = await demo("kjj.leader");
  const reviewer = await demo("reviewer");
  const ok = async (r: Promise<{ statusCode: number; body: string }>) => {
    const done = await r;
    expect(done.statusCode, done.body).toBeLessThan(300);
    return done;
  };
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

async function signIn(username: string) {
  const context = await site.browser.newContext({ viewport: wide, locale: "zh-CN" });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signInAsDemo(page, site.url, username);
  return { context, page, errors };
}

async function check(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, name);
}

const pts = (x: number) => x.toFixed(2);

describe("run history and diffs", () => {
  it("the office compares the two runs: the changed value and the moved unit by their numbers", async () => {
    const { context, page, errors } = await signIn("office");
    await page.getByRole("menuitem", { name: "计分记录" }).click();
    await page.getByRole("heading", { name: "计分记录与对比" }).waitFor();
    // The demo's own run, then the two of this test: the newest compared against the one before it.
    const list = page.locator(".runs-table");
    expect(await list.locator("tbody tr").count()).toBeGreaterThanOrEqual(3);
    await list.getByText(second.inputHash.run.slice(0, 12)).waitFor();
    // The demo's run and this test's first scored the same inputs: the same hash, twice.
    expect(await list.getByText(first.inputHash.run.slice(0, 12)).count()).toBe(2);
    await list.locator("tbody tr").first().getByText("最新").waitFor();

    const inputs = page.locator(".run-inputs-table");
    const row = inputs.locator("tbody tr");
    expect(await row.count()).toBe(1);
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
});
