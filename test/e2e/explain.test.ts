import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoringRun } from "../../src/engine/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { signInAs } from "../helpers/accounts.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, openAsDemo, openPopup, screenshot, screenshotDir } from "./browser.js";

/**
 * Explained results on the demo: the office scores the demo's approved data again, opens the run's
 * ranking, clicks 市科技局's total and reads its trace (rule, inputs, arithmetic, items, quota reasons)
 * with the run's own numbers; then the unit's 失分分析, its losses checked against the run's numbers (full
 * marks, and the category's best worked out here from every unit's scores). A reviewer reads the same
 * in English; 市科技局's leader reads only the unit's own, once published, against full marks only (the
 * demo publishes grades and titles, not the other units' scores).
 */
let site: DemoSite;
let planId = "";
let runId = "";
let run: ScoringRun;
/** Points as the pages write them (the engine's traces' style): at most two decimals. */
const pts = (x: number) => String(Math.round(x * 100) / 100);

beforeAll(async () => {
  site = await demoSite();
  const office = await signInAs(site.app, "office", DEMO_PASSWORD);
  const plans = await office.request("GET", "/api/v1/plans");
  planId = plans.json().items[0].planId;
  const scored = await office.request("POST", `/api/v1/plans/${planId}/runs`);
  expect(scored.statusCode, scored.body).toBe(201);
  runId = scored.json().id;
  run = scored.json().result as ScoringRun;
});
afterAll(async () => {
  await site?.close();
});

const signIn = (username: string) => openAsDemo(site, username);

/** axe finds nothing serious, and the screenshot: the whole page, or the viewport (a drawer open over it). */
async function check(page: Page, name: string, fullPage = true) {
  expect(await seriousViolations(page)).toEqual([]);
  if (fullPage) await screenshot(page, name);
  else await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

const unitOf = (code: string) => run.units.find((u) => u.unit === code)!;

describe("explained results", () => {
  it("the office clicks a total in the run's ranking and reads the unit's trace with the run's numbers", async () => {
    const { context, page, errors } = await signIn("office");
    await page.getByRole("menuitem", { name: "考核结果" }).click();
    await page.getByRole("heading", { name: "经济发展部门排名" }).waitFor();
    // The new run, not the publication shown first: chosen by its address, as a link to it would be.
    await page.goto(`${site.url}/results?plan=${planId}&run=${runId}`);
    const econ = page.locator(".ant-card").filter({ hasText: "经济发展部门排名" });
    const kjj = unitOf("kjj");
    const total = econ.getByRole("button", {
      name: `查看 市科技局 总分 ${kjj.total.toFixed(2)} 的计分过程`,
    });
    // Keyboard: the total is a button reached by focus and opened with Enter; Escape closes the drawer.
    await total.focus();
    await page.keyboard.press("Enter");
    const drawer = openPopup(page, ".ant-drawer");
    await drawer.getByRole("heading", { name: "市科技局 的计分过程" }).waitFor();
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "detached" });
    await total.click();
    await drawer.getByRole("heading", { name: "市科技局 的计分过程" }).waitFor();

    // The total and grade: the run's own numbers and its quota arithmetic.
    await drawer
      .getByText(
        `指标得分 ${pts(kjj.base)} + 加分 ${pts(kjj.bonus)} − 减分 ${pts(kjj.penalty)} = 总分 ${pts(kjj.total)}`,
      )
      .waitFor();
    for (const reason of kjj.gradeReasons) await drawer.getByText(reason["zh-CN"]).waitFor();
    for (const item of kjj.adjustments) await drawer.getByText(item.text["zh-CN"]).waitFor();
    await drawer.getByText(/名额 5 × 40% = 2/).waitFor();

    // A2: completion of the target (examples/city-departments: actual 2.87 against 2.8), 20.5 of 20.
    const a2 = drawer.locator("tr", { has: page.getByText("核心业务指标完成（各单位一项）") });
    await a2.getByText("完成率计分").waitFor();
    await a2.getByText("超额加分上限 10%").waitFor();
    await a2.getByText("完成率 102.5%（实际 2.87，目标 2.8），超额加 0.5 分").waitFor();
    expect(await a2.locator("dd").allTextContents()).toEqual(["2.87", "2.8", "102.5%"]);
    expect(await a2.locator(".trace-points").textContent()).toBe(`${pts(kjj.scores.A2!)} / 20`);
    // A3: the province's ranking, 4th of 13, one place up (the improvement bonus), as the run scored it.
    const a3 = drawer.locator("tr", { has: page.getByText("省级对口考核位次") });
    await a3.getByText("每降一位扣 1 分").waitFor();
    await a3.getByText("位次来源 上级通报位次").waitFor();
    await a3.getByText(/^进位加分：/).waitFor();
    expect(await a3.locator("dd").allTextContents()).toEqual(["4", "13", "5"]);
    expect(await a3.locator(".trace-points").textContent()).toBe(`${pts(kjj.scores.A3!)} / 15`);
    // The weighted node C states its arithmetic.
    await drawer.getByText(/C1 得分率 94\.0% × 权重 0\.4/).waitFor();
    await check(page, "explain-trace-1366", false);
    await drawer.getByRole("button", { name: "关闭", exact: true }).click();
    await drawer.waitFor({ state: "detached" });

    // The unit's page: 失分分析 against full marks and the category's best, from every unit's numbers.
    await econ.getByRole("button", { name: "查看 市科技局 的得分" }).click();
    const loss = page.locator(".ant-card").filter({ has: page.getByRole("heading", { name: "失分分析" }) });
    await loss.getByText("距满分失分最多的指标").waitFor();
    const lostToFull = 100 - kjj.base;
    await loss.getByText(`指标得分 ${pts(kjj.base)} / 满分 100`).waitFor();
    expect(await loss.locator(".ant-statistic-content-value").first().textContent()).toBe(pts(lostToFull));
    // The leaf furthest behind the category's best, worked out here from the run's units.
    const econUnits = run.units.filter((u) => u.category === kjj.category);
    const leaves = ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3"];
    const behind = leaves
      .map((code) => {
        const best = Math.max(...econUnits.map((u) => u.scores[code]!));
        return {
          code,
          best,
          lost: best - kjj.scores[code]!,
          who: econUnits.filter((u) => u.scores[code] === best),
        };
      })
      .sort((a, b) => b.lost - a.lost)[0]!;
    expect(behind.lost).toBeGreaterThan(0);
    const first = loss.locator("section", { hasText: "距类别最高分差距最大的指标" }).locator("li").first();
    expect(await first.textContent()).toContain(`${behind.code} `);
    expect(await first.textContent()).toContain(`差 ${pts(behind.lost)} 分`);
    expect(await first.textContent()).toContain(
      `最高 ${pts(behind.best)}，${behind.who.map((u) => u.name).join("、")}`,
    );
    const row = loss.locator("tr", { has: page.getByText(new RegExp(`^${behind.code} `)) });
    expect(await row.locator("td").last().textContent()).toBe(pts(behind.lost));
    await page.getByRole("heading", { name: "计分过程" }).waitFor();
    await check(page, "explain-loss-1366");
    await loss.screenshot({ path: join(screenshotDir, "explain-loss-card-1366.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a reviewer reads every unit's trace, in English", async () => {
    const { context, page, errors } = await signIn("reviewer");
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("menuitem", { name: "Results" }).click();
    const econ = page.locator(".ant-card").filter({ hasText: "Ranking: " }).first();
    await econ.waitFor();
    const fgw = unitOf("fgw");
    await page
      .getByRole("button", {
        name: `How Development and Reform Commission's total of ${fgw.total.toFixed(2)} was scored`,
      })
      .click();
    const drawer = openPopup(page, ".ant-drawer");
    await drawer.getByRole("heading", { name: "How Development and Reform Commission was scored" }).waitFor();
    await drawer.getByText("Target completion").first().waitFor();
    for (const reason of fgw.gradeReasons) await drawer.getByText(reason.en).waitFor();
    await check(page, "explain-trace-en-1366", false);
    await drawer.getByRole("button", { name: "Close", exact: true }).click();
    await drawer.waitFor({ state: "detached" });

    // A trace the server cannot give (another engine scored the run) is said in the drawer, with its reason.
    await page.route("**/units/kjj/explanation", (route) =>
      route.fulfill({
        status: 409,
        contentType: "application/problem+json",
        body: JSON.stringify({
          type: "about:blank",
          title: "this run was scored by engine 0.0.1; the current engine scores unit kjj differently",
          status: 409,
          code: "RUN_NOT_REPRODUCIBLE",
        }),
      }),
    );
    await page.getByRole("button", { name: /^How S&T Bureau's total of/ }).click();
    await drawer.getByRole("alert").filter({ hasText: "Could not load" }).waitFor();
    await drawer.getByText(/scores unit kjj differently/).waitFor();
    // The total's own arithmetic is the run's and still shown.
    const kjj = unitOf("kjj");
    await drawer
      .getByText(
        `indicators ${pts(kjj.base)} + bonus ${pts(kjj.bonus)} − penalty ${pts(kjj.penalty)} = total ${pts(kjj.total)}`,
      )
      .waitFor();
    await screenshot(page, "explain-trace-error-en-1366");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a unit's leader reads the unit's own trace and losses once published, against full marks only", async () => {
    const { context, page, errors } = await signIn("kjj.leader");
    await page.getByRole("menuitem", { name: "考核结果" }).click();
    await page.getByRole("heading", { name: "本单位考核结果 · 市科技局" }).waitFor();
    const loss = page.locator(".ant-card").filter({ has: page.getByRole("heading", { name: "失分分析" }) });
    await loss.getByText("公示未公布各单位的分项得分，只能与满分比较。").waitFor();
    const kjj = unitOf("kjj");
    expect(await loss.locator(".ant-statistic-content-value").first().textContent()).toBe(
      pts(100 - kjj.base),
    );
    await loss.getByText(`A3 省级对口考核位次：失 ${pts(15 - kjj.scores.A3!)} 分`).waitFor();
    // No other unit's score opens anything: the published ranking has no totals to click.
    expect(await page.getByRole("button", { name: /的计分过程$/ }).count()).toBe(0);
    await page.getByRole("heading", { name: "计分过程" }).waitFor();
    await check(page, "explain-own-1366");
    expect(errors).toEqual([]);
    await context.close();
  });
});
