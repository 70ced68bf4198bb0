import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import type { Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoringRun } from "../../src/engine/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { signInAs } from "../helpers/accounts.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, openAsDemo, openPopup, screenshot } from "./browser.js";

/**
 * Exports (issue 10): the office downloads the ranking of the demo's published run as .xlsx from the
 * results page and it is read back here with ExcelJS (the header frozen, Chinese headers, totals typed as
 * numbers with their format, a row per row of the table); a chart is downloaded as PNG and as SVG and
 * both are decoded as images by the browser.
 */
let site: DemoSite;
let run: ScoringRun;
let planName = "";

beforeAll(async () => {
  site = await demoSite();
  const office = await signInAs(site.app, "office", DEMO_PASSWORD);
  const plans = await office.request("GET", "/api/v1/plans");
  const plan = plans.json().items[0];
  planName = plan.name;
  const runs = (await office.request("GET", `/api/v1/plans/${plan.planId}/runs`)).json().items;
  run = (await office.request("GET", `/api/v1/plans/${plan.planId}/runs/${runs[0].id}`)).json().result;
});
afterAll(async () => {
  await site?.close();
});

const bytes = async (download: Download) => readFileSync((await download.path())!);

/** Whether the browser decodes `data` as an image of type `type`; its natural size. */
const decoded = (page: Page, data: Buffer, type: string) =>
  page.evaluate(
    async ([b64, mime]) => {
      type Img = { src: string; naturalWidth: number; naturalHeight: number; decode(): Promise<void> };
      const img = new (globalThis as unknown as { Image: new () => Img }).Image();
      img.src = `data:${mime};base64,${b64}`;
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight };
    },
    [data.toString("base64"), type] as const,
  );

describe("exports, in Chromium", () => {
  it("downloads a category's ranking as a typed .xlsx with the table's rows", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    await page.getByRole("menuitem", { name: "考核结果" }).click();
    const econ = page.locator(".ant-card").filter({ hasText: "经济发展部门排名" }).first();
    await econ.getByRole("heading", { name: "经济发展部门排名" }).waitFor();
    const rows = econ.locator("tr.ant-table-row");
    await rows.first().waitFor();
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())),
    );
    const button = econ.getByRole("button", { name: "导出 Excel：经济发展部门排名" });
    await button.waitFor();
    await button.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await econ.locator(".ant-card-head").screenshot({ path: "test-results/screens/export-ranking-head.png" });

    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toBe(`${planName}-经济发展部门排名.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytes(download)) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["经济发展部门排名"]);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(["名次", "单位", "总分", "等次", "称号"]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    // A row per row of the table, in its order, with the run's numbers as numbers.
    expect(sheet.rowCount - 1).toBe(shown.length);
    const econUnits = run.units
      .filter((u) => u.categoryName === "经济发展部门")
      .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99) || a.unit.localeCompare(b.unit));
    expect(econUnits.length).toBe(shown.length);
    shown.forEach((cells, i) => {
      const row = sheet.getRow(i + 2);
      const unit = econUnits[i]!;
      expect(row.getCell(2).value).toBe(cells[1]);
      expect(row.getCell(2).value).toBe(unit.name);
      const rank = row.getCell(1);
      expect(rank.type).toBe(ExcelJS.ValueType.Number);
      expect(rank.value).toBe(unit.rank);
      const total = row.getCell(3);
      expect(total.type).toBe(ExcelJS.ValueType.Number);
      expect(total.value).toBe(unit.total);
      expect(total.numFmt).toBe("0.00");
      expect((total.value as number).toFixed(2)).toBe(cells[2]);
      expect(row.getCell(4).value ?? "—").toBe(unit.grade ?? "—");
    });
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(10);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("downloads a chart as PNG and as SVG, both valid images, from its one export control", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    await page.getByRole("menuitem", { name: "考核结果" }).click();
    const card = page.locator(".chart-card").filter({ hasText: "经济发展部门总分分布" });
    // The charts come when scrolled to.
    await page.getByRole("heading", { name: "经济发展部门排名" }).waitFor();
    await page.mouse.wheel(0, 2000);
    await card.waitFor();
    const control = card.getByRole("button", { name: "导出图片：经济发展部门总分分布" });
    await control.scrollIntoViewIfNeeded();
    const canvas = card.locator(".result-chart canvas");
    await canvas.waitFor();
    const canvasWidth = await canvas.evaluate((c) => (c as unknown as { clientWidth: number }).clientWidth);

    await control.click();
    const menu = openPopup(page, ".ant-dropdown");
    await menu.getByRole("menuitem", { name: "PNG 图片" }).waitFor();
    await page.screenshot({ path: "test-results/screens/export-chart-menu.png" });
    const [png] = await Promise.all([
      page.waitForEvent("download"),
      menu.getByRole("menuitem", { name: "PNG 图片" }).click(),
    ]);
    expect(png.suggestedFilename()).toBe(`${planName}-经济发展部门总分分布.png`);
    const pngBytes = await bytes(png);
    expect(pngBytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const pngSize = await decoded(page, pngBytes, "image/png");
    // Drawn at twice the canvas's size.
    expect(pngSize.width).toBe(canvasWidth * 2);

    await control.click();
    await menu.getByRole("menuitem", { name: "SVG 矢量图" }).waitFor();
    const [svg] = await Promise.all([
      page.waitForEvent("download"),
      menu.getByRole("menuitem", { name: "SVG 矢量图" }).click(),
    ]);
    expect(svg.suggestedFilename()).toBe(`${planName}-经济发展部门总分分布.svg`);
    const svgBytes = await bytes(svg);
    const text = svgBytes.toString("utf8");
    expect(text).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // Its bars are labelled with the units' names and the grade lines, as text (a vector, not a picture).
    for (const u of run.units.filter((x) => x.categoryName === "经济发展部门"))
      expect(text).toContain(u.name);
    const svgSize = await decoded(page, svgBytes, "image/svg+xml");
    expect(svgSize.width).toBe(canvasWidth);
    expect(svgSize.height).toBeGreaterThan(100);

    // The table view has its own export, where the chart's was.
    await card.getByText("表格", { exact: true }).click();
    const tableExport = card.getByRole("button", { name: "导出 Excel：经济发展部门总分分布" });
    await tableExport.waitFor();
    const [xlsx] = await Promise.all([page.waitForEvent("download"), tableExport.click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytes(xlsx)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount - 1).toBe(await card.locator("tr.ant-table-row").count());
    expect(sheet.getRow(2).getCell(3).type).toBe(ExcelJS.ValueType.Number);
    await card.screenshot({ path: "test-results/screens/export-chart-table.png" });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "export-results-1366");
    expect(errors).toEqual([]);
    await context.close();
  });
});
