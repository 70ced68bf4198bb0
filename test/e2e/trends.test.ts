import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoringRun } from "../../src/engine/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { type Client, signInAs } from "../helpers/accounts.js";
import { scoreDemo2023, WORK_2022, WORK_2023 } from "../helpers/next-year.js";

const WORK_2021 = "2021年度目标责任制考核方案（示例）";
const TALENT_2022 = "2022年度人才工作目标责任制考核方案（示例）";

import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, ok, openAsDemo, screenshot, screenshotDir } from "./browser.js";

/**
 * 历年趋势 and 进位 on the demo year (kaohe serve --demo): a series with one year of results (the 人才工作
 * plan, 2022 only) says so; the 目标责任制 series has 2021 and 2022 seeded, then a 2023 is scored from
 * 2022's data (lowered per unit: test/helpers/next-year.ts, the demo seeds none), and the office's
 * ranking of 2023 shows each unit's rank change from 2022, a unit's page its totals and ranks over the
 * three years, each with its table view holding the runs' own numbers. 市科技局's reporter sees its own
 * trend of the published years, 2023 only once it is put up for notice.
 */
let site: DemoSite;
let office: Client;
const plans: Record<string, string> = {};
let run2021: ScoringRun;
let run2022: ScoringRun;
let run2023: ScoringRun;
let run2023Id = "";

beforeAll(async () => {
  site = await demoSite({ year: true });
  office = await signInAs(site.app, "office", DEMO_PASSWORD);
  const items = (await office.request("GET", "/api/v1/plans")).json().items as {
    planId: string;
    name: string;
  }[];
  for (const p of items) plans[p.name] = p.planId;
  const pubs = (await office.request("GET", `/api/v1/plans/${plans[WORK_2022]}/publications`)).json().items;
  run2022 = (await office.request("GET", `/api/v1/plans/${plans[WORK_2022]}/runs/${pubs[0].runId}`)).json()
    .result;
  const prior = (await office.request("GET", `/api/v1/plans/${plans[WORK_2021]}/publications`)).json().items;
  run2021 = (await office.request("GET", `/api/v1/plans/${plans[WORK_2021]}/runs/${prior[0].runId}`)).json()
    .result;
});
afterAll(async () => {
  await site?.close();
});

async function check(page: Page, name: string) {
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, name);
}

/** The card alone as well (the page's full height makes its chart small to look at). */
const shoot = (card: Locator, name: string) => card.screenshot({ path: join(screenshotDir, `${name}.png`) });

/** Points as the charts write them: at most two decimals. */
const two = (x: number) => String(Math.round(x * 100) / 100);

/** The charts below the ranking or the unit's page load as the reader scrolls to them. */
async function scrollToCharts(page: Page) {
  await page.locator(".charts-slot").scrollIntoViewIfNeeded();
}

describe("trends over years and 进位", () => {
  it("with one year of results, says so instead of drawing an empty chart", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    await page.goto(`${site.url}/results?plan=${plans[TALENT_2022]}`);
    await page.getByRole("heading", { name: "区、县（市）排名" }).waitFor();
    await scrollToCharts(page);
    const note = page.locator(".history-note");
    await note.waitFor();
    expect(await note.textContent()).toBe(
      "历年趋势和进位图需要至少两个年度的考核结果：本考核系列目前只有 2022 年度的结果。",
    );
    expect(await page.locator(".chart-card", { hasText: "进位情况" }).count()).toBe(0);
    await check(page, "trends-one-year-1366");
    await shoot(note, "trends-one-year-note");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the office's 2023 ranking shows each unit's rank change from 2022, by the runs' numbers", async () => {
    const scored = await scoreDemo2023(site.database.db, office);
    run2023Id = scored.id;
    run2023 = scored.result as ScoringRun;
    const { context, page, errors } = await openAsDemo(site, "office");
    await page.goto(`${site.url}/results?plan=${plans[WORK_2023]}`);
    await page.getByRole("heading", { name: "经济发展部门排名" }).waitFor();
    await scrollToCharts(page);
    const card = page.locator(".chart-card").filter({ hasText: "2022—2023年度进位情况" });
    const chart = card.getByRole("img", { name: "2022—2023年度进位情况" });
    await chart.locator("canvas").waitFor();
    expect(await chart.getAttribute("aria-describedby")).toBe("changes-2022-2023-description");

    // Expected from the two runs themselves: every unit ranked in both years, most places gained first.
    const expected = run2023.units
      .map((b) => ({ b, a: run2022.units.find((u) => u.unit === b.unit) }))
      .filter(({ a, b }) => a?.rank != null && b.rank != null)
      .map(({ a, b }) => ({
        unit: b.unit,
        name: b.name,
        before: a!.rank!,
        after: b.rank!,
        change: a!.rank! - b.rank!,
      }))
      .sort((x, y) => y.change - x.change || x.after - y.after || x.unit.localeCompare(y.unit));
    expect(expected.some((e) => e.change !== 0)).toBe(true);
    const up = expected.filter((e) => e.change > 0).length;
    const down = expected.filter((e) => e.change < 0).length;
    const description = await card.locator(".chart-description").textContent();
    expect(description).toContain(
      `2022年至2023年各单位类别内名次变化条形图（正数为进位，负数为退位），${expected.length} 个单位：${up} 个进位、${down} 个退位、${expected.length - up - down} 个持平。`,
    );
    await check(page, "trends-changes-1366");
    await shoot(card, "trends-changes-card");

    await card.getByText("表格", { exact: true }).click();
    const rows = card.locator(".chart-table tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(expected.length);
    const table = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
    );
    // Row by row, each unit with its own numbers (ties ordered by the later rank, then the unit's code).
    expect(table.map((r) => [r[0]?.replace("（类别有变化）", ""), r[2], r[3], r[4]])).toEqual(
      expected.map((e) => [
        e.name,
        String(e.before),
        String(e.after),
        e.change > 0 ? `+${e.change}` : String(e.change),
      ]),
    );
    await card.getByRole("button", { name: /导出/ }).waitFor();
    await check(page, "trends-changes-table-1366");
    await shoot(card, "trends-changes-table-card");

    // In English: the chart's name, its description and the units' English names.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Ranking: economic departments" }).waitFor();
    await scrollToCharts(page);
    const en = page.locator(".chart-card").filter({ hasText: "Rank changes 2022–2023" });
    await en.getByText("Chart", { exact: true }).click();
    await en.getByRole("img", { name: "Rank changes 2022–2023" }).locator("canvas").waitFor();
    expect(await en.locator(".chart-description").textContent()).toContain(
      `from 2022 to 2023 (positive: places gained), ${expected.length} units: ${up} up, ${down} down, ${expected.length - up - down} unchanged.`,
    );
    await en.scrollIntoViewIfNeeded();
    await check(page, "trends-changes-en-1366");
    await shoot(en, "trends-changes-en-card");
    await en.getByText("Table", { exact: true }).click();
    expect(await en.locator(".chart-table tbody tr").first().locator("td").nth(1).textContent()).toMatch(
      /^[A-Za-z ,-]+$/,
    );
    // The language is the account's: back to Chinese for the next tests.
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("heading", { name: "经济发展部门排名" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a unit's page shows its totals and ranks over the years, with the table of the runs' numbers", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    await page.goto(`${site.url}/results?plan=${plans[WORK_2023]}&run=${run2023Id}&unit=kjj`);
    await page.getByRole("heading", { name: "失分分析" }).waitFor();
    await scrollToCharts(page);
    const card = page.locator(".chart-card").filter({ hasText: "市科技局历年总分与名次" });
    await card.getByRole("img", { name: "市科技局历年总分与名次" }).locator("canvas").waitFor();
    const [p, a, b] = [run2021, run2022, run2023].map((r) => r.units.find((u) => u.unit === "kjj")!);
    expect(await card.locator(".chart-description").textContent()).toBe(
      `市科技局历年总分（柱）与类别内名次（折线，越高越好）：2021年 总分 ${two(p!.total)}、名次 第 ${p!.rank}/${p!.rankOf} 名、等次 ${p!.grade}；2022年 总分 ${two(a!.total)}、名次 第 ${a!.rank}/${a!.rankOf} 名、等次 ${a!.grade}；2023年 总分 ${two(b!.total)}、名次 第 ${b!.rank}/${b!.rankOf} 名、等次 ${b!.grade ?? "—"}。`,
    );
    await card.scrollIntoViewIfNeeded();
    await check(page, "trends-unit-1366");
    await shoot(card, "trends-unit-card");
    await card.getByText("表格", { exact: true }).click();
    const rows = card.locator(".chart-table tbody tr");
    await rows.first().waitFor();
    expect(
      await rows.evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
      ),
    ).toEqual(
      [p!, a!, b!].map((u, i) => [
        ["2021", "2022", "2023"][i],
        u.categoryName,
        two(u.total),
        `第 ${u.rank}/${u.rankOf} 名`,
        u.grade ?? "—",
      ]),
    );
    await check(page, "trends-unit-table-1366");
    await shoot(card, "trends-unit-table-card");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("市科技局's reporter sees its own trend, 2023 only once it is published", async () => {
    const { context, page, errors } = await openAsDemo(site, "kjj.reporter");
    await page.goto(`${site.url}/results?plan=${plans[WORK_2022]}`);
    await scrollToCharts(page);
    const before = page.locator(".chart-card").filter({ hasText: "市科技局历年总分与名次" });
    await before.getByRole("img", { name: "市科技局历年总分与名次" }).locator("canvas").waitFor();
    expect(await before.locator(".chart-description").textContent()).toContain("2022年 总分");
    expect(await before.locator(".chart-description").textContent()).not.toContain("2023年 总分");

    await ok(office.request("POST", `/api/v1/plans/${plans[WORK_2023]}/runs/${run2023Id}/publish`));
    await page.goto(`${site.url}/results?plan=${plans[WORK_2023]}`);
    await scrollToCharts(page);
    const card = page.locator(".chart-card").filter({ hasText: "市科技局历年总分与名次" });
    await card.getByRole("img", { name: "市科技局历年总分与名次" }).locator("canvas").waitFor();
    expect(await card.locator(".chart-description").textContent()).toContain("2022年 总分");
    expect(await card.locator(".chart-description").textContent()).toContain("2023年 总分");
    // Only its own unit: no 进位 chart of every unit.
    expect(await page.locator(".chart-card", { hasText: "进位情况" }).count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await check(page, "trends-unit-reporter-1366");
    await shoot(card, "trends-unit-reporter-card");
    expect(errors).toEqual([]);
    await context.close();
  });
});
