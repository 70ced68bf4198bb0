import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DataRow, type Plan, scorePlan } from "../../src/engine/index.js";
import { reportedValues } from "../../src/server/db/schema/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { createPlanService } from "../../src/server/modules/plans/service.js";
import { readIndicatorWorkbook } from "../../src/web/pages/designer/xlsx.js";
import { type Client, signInAs } from "../helpers/accounts.js";
import { seriousViolations, settled } from "./axe.js";
import { chooseOption, type DemoSite, demoSite, ok, openAsDemo, openPopup, screenshot } from "./browser.js";

/**
 * 方案设计 (issue 10): the office builds a small plan in the designer from nothing (a tree, two rules,
 * two units in a category, two grades under a quota), reads the engine's preview and the sums and
 * faults at the nodes, saves it as a new plan, revises it (the diff against the version in force shown
 * before saving; the tree exported as the 指标体系 sheet reads back the same), and scores it: the saved document is the plan built, and the run's totals are the
 * engine's on it.
 */
let site: DemoSite;
let office: Client;
const year = String(new Date().getFullYear());
const pts = (x: number) => String(Math.round(x * 100) / 100);

/** The plan the test builds, as the designer must save it. */
const built: Plan = {
  format: "kaohe-plan/1",
  id: "design-test",
  name: "设计器测试方案",
  period: { key: year },
  units: [
    { code: "kjj", name: "市科技局" },
    { code: "fgw", name: "市发展改革委" },
  ],
  categories: [{ code: "c1", name: "经济部门", units: ["kjj", "fgw"] }],
  indicators: [
    {
      code: "A",
      name: "一级指标",
      points: 100,
      children: [
        { code: "A_1", name: "新指标", points: 60, target: 50, rule: { type: "completion" } },
        {
          code: "A_2",
          name: "新指标",
          points: 40,
          target: 100,
          rule: {
            type: "tiers",
            tiers: [
              { threshold: 100, points: 10 },
              { threshold: 80, points: 6 },
            ],
          },
        },
      ],
    },
  ],
  grades: [{ code: "优秀", quota: { share: 0.5 } }, { code: "良好" }],
};

beforeAll(async () => {
  site = await demoSite();
  office = await signInAs(site.app, "office", DEMO_PASSWORD);
});
afterAll(async () => {
  await site?.close();
});

const node = (page: Page, code: string) => page.locator(`.designer-tree-node[data-code="${code}"]`);
async function fill(page: Page, name: string, value: string) {
  const field = page.getByRole("spinbutton", { name, exact: true });
  await field.fill(value);
  await field.press("Tab");
}

describe("the plan designer, in Chromium", () => {
  it("builds a plan from nothing, previews its rules by the engine, saves, revises and scores it", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    await page.getByRole("menuitem", { name: "方案设计" }).click();
    await page.getByRole("heading", { name: "方案设计 · 新方案", level: 2 }).waitFor();

    // A plan file the engine refuses is not imported; its first fault is named in Chinese.
    const refused = {
      ...built,
      indicators: [{ code: "A", name: "A", points: 1, weight: -1, rule: { type: "mark" } }],
    };
    await page.locator('input[type="file"][accept^=".json"]').setInputFiles({
      name: "bad.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(refused)),
    });
    await page.getByText("无法导入：indicators[0].weight：-1 无效，应大于 0").waitFor();
    await page.getByRole("heading", { name: "方案设计 · 新方案", level: 2 }).waitFor();

    await page.getByRole("tab", { name: "基本信息" }).click();
    await page.getByRole("textbox", { name: "方案编号" }).fill("design-test");
    await page.getByRole("textbox", { name: "方案名称", exact: true }).fill("设计器测试方案");

    // The tree: A (100 points) gets two children of 10 points: the sum is flagged at A.
    await page.getByRole("tab", { name: "指标体系" }).click();
    await node(page, "A").click();
    await page.getByRole("button", { name: "添加下级" }).click();
    await node(page, "A").click();
    await page.getByRole("button", { name: "添加下级" }).click();
    await expect.poll(() => node(page, "A").textContent()).toContain("下级合计 20，不等于本项分值");
    await node(page, "A").getByText("下级分值合计 20，不等于本项分值 100").waitFor();
    await page.getByText("1 处问题，须改正后才能保存").waitFor();
    expect(await page.getByRole("button", { name: "保存为新方案" }).isDisabled()).toBe(true);
    await settled(page);
    await screenshot(page, "designer-fault-1366");

    // A_1 given a child and the child removed: a leaf again, with no rule (a parent carries none). It
    // says so rather than pass for 完成率计分, and picking 完成率计分 then starts that rule.
    await node(page, "A_1").click();
    await page.getByRole("button", { name: "添加下级" }).click();
    await page.getByRole("heading", { name: "指标 A_1_1" }).waitFor();
    await page.locator(".designer-tree-actions").getByRole("button", { name: "删除" }).click();
    await openPopup(page, ".ant-popover").getByRole("button", { name: "删除", exact: true }).click();
    await node(page, "A_1_1").waitFor({ state: "detached" });
    await openPopup(page, ".ant-popover").waitFor({ state: "detached" });
    await node(page, "A_1").click();
    await page.getByRole("heading", { name: "指标 A_1", exact: true }).waitFor();
    const noRule = page.getByText("此末级指标尚无计分规则");
    // Once (CI, 2026-12-03) the note did not come within 30 s although A_1 had lost its child; not
    // reproduced since. What the page showed is logged, and A_1 is selected once more (as a user would):
    // a rule really left on A_1 still fails here.
    if (
      !(await noRule.waitFor({ timeout: 10_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      console.log(
        "designer: no 'no rule' note; tree:",
        await page.locator(".designer-tree-node").allTextContents(),
      );
      console.log(
        "designer: the form:",
        ((await page.locator(".designer-grid").textContent()) ?? "").slice(0, 1500),
      );
      await node(page, "A_2").click();
      await page.getByRole("heading", { name: "指标 A_2", exact: true }).waitFor();
      await node(page, "A_1").click();
      await page.getByRole("heading", { name: "指标 A_1", exact: true }).waitFor();
      await noRule.waitFor();
    }
    await page.getByText("末级指标必须有计分规则（rule）").first().waitFor();
    await settled(page);
    await screenshot(page, "designer-norule-1366");
    await chooseOption(page, page.getByRole("combobox", { name: "规则类型" }), (list) =>
      list.getByText("完成率计分", { exact: true }),
    );
    await page.getByRole("spinbutton", { name: "完成率低于（%）不得分" }).waitFor();
    expect(await page.getByText("此末级指标尚无计分规则").count()).toBe(0);

    // A_1: 60 points, target 50; 48 is 96% of it.
    await fill(page, "分值", "60");
    await fill(page, "目标值", "50");
    await fill(page, "实际值", "48");
    // The engine on the plan built, for one unit "x" with that value.
    const one = (code: string, value: number) => {
      const plan = {
        ...built,
        units: [{ code: "x", name: "x" }],
        categories: [{ code: "c", name: "c", units: ["x"] }],
      };
      const run = scorePlan(plan, [{ unit: "x", indicator: code, period: year, value }]);
      if (!run.ok) throw new Error(run.error.message.en);
      return run.value.units[0]!;
    };
    const expected1 = one("A_1", 48);
    await page.getByText(`实际完成目标的 96% → ${pts(expected1.scores.A_1!)} 分`).waitFor();
    await page.getByText(expected1.trace[0]!.children![0]!.text["zh-CN"]).waitFor();
    expect(pts(expected1.scores.A_1!)).toBe("57.6");
    await expect.poll(() => node(page, "A").textContent()).toContain("下级合计 70，不等于本项分值");

    // A_2: 40 points, by tiers; 85 reaches the second tier.
    await node(page, "A_2").click();
    await page.getByRole("heading", { name: "指标 A_2" }).waitFor();
    await fill(page, "分值", "40");
    // By rank first: a rank table set in the rule JSON shows in its list fields.
    await chooseOption(page, page.getByRole("combobox", { name: "规则类型" }), (list) =>
      list.getByText("位次计分", { exact: true }),
    );
    const top = page.getByRole("textbox", { name: "前几名加减分（逗号分隔）" });
    expect(await top.inputValue()).toBe("");
    await page.locator("summary", { hasText: "规则 JSON（高级）" }).click();
    // A rule the engine refuses: its fault in Chinese, naming the field (not zod's English).
    await page
      .getByRole("textbox", { name: "规则 JSON（高级）" })
      .fill('{"type":"rank","source":"somewhere","step":{"points":1}}');
    await page.getByRole("button", { name: "应用", exact: true }).click();
    await page.getByText('规则无效：source："somewhere" 无效，应为 "peers", "external" 之一').waitFor();
    await settled(page);
    await screenshot(page, "designer-rulejson-1366");
    await page
      .getByRole("textbox", { name: "规则 JSON（高级）" })
      .fill('{"type":"rank","source":"peers","step":{"points":1},"table":{"top":[5,4,3]}}');
    await page.getByRole("button", { name: "应用", exact: true }).click();
    await expect.poll(() => top.inputValue()).toBe("5, 4, 3");
    await chooseOption(page, page.getByRole("combobox", { name: "规则类型" }), (list) =>
      list.getByText("阶梯计分", { exact: true }),
    );
    await fill(page, "实际值", "85");
    const expected2 = one("A_2", 85);
    await page.getByText(`实际 85 → ${pts(expected2.scores.A_2!)} 分`).waitFor();
    expect(expected2.scores.A_2).toBe(6);
    await expect.poll(() => node(page, "A").textContent()).toContain("下级合计 100");
    expect(await node(page, "A").textContent()).not.toContain("不等于");
    await page.getByRole("img", { name: /阶梯计分：得分随实际值变化/ }).waitFor();
    await page.getByText("方案通过校验").waitFor();
    await settled(page);
    await screenshot(page, "designer-tree-1366");
    expect(await seriousViolations(page)).toEqual([]);

    // Units and a category.
    await page.getByRole("tab", { name: "单位与类别" }).click();
    const pick = page.getByRole("combobox", { name: "选择已登记的单位" });
    await chooseOption(page, pick, (list) => list.getByText("市科技局（kjj）"));
    await chooseOption(page, pick, (list) => list.getByText("市发展改革委（fgw）"));
    await page.getByRole("textbox", { name: "名称", exact: true }).fill("经济部门");
    await page.getByRole("button", { name: "添加类别" }).click();
    for (const name of ["市科技局", "市发展改革委"])
      await chooseOption(page, page.getByRole("combobox", { name: `${name} 的类别` }), (list) =>
        list.getByText("经济部门", { exact: true }),
      );
    await page.getByText("2 个单位").waitFor();
    await settled(page);
    await screenshot(page, "designer-units-1366");

    // Grades: 优秀 at most half of the category, then 良好; the quota worked out.
    await page.getByRole("tab", { name: "等次与名额" }).click();
    await page.getByRole("button", { name: "添加等次" }).click();
    await page.getByRole("button", { name: "添加等次" }).click();
    await page.getByRole("textbox", { name: "等次1 的等次" }).fill("优秀");
    await page.getByRole("textbox", { name: "等次2 的等次" }).fill("良好");
    await fill(page, "优秀 的名额比例（%）", "50");
    await page.getByText("经济部门 · 优秀：2 × 50% = 1，向下取整为 1 个").waitFor();
    await page.getByText("方案通过校验").waitFor();
    await settled(page);
    await screenshot(page, "designer-grades-1366");
    expect(await seriousViolations(page)).toEqual([]);

    // Saved as a new plan: a draft, version 1, the document the plan built.
    await page.getByRole("button", { name: "保存为新方案" }).click();
    const dialog = openPopup(page, ".ant-modal");
    await dialog.getByText("新方案保存为草稿（第 1 版）").waitFor();
    await dialog.getByRole("button", { name: "保存" }).click();
    await page.getByRole("heading", { name: "方案设计 · 设计器测试方案 · v1", level: 2 }).waitFor();
    const planId = new URL(page.url()).pathname.split("/").at(-1)!;
    const saved = (await ok(office.request("GET", `/api/v1/plans/${planId}`))).json();
    expect(saved.version).toBe(1);
    expect(saved.document).toEqual(built);

    // The tree exported as the 指标体系 sheet (.xlsx, made in the browser) reads back as the same tree.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "导出指标体系表" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("design-test-指标体系.xlsx");
    const sheet = await readFile((await download.path())!);
    const read = await readIndicatorWorkbook(
      sheet.buffer.slice(sheet.byteOffset, sheet.byteOffset + sheet.byteLength) as ArrayBuffer,
    );
    expect(read).toEqual({ ok: true, indicators: built.indicators });

    // Revised: the first tier at 90; the diff against version 1 shown before saving.
    await node(page, "A_2").click();
    await fill(page, "第 1 档 达到", "90");
    await page.getByRole("button", { name: "保存为新版本" }).click();
    await dialog.getByText("与现行第 1 版相比").waitFor();
    await dialog.getByText("计分规则 A_2 新指标：tiers[0].threshold 100 → 90").waitFor();
    expect(await dialog.locator(".designer-diff li").count()).toBe(1);
    await settled(page);
    await screenshot(page, "designer-diff-1366");
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("textbox", { name: "修订理由" }).fill("第一档标准调整为 90");
    await dialog.getByRole("button", { name: "保存" }).click();
    await page.getByRole("heading", { name: "方案设计 · 设计器测试方案 · v2", level: 2 }).waitFor();
    const revisions = (await ok(office.request("GET", `/api/v1/plans/${planId}/revisions`))).json().items;
    expect(revisions.map((r: { version: number; reason: string | null }) => [r.version, r.reason])).toEqual([
      [1, null],
      [2, "第一档标准调整为 90"],
    ]);
    // The server numbers a revised document (version 2); the rest is the plan built, its tier moved.
    const v2: Plan = { ...built, version: 2, indicators: structuredClone(built.indicators) };
    (v2.indicators[0]!.children![1]!.rule as { tiers: { threshold: number }[] }).tiers[0]!.threshold = 90;
    expect((await ok(office.request("GET", `/api/v1/plans/${planId}`))).json().document).toEqual(v2);

    // Scored: published, values approved, a run; its totals are the engine's on the plan built.
    await ok(office.request("POST", `/api/v1/plans/${planId}/publish`));
    const version = await createPlanService({ db: site.database.db }).current(planId);
    const rows: DataRow[] = [
      { unit: "kjj", indicator: "A_1", period: year, value: 48 },
      { unit: "kjj", indicator: "A_2", period: year, value: 85 },
      { unit: "fgw", indicator: "A_1", period: year, value: 45 },
      { unit: "fgw", indicator: "A_2", period: year, value: 95 },
    ];
    await site.database.db.insert(reportedValues).values(
      rows.map((r) => ({
        planVersionId: version.id,
        unitCode: r.unit,
        indicator: r.indicator,
        period: r.period,
        value: r.value,
        status: "approved" as const,
      })),
    );
    const job = (await ok(office.request("POST", `/api/v1/plans/${planId}/jobs/score`))).json();
    await expect
      .poll(
        async () => {
          await site.app.jobRunner.tick();
          return (await office.request("GET", `/api/v1/jobs/${job.id}`)).json().status;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe("done");
    const runs = (await ok(office.request("GET", `/api/v1/plans/${planId}/runs`))).json().items;
    const run = (await ok(office.request("GET", `/api/v1/plans/${planId}/runs/${runs[0].id}`))).json().result;
    const engine = scorePlan(v2, rows);
    if (!engine.ok) throw new Error(engine.error.message.en);
    const totals = (units: { unit: string; total: number; grade: string | null }[]) =>
      units.map((u) => [u.unit, u.total, u.grade]);
    expect(totals(run.units)).toEqual(totals(engine.value.units));
    // kjj 57.6 + 6, fgw 54 + 10 (95 reaches the first tier at 90): 优秀 to fgw, 良好 to kjj.
    expect(totals(run.units)).toEqual([
      ["kjj", 63.6, "良好"],
      ["fgw", 64, "优秀"],
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
