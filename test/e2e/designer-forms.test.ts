import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/engine/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { type Client, signInAs } from "../helpers/accounts.js";
import { seriousViolations, settled } from "./axe.js";
import { chooseOption, type DemoSite, demoSite, ok, openAsDemo, openPopup, screenshot } from "./browser.js";

/**
 * 方案设计 (issue 10), the forms beside the tree: a unit dragged from one category to another and one
 * to 单列 on the categories board (the engine's fault shown on the unit left in none), a bonus item
 * added by its table form (a fault on its row while its code clashes), 适用单位 on an adjustment leaf
 * and a lead department picked from the organisations; saved as a revision, the plan's document holds
 * them all.
 */
let site: DemoSite;
let office: Client;
const year = String(new Date().getFullYear());

const start: Plan = {
  format: "kaohe-plan/1",
  id: "design-forms",
  name: "设计器表单测试方案",
  period: { key: year },
  units: [
    { code: "kjj", name: "市科技局" },
    { code: "fgw", name: "市发展改革委" },
  ],
  categories: [
    { code: "c1", name: "一类部门", units: ["kjj"] },
    { code: "c2", name: "二类部门", units: ["fgw"] },
  ],
  indicators: [
    {
      code: "A",
      name: "经济发展",
      points: 100,
      children: [
        { code: "A_1", name: "主要指标", points: 100, target: 50, rule: { type: "completion" } },
        { code: "A_X", name: "省级专项加分", points: 2, adjustment: true, rule: { type: "yesno" } },
      ],
    },
  ],
};

beforeAll(async () => {
  site = await demoSite();
  office = await signInAs(site.app, "office", DEMO_PASSWORD);
});
afterAll(async () => {
  await site?.close();
});

const unit = (page: Page, code: string) => page.locator(`.designer-board-unit[data-unit="${code}"]`);
const place = (page: Page, key: string) => page.locator(`.designer-board-place[data-place="${key}"]`);
const node = (page: Page, code: string) => page.locator(`.designer-tree-node[data-code="${code}"]`);

describe("the plan designer's forms, in Chromium", () => {
  it("moves units between categories, adds a bonus item by its form, sets 适用单位 and a lead, and saves them", async () => {
    const planId = (await ok(office.request("POST", "/api/v1/plans", { document: start }))).json()
      .planId as string;
    const { context, page, errors } = await openAsDemo(site, "office");
    await page.goto(`${site.url}/designer/${planId}`);
    await page.getByRole("heading", { name: "方案设计 · 设计器表单测试方案 · v1", level: 2 }).waitFor();

    // Units: 市科技局 dragged out of every category: the engine's fault on its row; then into 二类部门.
    await page.getByRole("tab", { name: "单位与类别" }).click();
    await unit(page, "kjj").dragTo(place(page, "none"));
    await place(page, "none").locator('[data-unit="kjj"]').waitFor();
    await page.getByText("单位 kjj 不属于任何类别（单列单位请设 standalone）").first().waitFor();
    await page.getByText("1 处问题，须改正后才能保存").waitFor();
    await settled(page);
    await screenshot(page, "designer-forms-unassigned-1366");
    await unit(page, "kjj").dragTo(place(page, "c2"));
    await place(page, "c2").locator('[data-unit="kjj"]').waitFor();
    await expect
      .poll(() =>
        page.getByRole("combobox", { name: "市科技局 的类别" }).locator("xpath=../..").textContent(),
      )
      .toContain("二类部门");
    // 市发展改革委 dragged to 单列: ticked there, out of its category, its category select off.
    await unit(page, "fgw").dragTo(place(page, "standalone"));
    await place(page, "standalone").locator('[data-unit="fgw"]').waitFor();
    expect(await page.getByRole("checkbox", { name: "市发展改革委 单列" }).isChecked()).toBe(true);
    expect(await page.getByRole("combobox", { name: "市发展改革委 的类别" }).isDisabled()).toBe(true);
    await page.getByText("方案通过校验").waitFor();
    await settled(page);
    await screenshot(page, "designer-forms-units-1366");
    expect(await seriousViolations(page)).toEqual([]);

    // A bonus item by its form: its code clashing with an indicator's is a fault on its row.
    await page.getByRole("tab", { name: "加减分与否决" }).click();
    await page.getByRole("button", { name: "添加加分项" }).click();
    const code = page.getByRole("textbox", { name: "加分项（bonus）第 1 行的代码" });
    expect(await code.inputValue()).toBe("B1");
    await code.fill("A_1");
    await page.locator(".designer-items .designer-tree-fault", { hasText: "A_1 与其他代码重复" }).waitFor();
    await settled(page);
    await screenshot(page, "designer-forms-bonus-fault-1366");
    await code.fill("B1");
    await page.getByRole("textbox", { name: "B1 的名称" }).fill("科技创新奖励");
    const levels = page.getByRole("textbox", { name: "B1 的加分标准" });
    await levels.fill("国家级 3，省级");
    await levels.press("Tab");
    await page.getByText("“省级”应写成“级别 分值”").waitFor();
    await levels.fill("国家级 3，省级 2");
    await levels.press("Tab");
    await page.getByRole("spinbutton", { name: "B1 的封顶分" }).fill("4");
    await page.getByRole("spinbutton", { name: "B1 的封顶分" }).press("Tab");
    await chooseOption(page, page.getByRole("combobox", { name: "B1 计入的指标" }), (list) =>
      list.getByText("A_1 主要指标", { exact: true }),
    );
    await page.getByText("方案通过校验").waitFor();
    await settled(page);
    await screenshot(page, "designer-forms-items-1366");
    expect(await seriousViolations(page)).toEqual([]);

    // 适用单位 on the adjustment leaf; the lead department of A picked from the organisations.
    await page.getByRole("tab", { name: "指标体系" }).click();
    await node(page, "A_X").click();
    await page.getByRole("heading", { name: "指标 A_X" }).waitFor();
    // A multiple select stays open after a choice; Escape closes it (Tab would toggle the active option).
    await page.getByRole("combobox", { name: "适用单位（默认全部）" }).click();
    await openPopup(page, ".ant-select-dropdown").getByText("市科技局（kjj）", { exact: true }).click();
    await page.keyboard.press("Escape");
    await page.locator(".designer-node .ant-select-selection-item", { hasText: "市科技局（kjj）" }).waitFor();
    // The preview still tries the rule (on its sample units, not the plan's).
    await page.getByText("已达到，加减分 +2 分（不计入满分）").waitFor();
    expect(await page.getByText("无法试算").count()).toBe(0);
    await node(page, "A_1").click();
    await page.getByRole("heading", { name: "指标 A_1" }).waitFor();
    expect(await page.getByRole("combobox", { name: "适用单位（默认全部）" }).count()).toBe(0);
    await node(page, "A").click();
    await page.getByRole("heading", { name: "指标 A" }).waitFor();
    await chooseOption(page, page.getByRole("combobox", { name: "牵头部门" }), (list) =>
      list.getByText("市发展改革委（fgw）", { exact: true }),
    );
    await page.getByText("方案通过校验").waitFor();
    await node(page, "A_X").click();
    await settled(page);
    await screenshot(page, "designer-forms-applies-1366");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "保存为新版本" }).click();
    const dialog = openPopup(page, ".ant-modal");
    await dialog.getByText("与现行第 1 版相比").waitFor();
    await dialog.getByRole("textbox", { name: "修订理由" }).fill("调整类别，增设加分项");
    await dialog.getByRole("button", { name: "保存" }).click();
    await page.getByRole("heading", { name: "方案设计 · 设计器表单测试方案 · v2", level: 2 }).waitFor();
    const saved = (await ok(office.request("GET", `/api/v1/plans/${planId}`))).json().document as Plan;
    expect(saved.units).toEqual([
      { code: "kjj", name: "市科技局" },
      { code: "fgw", name: "市发展改革委", standalone: true },
    ]);
    expect(saved.categories).toEqual([
      { code: "c1", name: "一类部门", units: [] },
      { code: "c2", name: "二类部门", units: ["kjj"] },
    ]);
    expect(saved.bonus).toEqual([
      { code: "B1", name: "科技创新奖励", levels: { 国家级: 3, 省级: 2 }, cap: 4, node: "A_1" },
    ]);
    expect(saved.indicators[0]!.lead).toBe("fgw");
    expect(saved.indicators[0]!.children![1]).toEqual({
      ...start.indicators[0]!.children![1]!,
      appliesTo: ["kjj"],
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
