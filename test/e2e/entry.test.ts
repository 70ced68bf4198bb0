import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { examplePlan } from "../helpers/example-plan.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, pageErrors, screenshot, screenshotDir, signInAsDemo } from "./browser.js";

/**
 * The data-entry page in Chromium, on the demo: a second plan of the year (the example as 2023, published
 * by the office through the API, with a deadline) that 市科技局 has not reported yet, and a plan of 100
 * indicators for the speed measurement.
 */
let site: DemoSite;
let planId = "";
let bigPlanId = "";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
// An image to drop: one of the project's own screenshots.
const PNG = readFileSync(join(import.meta.dirname, "..", "..", "docs", "screens", "login.png"));
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** What the user sees in the window (a 100-row page is too long to look at whole). */
const windowShot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `${name}.png`) });

async function signIn(context: BrowserContext, username: string): Promise<Page> {
  const page = await context.newPage();
  await signInAsDemo(page, site.url, username);
  return page;
}

/** The office's API calls from its signed-in page (session cookie and CSRF token). */
async function officeCall(page: Page, method: "POST" | "PUT", path: string, data: unknown) {
  const me = await (await page.request.get(`${site.url}/api/v1/auth/me`)).json();
  const r = await page.request.fetch(`${site.url}/api/v1${path}`, {
    method,
    headers: { "x-csrf-token": me.csrfToken, "content-type": "application/json" },
    data: data as object,
  });
  expect(r.status(), await r.text()).toBeLessThan(300);
  return r.status() === 204 ? undefined : r.json();
}

async function publishPlan(page: Page, document: unknown): Promise<string> {
  const created = await officeCall(page, "POST", "/plans", { document });
  await officeCall(page, "POST", `/plans/${created.planId}/publish`, {});
  await officeCall(page, "PUT", `/plans/${created.planId}/deadline`, {
    deadline: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  });
  return created.planId;
}

/**
 * The example as next year's plan, with 市科技局's baselines (last year's values) beside its targets, a
 * value rule on B3 (a rate of 0 to 100 to one decimal) and whole-number marks for indicators of 10
 * points or less (B4, the C marks).
 */
function plan2023() {
  const plan = examplePlan();
  plan.id = "city-departments-2023";
  plan.name = "2023年度市直单位工作目标责任制考核方案（示例）";
  plan.period = { key: "2023", previous: "2022" };
  plan.baselines = { A1: { kjj: 24 }, A2: { kjj: 2.87 } };
  plan.markDecimals = [{ maxPoints: 10, decimals: 0 }];
  const b3 = plan.indicators[1].children.find((n: { code: string }) => n.code === "B3");
  b3.values = { min: 0, max: 100, decimals: 1 };
  return plan;
}

/** A plan of 100 leaf indicators (10 groups of 10) for 市科技局 and two other units. */
function plan100() {
  const units = [
    { code: "kjj", name: "市科技局" },
    { code: "fgw", name: "市发展改革委" },
    { code: "jxj", name: "市经济和信息化局" },
  ];
  return {
    format: "kaohe-plan/1",
    id: "entry-speed-100",
    name: "百项指标填报测速方案",
    period: { key: "2023" },
    pointsTotal: 100,
    units,
    categories: [{ code: "all", name: "全部", units: units.map((u) => u.code) }],
    indicators: Array.from({ length: 10 }, (_, g) => ({
      code: `G${g}`,
      name: `一级指标${g + 1}`,
      points: 10,
      children: Array.from({ length: 10 }, (_, k) => ({
        code: `I${g}${k}`,
        name: `二级指标${g * 10 + k + 1}`,
        points: 1,
        dataType: "number",
        unit: "项",
        target: 10 + k,
        ...(k === 0 ? { evidence: { required: true, description: "佐证材料" } } : {}),
        rule: { type: "completion" },
      })),
    })),
    grades: [{ code: "优秀", minScore: 90, quota: { share: 0.3 } }, { code: "合格" }],
  };
}

const field = (page: Page, code: string, period = "2023") => page.locator(`#entry-${code}-${period}`);
const valueInput = (page: Page, code: string, period = "2023") =>
  page.locator(`#entry-${code}-${period}-value`);

beforeAll(async () => {
  site = await demoSite();
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN" });
  const office = await signIn(context, "office");
  planId = await publishPlan(office, plan2023());
  bigPlanId = await publishPlan(office, plan100());
  await context.close();
});
afterAll(async () => {
  await site?.close();
});

describe("data entry (数据填报), in Chromium", () => {
  it("a reporter enters values by keyboard, uploads a template with one bad cell, fixes it and attaches evidence; the leader submits", async () => {
    const context = await site.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: "zh-CN",
    });
    const page = await signIn(context, "kjj.reporter");
    const errors = pageErrors(page);
    await page.getByRole("menuitem", { name: "数据填报" }).click();
    await page.getByRole("heading", { name: "数据填报", level: 2 }).waitFor();
    // Several plans: a picker. The demo's 2022 plan is approved throughout: its fields are locked.
    await page.getByLabel("考核方案").click();
    await page
      .locator(".ant-select-item-option")
      .filter({ hasText: /2023年度/ })
      .click();
    await page.waitForURL(/plan=/);
    expect(page.url()).toContain(planId);
    await page.getByRole("heading", { name: /重要职能工作目标/ }).waitFor();
    // The tree as a form: groups by node, unit of measure, target and last year beside each field.
    const a1 = field(page, "A1");
    await expect.poll(() => a1.textContent()).toContain("年度重点工作任务完成");
    expect(await a1.locator(".entry-number").allTextContents()).toEqual(["目标值24", "上年值（基期）24"]);
    expect(await a1.locator(".entry-uom").textContent()).toBe("项");
    expect(await page.getByRole("heading", { name: /共性工作目标/ }).count()).toBe(1);
    expect(await field(page, "B1").count()).toBe(0); // expert-marked: the reviewers'
    expect(await field(page, "A3", "2022").count()).toBe(1); // last year's rank, for the 进位 rule

    // Keyboard only: type, Tab to the note, Enter saves the field.
    await valueInput(page, "A1").focus();
    await page.keyboard.type("25");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.id")).toBe("entry-A1-2023-note");
    await page.keyboard.type("任务清单见附件");
    await page.keyboard.press("Enter");
    await a1.getByText("草稿").waitFor();
    // Each field's limits, from the plan's value rules, under it (and read with it).
    const hint = (code: string) => field(page, code).locator(".entry-hint");
    expect(await hint("B3").textContent()).toBe("0–100，最多 1 位小数");
    expect(await hint("B4").textContent()).toBe("0–100，整数"); // a mark's scale, the plan's markDecimals
    expect(await hint("A3").textContent()).toBe("位次：1 及以上的整数");
    expect(await hint("B2").textContent()).toBe("1 = 是，0 = 否");
    expect(await hint("A1").count()).toBe(0); // no limits given
    expect(await valueInput(page, "B3").getAttribute("aria-describedby")).toBe("entry-B3-2023-hint");
    // Per-field validation before sending, by the engine's own rule: the message the server would give.
    const refused = async (code: string, typed: string, period = "2023") => {
      await valueInput(page, code, period).fill(typed);
      await valueInput(page, code, period).press("Enter");
      const alert = field(page, code, period).getByRole("alert");
      await alert.waitFor();
      return alert.textContent();
    };
    const serverSays = async (code: string, value: number, lang: string, period = "2023") => {
      const me = await (await page.request.get(`${site.url}/api/v1/auth/me`)).json();
      const r = await page.request.put(`${site.url}/api/v1/plans/${planId}/units/kjj/values`, {
        headers: { "x-csrf-token": me.csrfToken, "accept-language": lang },
        data: { indicator: code, period, value, revision: 0 },
      });
      expect(r.status()).toBe(400);
      return (await r.json()).title;
    };
    const yesNo = await refused("B2", "2");
    expect(yesNo).toBe(
      "单位 kjj 的指标 B2（依法行政（合法性审查全覆盖））：是否类指标的值只能是 1（是）或 0（否），不是 2",
    );
    expect(yesNo).toBe(await serverSays("B2", 2, "zh-CN"));
    expect(await refused("B3", "100.5")).toBe(await serverSays("B3", 100.5, "zh-CN"));
    const decimals = await refused("B3", "99.25");
    expect(decimals).toContain("最多 1 位小数，不是 99.25");
    expect(decimals).toBe(await serverSays("B3", 99.25, "zh-CN"));
    expect(await refused("B4", "95.5")).toBe(await serverSays("B4", 95.5, "zh-CN"));
    // Last year's rank, for the 进位 rule: the same rule as this year's.
    expect(await refused("A3", "0", "2022")).toBe(await serverSays("A3", 0, "zh-CN", "2022"));
    expect(await valueInput(page, "B3").getAttribute("aria-describedby")).toBe(
      "entry-B3-2023-error entry-B3-2023-hint",
    );
    expect(await seriousViolations(page)).toEqual([]);
    await field(page, "B3").scrollIntoViewIfNeeded();
    await windowShot(page, "entry-value-rule-1366");
    // In English, the hint and the engine's English message (the server's for an English reader).
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Data entry", level: 2 }).waitFor();
    expect(await hint("B3").textContent()).toBe("0–100, at most 1 decimal place");
    expect(await hint("B4").textContent()).toBe("0–100, whole numbers");
    const english = await refused("B3", "99.25");
    expect(english).toContain("at most 1 decimal place, not 99.25");
    expect(english).toBe(await serverSays("B3", 99.25, "en"));
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("heading", { name: "数据填报", level: 2 }).waitFor();
    for (const [code, period, typed] of [
      ["B2", "2023", "1"],
      ["B3", "2023", "99.2"],
      ["B4", "2023", "95"],
      ["A3", "2022", "5"],
    ] as const) {
      await valueInput(page, code, period).fill(typed);
      await valueInput(page, code, period).press("Enter");
      await field(page, code, period).getByText("草稿").waitFor();
      expect(await field(page, code, period).getByRole("alert").count()).toBe(0);
    }

    // The Excel template, downloaded, filled in with one bad cell (A2), uploaded: the error at A2's field.
    const download = await page.request.get(`${site.url}/api/v1/plans/${planId}/units/kjj/template.xlsx`);
    expect(download.headers()["content-type"]).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download.body()) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("填报")!;
    const fill: Record<string, number | string> = {
      "A2/2023": "两点九",
      "A3/2023": 4,
      "A3/2022": 5,
      "B3/2023": 99.2,
      "B4/2023": 95,
      "C1/2023": 94,
      "C2/2023": 92,
      "C3/2023": 95,
    };
    let a2Row = 0;
    sheet.eachRow((row, n) => {
      const key = `${row.getCell(1).value}/${row.getCell(4).value}`;
      if (key === "A2/2023") a2Row = n;
      if (n > 1 && key in fill) row.getCell(6).value = fill[key]!;
    });
    const chooser = page.locator(".entry-toolbar input[type=file]");
    await chooser.setInputFiles({
      name: "kjj-2023.xlsx",
      mimeType: XLSX,
      buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    await page.getByText("上传的模板未保存：上传文件有 1 处错误，未保存任何数据").waitFor();
    const atA2 = field(page, "A2").getByRole("alert");
    await atA2.waitFor();
    expect(await atA2.textContent()).toBe(`上传的模板第 ${a2Row} 行“填报值”列：“两点九”不是数字`);
    expect(await valueInput(page, "A2").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate("document.activeElement?.id")).toBe("entry-A2-2023-value");
    expect(await field(page, "A3").getByText("未填").count()).toBe(1); // all or nothing: nothing saved
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "entry-template-error-1366");
    // Fixed and uploaded again: saved whole.
    sheet.getRow(a2Row).getCell(6).value = 2.9;
    await chooser.setInputFiles({
      name: "kjj-2023.xlsx",
      mimeType: XLSX,
      buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    await page.getByText(/模板已导入，保存了 \d+ 项/).waitFor();
    await expect.poll(() => valueInput(page, "A2").inputValue()).toBe("2.9");
    expect(await field(page, "A2").getByRole("alert").count()).toBe(0);
    expect(await valueInput(page, "A1").inputValue()).toBe("25"); // the template carried A1's revision

    // Evidence: a file of a kind the server refuses is stopped before sending.
    const a1Drop = a1.locator("input[type=file]");
    await a1Drop.setInputFiles({
      name: "virus.exe",
      mimeType: "application/x-msdownload",
      buffer: Buffer.from("MZ"),
    });
    await a1.getByRole("alert").filter({ hasText: "“virus.exe”的类型不被接受" }).waitFor();
    // Chosen with the picker: a PDF for each cell that needs evidence.
    for (const [code, period] of [
      ["A1", "2023"],
      ["A2", "2023"],
      ["A3", "2023"],
      ["A3", "2022"],
    ] as const) {
      await field(page, code, period)
        .locator("input[type=file]")
        .setInputFiles({ name: `${code}-${period}-佐证.pdf`, mimeType: "application/pdf", buffer: PDF });
      await field(page, code, period).getByText(`${code}-${period}-佐证.pdf`).waitFor();
    }
    // Dropped onto the zone: an image, previewed in the page.
    const drop = await page.evaluateHandle(`(() => {
      const bytes = Uint8Array.from(atob("${PNG.toString("base64")}"), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], "现场照片.png", { type: "image/png" }));
      return transfer;
    })()`);
    await a1.locator(".ant-upload-drag .ant-upload-btn").dispatchEvent("drop", { dataTransfer: drop });
    await a1.getByText("现场照片.png").waitFor();
    await a1
      .getByRole("listitem")
      .filter({ hasText: "现场照片.png" })
      .getByRole("button", { name: "预览" })
      .click();
    const image = page.getByRole("dialog").getByRole("img", { name: "现场照片.png" });
    await image.waitFor();
    await expect
      .poll(() => image.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(100);
    await windowShot(page, "entry-preview-1366");
    await page.keyboard.press("Escape");
    // A PDF previews in a frame of the page (the server lets only kaohe's own pages frame it).
    await a1
      .getByRole("listitem")
      .filter({ hasText: "A1-2023-佐证.pdf" })
      .getByRole("button", { name: "预览" })
      .click();
    const frame = page.getByRole("dialog").locator("iframe");
    await frame.waitFor();
    const src = (await frame.getAttribute("src"))!;
    const inline = await page.request.get(`${site.url}${src}`);
    expect(inline.headers()["content-disposition"]).toMatch(/^inline/);
    expect(inline.headers()["content-security-policy"]).toContain("frame-ancestors 'self'");
    // Closed by its button: the PDF viewer in the frame may hold the focus, and with it the Escape key.
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /^(Close|关闭)$/ })
      .click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    // Deleted before submission.
    await a1.getByRole("button", { name: "删除 现场照片.png" }).click();
    await page
      .getByRole("button", { name: "删 除" })
      .or(page.getByRole("button", { name: "删除", exact: true }))
      .click();
    await expect.poll(() => a1.getByText("现场照片.png").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "entry-reporter-1366");

    // A forced address for another unit: the server refuses, the page shows 403.
    await page.goto(`${site.url}/entry?plan=${planId}&unit=fgw`);
    await page.getByRole("heading", { name: "无权访问" }).waitFor();
    expect(await page.locator(".entry-row").count()).toBe(0);
    expect(errors).toEqual([]);

    // The leader submits (his fields are read-only); every value goes for review.
    const leaderContext = await site.browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: "zh-CN",
    });
    const leader = await signIn(leaderContext, "kjj.leader");
    const leaderErrors = pageErrors(leader);
    await leader.goto(`${site.url}/entry?plan=${planId}`);
    await field(leader, "A1").waitFor();
    expect(await valueInput(leader, "A1").isDisabled()).toBe(true);
    await leader.getByRole("button", { name: "提交审核" }).click();
    await leader.getByRole("button", { name: "确定提交" }).click();
    await leader.getByText(/已提交 10 项数据/).waitFor();
    await expect.poll(() => field(leader, "A1").getByText("已提交").count()).toBe(1);
    expect(await seriousViolations(leader)).toEqual([]);
    await screenshot(leader, "entry-leader-1920");
    expect(leaderErrors).toEqual([]);
    await leaderContext.close();
    await context.close();
  });

  it("two browsers save the same field: the second sees theirs and yours, keeps what was typed, and may keep it", async () => {
    const one = await site.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN" });
    const two = await site.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN" });
    const a = await signIn(one, "kjj.reporter");
    const b = await signIn(two, "kjj.reporter");
    for (const p of [a, b]) {
      await p.goto(`${site.url}/entry?plan=${bigPlanId}`);
      await valueInput(p, "I00").waitFor();
    }
    await valueInput(a, "I00").fill("11");
    await valueInput(a, "I00").press("Enter");
    await field(a, "I00").getByText("草稿").waitFor();
    // b still has the page as it was: its save is stale.
    await valueInput(b, "I00").fill("12");
    await valueInput(b, "I00").press("Enter");
    const conflict = field(b, "I00").getByRole("alert").filter({ hasText: "此数据已被他人修改" });
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain("对方的数值：11");
    expect(await conflict.textContent()).toContain("您的数值：12");
    expect(await valueInput(b, "I00").inputValue()).toBe("12"); // nothing typed is lost
    expect(await seriousViolations(b)).toEqual([]);
    await field(b, "I00").scrollIntoViewIfNeeded();
    await windowShot(b, "entry-conflict-1366");
    await conflict.getByRole("button", { name: "保留我的并保存" }).click();
    await field(b, "I00").getByText("草稿").waitFor();
    expect(await field(b, "I00").getByText("此数据已被他人修改").count()).toBe(0);
    await a.reload();
    await expect.poll(() => valueInput(a, "I00").inputValue()).toBe("12");
    await one.close();
    await two.close();
  });

  it("measures the time to interactive of a 100-indicator plan's page and the server time of a save", async () => {
    const context = await site.browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: "zh-CN",
    });
    const page = await signIn(context, "kjj.reporter");
    // The baseline, in the same run on the same machine: the unit's workbench (its plans and deadlines).
    const home: number[] = [];
    for (let k = 0; k < 5; k++) {
      await page.goto(`${site.url}/home`);
      await page.locator(".home-plans .deadline").nth(2).waitFor();
      home.push(Number(await page.evaluate("performance.now()")));
    }
    home.sort((x, y) => x - y);
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      await page.goto(`${site.url}/entry?plan=${bigPlanId}`);
      // Interactive: all 100 fields rendered, enabled and the last one focusable.
      await page.locator(".entry-row[data-field] input[id$='-value']:not([disabled])").nth(99).waitFor();
      await page.locator("#entry-I99-2023-value").focus();
      times.push(Number(await page.evaluate("performance.now()")));
    }
    times.sort((x, y) => x - y);
    const tti = times[2]!;
    // The server's time for one save (in process, no network): the median of 30.
    const me = await (await page.request.get(`${site.url}/api/v1/auth/me`)).json();
    const cookies = await context.cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const saves: number[] = [];
    let revision = 0;
    for (let k = 0; k < 30; k++) {
      const t0 = performance.now();
      const r = await site.app.inject({
        method: "PUT",
        url: `/api/v1/plans/${bigPlanId}/units/kjj/values`,
        headers: { cookie, "x-csrf-token": me.csrfToken },
        payload: { indicator: "I55", period: "2023", value: 10 + k, revision },
      });
      saves.push(performance.now() - t0);
      expect(r.statusCode, r.body).toBe(200);
      revision = r.json().revision;
    }
    saves.sort((x, y) => x - y);
    const save = saves[15]!;
    console.log(
      `data entry, 100 indicators: time to interactive ${tti.toFixed(0)} ms (median of 5; all ${times.map((x) => x.toFixed(0)).join(", ")}), ` +
        `${(tti / home[2]!).toFixed(2)}× the workbench's ${home[2]!.toFixed(0)} ms in the same run; ` +
        `server time of a save ${save.toFixed(1)} ms (median of 30, p90 ${saves[27]!.toFixed(1)} ms)`,
    );
    await windowShot(page, "entry-100-1366");
    expect(await seriousViolations(page)).toEqual([]);
    // In English, antd's own texts too.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Data entry", level: 2 }).waitFor();
    await page.getByRole("button", { name: "Save draft" }).waitFor();
    expect(await field(page, "I00").locator(".entry-number").first().textContent()).toBe("Target10");
    await page.getByRole("button", { name: "中文" }).click();
    // Recorded, not a timing test: only a bound far above the goals (1 s, 100 ms) that only a fault would pass.
    expect(tti).toBeLessThan(10_000);
    expect(save).toBeLessThan(2_000);
    await context.close();
  });
});
