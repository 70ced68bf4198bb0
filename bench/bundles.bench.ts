/**
 * What a fresh browser downloads to show each page of the web app (issue: the web application): the
 * JavaScript and CSS of the build (`npm run build`), gzip and as sent, summed over every response of the
 * page's load in a new browser context (empty cache), signed in as a role that may open the page. The
 * sign-in page's JavaScript has a goal: under 250 KB. Served from the build by an in-process server on
 * 127.0.0.1 with the demo on an in-memory PGlite; Debian's Chromium.
 * Run: npm run bench:bundles
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { chromium, type Page, type Request } from "playwright-core";
import { buildApp } from "../src/server/app.js";
import { openDatabase } from "../src/server/db/client.js";
import { users } from "../src/server/db/schema/index.js";
import { DEMO_PASSWORD, seedExampleDemo } from "../src/server/demo.js";
import { bootstrapAdministrators } from "../src/server/modules/accounts/bootstrap.js";
import { hashPassword } from "../src/server/modules/accounts/passwords.js";
import { setAuditKey } from "../src/server/modules/audit/service.js";
import { webRoot } from "../src/server/plugins/web-app.js";

const SIGN_IN_GOAL_KB = 250;
const ADMIN_PASSWORD = `Bench-${randomBytes(6).toString("hex")}-2022!`;

/** Each page, with an account allowed to open it (the administrators' pages are theirs alone). */
const pages: { path: string; name: string; account?: string }[] = [
  { path: "/login", name: "sign-in 登录" },
  { path: "/home", name: "workbench 工作台 (office)", account: "office" },
  { path: "/entry", name: "data entry 数据填报", account: "kjj.reporter" },
  { path: "/targets", name: "targets 目标管理", account: "office" },
  { path: "/review", name: "review 审核", account: "reviewer" },
  { path: "/marks", name: "expert marks 专家评分", account: "reviewer" },
  { path: "/claims", name: "bonus/penalty items 加减分事项", account: "office" },
  { path: "/plans", name: "plans 考核方案", account: "office" },
  { path: "/designer", name: "plan designer 方案设计", account: "office" },
  { path: "/objections", name: "objections 异议处理", account: "office" },
  { path: "/results", name: "results 考核结果", account: "office" },
  { path: "/runs", name: "scoring runs 计分记录", account: "office" },
  { path: "/simulate", name: "what-if 模拟测算", account: "office" },
  { path: "/notifications", name: "inbox 消息通知", account: "kjj.reporter" },
  { path: "/admin/organisations", name: "organisations 组织机构", account: "sysadmin" },
  { path: "/admin/accounts", name: "accounts 账号管理", account: "secadmin" },
  { path: "/audit", name: "audit log 审计日志", account: "auditadmin" },
];

setAuditKey(randomBytes(32));
const database = await openDatabase({});
await database.migrate();
await bootstrapAdministrators(database.db);
await seedExampleDemo(database.db);
await database.db
  .update(users)
  .set({ passwordHash: await hashPassword(ADMIN_PASSWORD), mustChangePassword: false })
  .where(sql`${users.username} IN ('sysadmin', 'secadmin', 'auditadmin')`);
const app = await buildApp({ database, demo: true });
const url = await app.listen({ port: 0, host: "127.0.0.1" });
const browser = await chromium.launch({
  executablePath: process.env.KAOHE_CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--no-first-run", "--disable-gpu"],
});

/** A signed-in session's cookies, taken through the API (the page's own sign-in is the e2e tests'). */
async function sessionState(account: string) {
  const context = await browser.newContext();
  const password = account.endsWith("admin") ? ADMIN_PASSWORD : DEMO_PASSWORD;
  const reply = await context.request.post(`${url}/api/v1/auth/login`, {
    data: { username: account, password },
  });
  if (!reply.ok()) throw new Error(`sign-in of ${account}: ${reply.status()} ${await reply.text()}`);
  const state = await context.storageState();
  await context.close();
  return state;
}

/** The gzip size of a file of the build: its .gz copy (vite.config.ts), or, for a small file, compressed here. */
function gzipBytes(path: string): number {
  const file = join(webRoot(), path);
  return existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : gzipSync(readFileSync(file)).length;
}

/**
 * What the page downloads until its network is idle: JavaScript and CSS as sent (brotli, which
 * Chromium accepts) and as gzip (the measure).
 */
async function measure(page: Page, path: string) {
  const sent: Promise<{ kind: string; sent: number; gzip: number }>[] = [];
  const finished = (request: Request) => {
    const { pathname } = new URL(request.url());
    const kind = pathname.endsWith(".js") ? "js" : pathname.endsWith(".css") ? "css" : "other";
    const gzip = kind === "other" ? 0 : gzipBytes(pathname);
    sent.push(request.sizes().then((s) => ({ kind, sent: s.responseBodySize, gzip })));
  };
  page.on("requestfinished", finished);
  await page.goto(`${url}${path}`, { waitUntil: "networkidle" });
  page.off("requestfinished", finished);
  const all = await Promise.all(sent);
  const sum = (kind: string, of: "sent" | "gzip") =>
    all.filter((s) => s.kind === kind).reduce((t, s) => t + s[of], 0) / 1024;
  return {
    js: sum("js", "gzip"),
    jsSent: sum("js", "sent"),
    css: sum("css", "gzip"),
    files: all.filter((s) => s.kind === "js").length,
  };
}

const rows: string[] = [];
let signIn = 0;
for (const p of pages) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: "zh-CN",
    ...(p.account ? { storageState: await sessionState(p.account) } : {}),
  });
  const page = await context.newPage();
  const { js, jsSent, css, files } = await measure(page, p.path);
  const landed = new URL(page.url()).pathname;
  if (landed !== p.path) throw new Error(`${p.path} as ${p.account ?? "nobody"} landed on ${landed}`);
  if (p.path === "/login") signIn = js;
  rows.push(
    `| ${p.name} | \`${p.path}\` | ${p.account ?? ""} | ${js.toFixed(1)} | ${jsSent.toFixed(1)} | ${files} | ${css.toFixed(1)} |`,
  );
  await context.close();
}
console.log(
  "| page | path | signed in as | JavaScript KB, gzip | as sent (brotli) | JS files | CSS KB, gzip |",
);
console.log("|---|---|---|---:|---:|---:|---:|");
for (const r of rows) console.log(r);
console.log(
  `\nsign-in page: ${signIn.toFixed(1)} KB of JavaScript, goal < ${SIGN_IN_GOAL_KB} KB: ${signIn < SIGN_IN_GOAL_KB ? "met" : "NOT met"}`,
);
await browser.close();
await app.close();
await database.close();
if (signIn >= SIGN_IN_GOAL_KB) process.exitCode = 1;
