import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./axe.js";
import { type DemoSite, demoSite, pageErrors, screenshot } from "./browser.js";

let site: DemoSite;
beforeAll(async () => {
  site = await demoSite();
});
afterAll(async () => {
  await site?.close();
});

describe("the web application's shell, in Chromium", () => {
  it("serves the sign-in page under the strict CSP, lists the demo accounts, and signs in", async () => {
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      const context = await site.browser.newContext({ viewport, locale: "zh-CN" });
      const page = await context.newPage();
      const errors = pageErrors(page);
      const response = await page.goto(`${site.url}/home`);
      expect(response?.headers()["cache-control"]).toBe("no-cache");
      // Not signed in: sent to the sign-in page, which names the demo and its accounts.
      await page.getByRole("heading", { name: "登录" }).waitFor();
      expect(page.url()).toContain("/login?from=%2Fhome");
      await page.getByText("演示环境：所有数据均为示例数据").waitFor();
      await page.getByRole("button", { name: "使用 kjj.leader" }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `login-${viewport.width}`);

      // A wrong password: the server's message, in Chinese, at the form.
      await page.getByLabel("用户名").fill("kjj.leader");
      await page.getByLabel("密码").fill("wrong-password");
      await page.getByRole("button", { name: "登录" }).click();
      await page.getByRole("alert").filter({ hasText: "用户名或密码" }).waitFor();

      // The demo account: back to the page first asked for.
      await page.getByRole("button", { name: "使用 kjj.leader" }).click();
      await page.getByRole("button", { name: "登录" }).click();
      await page.getByRole("heading", { name: "欢迎，kjj.leader" }).waitFor();
      expect(page.url()).toBe(`${site.url}/home`);
      await page.getByText("单位负责人").waitFor();
      // A unit's workbench: its plan, with the reporting state.
      await page.getByRole("heading", { name: /2022年度市直单位/ }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `home-${viewport.width}`);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("switches to English and keeps it, antd's own texts included", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${site.url}/login`);
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    // The server answers in the chosen language too.
    await page.getByLabel("Username").fill("office");
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "wrong user name or password" }).waitFor();
    await screenshot(page, "login-en");
    await context.close();
  });

  it("an unknown address shows the 404 page inside the shell; API paths keep the API's 404", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${site.url}/login`);
    await page.getByRole("button", { name: "使用 office" }).click();
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("heading", { name: "欢迎，office" }).waitFor();
    // The office's workbench: every unit's progress in the plan, from the progress endpoint.
    await page.getByRole("heading", { name: "各单位填报进度" }).waitFor();
    await page.getByRole("cell", { name: /市科技局/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "home-office-1366");
    await page.goto(`${site.url}/no/such/page`);
    await page.getByRole("heading", { name: "页面不存在" }).waitFor();
    const api = await page.request.get(`${site.url}/api/v1/no-such-thing`);
    expect(api.status()).toBe(404);
    expect(api.headers()["content-type"]).toContain("application/problem+json");
    await context.close();
  });

  it("follows the system's reduce-motion setting: antd's fades and slides off for one who asked", async () => {
    // Whether the user menu, opened on hover, ever carried a motion class on its way in.
    const menuMoved = async (reducedMotion: "reduce" | "no-preference") => {
      const context = await site.browser.newContext({
        viewport: { width: 1366, height: 768 },
        reducedMotion,
      });
      const page = await context.newPage();
      await page.goto(`${site.url}/login`);
      await page.getByRole("button", { name: "使用 office" }).click();
      await page.getByRole("button", { name: "登录" }).click();
      await page.getByRole("heading", { name: "欢迎，office" }).waitFor();
      await page.evaluate(() => {
        const g = globalThis as unknown as {
          moved: boolean;
          document: { body: object };
          MutationObserver: new (
            f: (
              m: { target: { className?: unknown }; addedNodes: Iterable<{ className?: unknown }> }[],
            ) => void,
          ) => { observe(n: object, o: object): void };
        };
        g.moved = false;
        new g.MutationObserver((changes) => {
          for (const change of changes)
            for (const node of [change.target, ...change.addedNodes])
              if (
                typeof node.className === "string" &&
                /ant-slide-\S*-(appear|enter)-active/.test(node.className)
              )
                g.moved = true;
        }).observe(g.document.body, {
          subtree: true,
          childList: true,
          attributes: true,
          attributeFilter: ["class"],
        });
      });
      await page.getByRole("button", { name: /office/ }).hover();
      await page.getByRole("menuitem", { name: "退出登录" }).waitFor();
      await page.waitForTimeout(500);
      const moved = await page.evaluate(() => (globalThis as unknown as { moved: boolean }).moved);
      await context.close();
      return moved;
    };
    expect(await menuMoved("no-preference")).toBe(true);
    expect(await menuMoved("reduce")).toBe(false);
  });
});
