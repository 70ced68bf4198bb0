import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../src/server/db/schema/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { hashPassword } from "../../src/server/modules/accounts/passwords.js";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, pageErrors, screenshot } from "./browser.js";

/** The administrators' passwords, set here: the demo's bootstrap hands out one-time ones nobody kept. */
const ADMIN_PASSWORD = "Admin-Password-2022!";
const NEW_PASSWORD = "Hbj-Reporter-2022!";

let site: DemoSite;
beforeAll(async () => {
  site = await demoSite();
  await site.database.db
    .update(users)
    .set({ passwordHash: await hashPassword(ADMIN_PASSWORD), mustChangePassword: false })
    .where(sql`${users.username} IN ('sysadmin', 'secadmin', 'auditadmin')`);
});
afterAll(async () => {
  await site?.close();
});

const viewport = { width: 1366, height: 768 };

async function signIn(page: Page, username: string, password: string) {
  await page.goto(`${site.url}/login`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** Picks an option of the open antd Select (its visible list, not the screen-reader one), and waits for it to close. */
async function pick(page: Page, text: string | RegExp) {
  const open = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)");
  await open.waitFor();
  await open.locator(".ant-select-item-option", { hasText: text }).click();
  // A searchable Select may stay open after the choice: close it, the choice made.
  await open.waitFor({ state: "hidden", timeout: 1000 }).catch(() => page.keyboard.press("Escape"));
}

async function menu(page: Page): Promise<string[]> {
  await page.getByRole("menuitem").first().waitFor();
  return (await page.getByRole("menuitem").allInnerTexts()).map((s) => s.trim());
}

async function noSeriousViolations(page: Page) {
  expect(await seriousViolations(page)).toEqual([]);
}

describe("the administration screens, in Chromium", () => {
  it("sysadmin builds the tree and an account, secadmin grants, the new account changes its one-time password, auditadmin finds it all in an intact chain", async () => {
    // ---- The system administrator: only organisations and accounts in the menu.
    const sysContext = await site.browser.newContext({ viewport, locale: "zh-CN" });
    const sys = await sysContext.newPage();
    const errors = pageErrors(sys);
    await signIn(sys, "sysadmin", ADMIN_PASSWORD);
    await sys.getByRole("heading", { name: "欢迎，系统管理员" }).waitFor();
    expect(await menu(sys)).toEqual(["工作台", "组织机构", "账号与角色"]);
    // A typed URL to the audit administrator's screen: the 403 page.
    await sys.goto(`${site.url}/audit`);
    await sys.getByRole("heading", { name: "无权访问" }).waitFor();

    await sys.getByRole("menuitem", { name: "组织机构" }).click();
    await sys.getByRole("cell", { name: "市科技局", exact: true }).waitFor();
    await noSeriousViolations(sys);
    // A city government at the top, then a bureau under it.
    await sys.getByRole("button", { name: "新建单位" }).click();
    let dialog = sys.getByRole("dialog", { name: "新建单位" });
    await dialog.getByLabel("单位代码").fill("sz");
    await dialog.getByLabel("单位名称").fill("市人民政府");
    await dialog.getByLabel("类别").click();
    await pick(sys, "市级");
    await dialog.getByRole("button", { name: "保存" }).click();
    await dialog.waitFor({ state: "hidden" });
    await sys.getByRole("cell", { name: "市人民政府", exact: true }).waitFor();
    // A code that exists: the server's message at the code field.
    await sys.getByRole("button", { name: "新建单位" }).click();
    dialog = sys.getByRole("dialog", { name: "新建单位" });
    await dialog.getByLabel("单位代码").fill("kjj");
    await dialog.getByLabel("单位名称").fill("市环境保护局");
    await dialog.getByRole("button", { name: "保存" }).click();
    await dialog.getByText("单位代码 kjj 已存在").waitFor();
    await noSeriousViolations(sys);
    await screenshot(sys, "admin-organisation-refused-1366");
    await dialog.getByLabel("单位代码").fill("hbj");
    await dialog.getByLabel("英文名称（可选）").fill("Environmental Protection Bureau");
    await dialog.getByLabel("上级单位（可选）").fill("人民政府");
    await sys.locator(".ant-select-item-option", { hasText: "市人民政府" }).waitFor();
    await dialog.getByLabel("上级单位（可选）").press("Enter");
    await dialog.getByRole("button", { name: "保存" }).click();
    await dialog.waitFor({ state: "hidden" });
    // Under its parent in the tree (the row is indented under 市人民政府).
    const row = sys.getByRole("row", { name: /市环境保护局/ });
    await row.waitFor();
    expect(await row.locator(".ant-table-row-indent.indent-level-1").count()).toBe(1);
    // Editing: the code stays fixed, the name changes.
    await sys.getByRole("button", { name: "编辑 市环境保护局" }).click();
    dialog = sys.getByRole("dialog", { name: /编辑单位/ });
    expect(await dialog.getByLabel("单位代码").isDisabled()).toBe(true);
    await dialog.getByLabel("单位名称").fill("市生态环境局");
    await dialog.getByRole("button", { name: "保存" }).click();
    await dialog.waitFor({ state: "hidden" });
    await sys.getByRole("cell", { name: "市生态环境局", exact: true }).waitFor();
    await screenshot(sys, "admin-organisations-1366");

    // ---- An account in the new bureau; its one-time password shown once, copyable.
    await sys.getByRole("menuitem", { name: "账号与角色" }).click();
    await sys
      .getByRole("cell", { name: /kjj\.leader/ })
      .first()
      .waitFor();
    expect(await sys.getByRole("button", { name: /^分配角色/ }).count()).toBe(0);
    await noSeriousViolations(sys);
    await sys.getByRole("button", { name: "新建账号" }).click();
    dialog = sys.getByRole("dialog", { name: "新建账号" });
    await dialog.getByLabel("用户名").fill("hbj.reporter");
    await dialog.getByLabel("姓名").fill("生态环境局填报员");
    // By keyboard: type to filter, Enter takes the first match.
    await dialog.getByLabel("所属单位（可选）").fill("生态环境");
    await sys.locator(".ant-select-item-option", { hasText: "市生态环境局" }).waitFor();
    await dialog.getByLabel("所属单位（可选）").press("Enter");
    await dialog.getByRole("button", { name: "确定" }).click();
    const otpDialog = sys.getByRole("dialog", { name: "账号 hbj.reporter 已创建" });
    await otpDialog.getByText("一次性密码只显示这一次").waitFor();
    const oneTimePassword = ((await otpDialog.getByTestId("one-time-password").textContent()) ?? "").trim();
    expect(oneTimePassword).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    await otpDialog.getByRole("button", { name: "复制", exact: true }).waitFor();
    await noSeriousViolations(sys);
    await screenshot(sys, "admin-account-created-1366");
    await otpDialog.getByRole("button", { name: /我已复制/ }).click();
    // In its unit.
    await sys
      .getByRole("row", { name: /hbj\.reporter/ })
      .getByRole("cell", { name: "市生态环境局" })
      .waitFor();

    // ---- Session expiry mid-typing: the dialog asks to sign in again, what was typed stays.
    await sys.getByRole("button", { name: "新建账号" }).click();
    dialog = sys.getByRole("dialog", { name: "新建账号" });
    await dialog.getByLabel("用户名").fill("late.user");
    await dialog.getByLabel("姓名").fill("迟到的账号");
    await site.database.db.execute(
      sql`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'sysadmin')`,
    );
    await dialog.getByRole("button", { name: "确定" }).click();
    const relogin = sys.getByRole("dialog", { name: "登录" });
    await relogin.getByText("登录已过期").waitFor();
    expect(await dialog.getByLabel("用户名").inputValue()).toBe("late.user");
    await noSeriousViolations(sys);
    await screenshot(sys, "admin-session-expired-1366");
    await relogin.getByLabel("密码").fill(ADMIN_PASSWORD);
    await relogin.getByRole("button", { name: "登录" }).click();
    await relogin.waitFor({ state: "hidden" });
    expect(await dialog.getByLabel("用户名").inputValue()).toBe("late.user");
    expect(await dialog.getByLabel("姓名").inputValue()).toBe("迟到的账号");
    await dialog.getByRole("button", { name: "确定" }).click();
    await sys.getByRole("dialog", { name: "账号 late.user 已创建" }).waitFor();
    expect(errors).toEqual([]);
    await sysContext.close();

    // ---- The new account, mistyped five times from this address: throttled, the wait explained.
    const newContext = await site.browser.newContext({ viewport, locale: "zh-CN" });
    const fresh = await newContext.newPage();
    await fresh.goto(`${site.url}/login`);
    await fresh.getByLabel("用户名").fill("hbj.reporter");
    for (let attempt = 0; attempt < 8; attempt++) {
      await fresh.getByLabel("密码").fill("wrong-password");
      const answered = fresh.waitForResponse((r) => r.url().endsWith("/auth/login"));
      await fresh.locator('.login-card button[type="submit"]').click();
      if ((await answered).status() === 429) break;
      // The next try once this one's answer is on the page (the form is busy until then).
      await fresh.getByRole("alert").filter({ hasText: "用户名或密码" }).waitFor();
      await fresh.locator('.login-card button[type="submit"]:not(.ant-btn-loading)').waitFor();
    }
    await fresh.getByRole("alert").filter({ hasText: "登录失败次数过多" }).waitFor();
    await fresh.getByText(/为保护账号，还需等待 \d+ 秒/).waitFor();
    const submit = fresh.locator('.login-card button[type="submit"]');
    expect(await submit.isDisabled()).toBe(true);
    expect(await submit.textContent()).toMatch(/登录（\d+s）/);
    await noSeriousViolations(fresh);
    await screenshot(fresh, "login-throttled-1366");

    // ---- The security administrator: grants roles, sees the mixed role refused, unlocks.
    const secContext = await site.browser.newContext({ viewport, locale: "zh-CN" });
    const sec = await secContext.newPage();
    await signIn(sec, "secadmin", ADMIN_PASSWORD);
    await sec.getByRole("heading", { name: "欢迎，安全管理员" }).waitFor();
    expect(await menu(sec)).toEqual(["工作台", "账号与角色"]);
    await sec.getByRole("menuitem", { name: "账号与角色" }).click();
    await sec.getByRole("searchbox", { name: "搜索用户名或姓名" }).fill("hbj");
    await sec.getByRole("searchbox", { name: "搜索用户名或姓名" }).press("Enter");
    const account = sec.getByRole("row", { name: /hbj\.reporter/ });
    await account.getByText("登录受限").waitFor();
    expect(await sec.getByRole("button", { name: "新建账号" }).count()).toBe(0);
    await sec.getByRole("button", { name: "分配角色 hbj.reporter" }).click();
    dialog = sec.getByRole("dialog", { name: /分配角色：生态环境局填报员/ });
    await dialog.getByRole("checkbox", { name: "单位填报员" }).check();
    await dialog.getByRole("checkbox", { name: "审计管理员" }).check();
    await dialog.getByRole("button", { name: "确定" }).click();
    await dialog.getByText(/管理员角色审计管理员（audit_admin）不能与业务角色单位填报员/).waitFor();
    await noSeriousViolations(sec);
    await screenshot(sec, "admin-roles-refused-1366");
    await dialog.getByRole("checkbox", { name: "审计管理员" }).uncheck();
    await dialog.getByRole("button", { name: "确定" }).click();
    await dialog.waitFor({ state: "hidden" });
    await account.getByText("单位填报员").waitFor();
    await account.getByRole("button", { name: "解除限制 hbj.reporter" }).click();
    await sec.getByRole("tooltip").getByRole("button", { name: "确定" }).click();
    await sec.getByText("已解除登录限制").waitFor();
    await account.getByText("正常").waitFor();
    await noSeriousViolations(sec);
    await screenshot(sec, "admin-accounts-secadmin-1366");
    await secContext.close();

    // ---- The new account's first sign-in: the one-time password must be changed, the policy shown.
    // (Unlocked: the page, opened again, lets the account sign in at once.)
    await signIn(fresh, "hbj.reporter", oneTimePassword);
    await fresh.getByRole("heading", { name: "首次登录，请修改密码" }).waitFor();
    await fresh.getByLabel("当前密码（一次性密码）").fill(oneTimePassword);
    const rules = fresh.locator(".password-rules");
    await rules.getByText("至少 12 位").waitFor();
    // Each rule marked as one types (the marks follow the field, so wait for them).
    await fresh.getByLabel("新密码", { exact: true }).fill("hbj.reporter1");
    await rules.locator('[data-rule="length"].met').waitFor();
    await rules.locator('[data-rule="username"]:not(.met)').waitFor();
    await fresh.getByLabel("新密码", { exact: true }).fill("Short1!");
    await rules.locator('[data-rule="username"].met').waitFor();
    await rules.locator('[data-rule="classes"].met').waitFor();
    await rules.locator('[data-rule="length"]:not(.met)').waitFor();
    await noSeriousViolations(fresh);
    await screenshot(fresh, "login-change-password-1366");
    await fresh.getByLabel("确认新密码").fill("Short1!");
    await fresh.getByRole("button", { name: "修改密码并进入系统" }).click();
    // The server's refusal, at the new password.
    await fresh.getByText("密码至少 12 位").waitFor();
    await fresh.getByLabel("新密码", { exact: true }).fill(NEW_PASSWORD);
    await rules.locator('[data-rule="length"].met').waitFor();
    expect(await rules.locator(".password-rule:not(.met)").count()).toBe(0);
    await fresh.getByLabel("确认新密码").fill(NEW_PASSWORD);
    await fresh.getByRole("button", { name: "修改密码并进入系统" }).click();
    await fresh.getByRole("heading", { name: "欢迎，生态环境局填报员" }).waitFor();
    expect(await menu(fresh)).toContain("数据填报");
    await newContext.close();

    // ---- The audit administrator: only the audit log; the chain intact; the others' actions found.
    for (const size of [viewport, { width: 1920, height: 1080 }]) {
      const auditContext = await site.browser.newContext({ viewport: size, locale: "zh-CN" });
      const audit = await auditContext.newPage();
      await signIn(audit, "auditadmin", ADMIN_PASSWORD);
      await audit.getByRole("heading", { name: "欢迎，审计管理员" }).waitFor();
      expect(await menu(audit)).toEqual(["工作台", "审计日志"]);
      await audit.getByRole("menuitem", { name: "审计日志" }).click();
      await audit.getByRole("status").getByText("审计链完整").waitFor();
      await audit.getByLabel("操作人").fill("secadmin");
      await audit.getByRole("button", { name: "查询" }).click();
      // The unfiltered page may show user.roles too: wait until the table is the filtered one.
      const actorsShown = async () => [
        ...new Set(await audit.locator("tbody tr.ant-table-row td:nth-child(4)").allInnerTexts()),
      ];
      await expect.poll(actorsShown, { timeout: 15_000 }).toEqual(["secadmin"]);
      await audit.getByRole("cell", { name: "user.roles", exact: true }).first().waitFor();
      // The row's detail: the roles before and after.
      await audit
        .getByRole("row", { name: /user\.roles/ })
        .first()
        .getByRole("button")
        .first()
        .click();
      await audit.getByText('"unit_reporter"').first().waitFor();
      await noSeriousViolations(audit);
      await screenshot(audit, `audit-${size.width}`);
      // The export carries the same filter; the checkpoint is a file to keep elsewhere.
      const href = await audit.getByRole("link", { name: /导出 CSV/ }).getAttribute("href");
      expect(href).toContain("actor=secadmin");
      const csv = await audit.request.get(`${site.url}${href}`);
      expect(await csv.text()).toContain("user.unlock");
      const checkpoint = await audit.request.get(`${site.url}/api/v1/audit/checkpoint`);
      expect((await checkpoint.json()).format).toBe("kaohe-audit-checkpoint/1");
      await auditContext.close();
    }
  }, 300_000);

  it("the language chosen is the account's: it follows it to another browser after signing out", async () => {
    const first = await site.browser.newContext({ viewport, locale: "zh-CN" });
    const a = await first.newPage();
    await signIn(a, "office", DEMO_PASSWORD);
    await a.getByRole("heading", { name: "欢迎，office" }).waitFor();
    const stored = a.waitForResponse((r) => r.url().endsWith("/auth/language"));
    await a.getByRole("button", { name: "English" }).click();
    expect((await stored).status()).toBe(204);
    await a.getByRole("heading", { name: "Welcome, office" }).waitFor();
    await a.getByRole("button", { name: /office/ }).hover();
    await a.getByRole("menuitem", { name: "Sign out" }).click();
    await a.getByRole("heading", { name: "Sign in" }).waitFor();
    await first.close();

    // Another browser, never used: Chinese until the account signs in, then its English.
    const second = await site.browser.newContext({ viewport, locale: "zh-CN" });
    const b = await second.newPage();
    await signIn(b, "office", DEMO_PASSWORD);
    await b.getByRole("heading", { name: "Welcome, office" }).waitFor();
    expect(await b.locator("html").getAttribute("lang")).toBe("en");
    await noSeriousViolations(b);
    await screenshot(b, "home-office-en-1366");
    await second.close();
  });
});
