import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPortalCheck } from "../../src/cli/commands/portal.js";
import { defaultSecurity } from "../../src/server/config.js";
import { auditLog, portalPages, publications } from "../../src/server/db/schema/index.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * The public portal (docs/portal.md): server-rendered pages without sign-in, cacheable (ETag, 304),
 * everything escaped, each notice's article hashed (SM3, SHA-256) at publication and checkable, and a
 * notice under embargo invisible everywhere public until its time.
 */

const EVIL = '<script>alert("x")</script>';
/** The example plan with one unit's name carrying markup, ranks and totals shown. */
const plan = () => {
  const p = examplePlan();
  p.units = p.units.map((u: { code: string; name: string }) =>
    u.code === "kjj" ? { ...u, name: `市科技局${EVIL}` } : u,
  );
  return { ...p, publication: { noticeDays: 5, show: ["rank", "total", "grade", "titles"] } };
};

let t: TestApp;
let clock = Date.parse("2023-02-01T02:00:00Z");
let office: Client;
let planId = "";
let first = "";

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "GET", url, headers });
const runAndPublish = async (plan: string, body?: unknown) => {
  const run = await office.request("POST", `/api/v1/plans/${plan}/runs`);
  expect(run.statusCode, run.body).toBe(201);
  const p = await office.request("POST", `/api/v1/plans/${plan}/runs/${run.json().id}/publish`, body);
  expect(p.statusCode, p.body).toBe(201);
  return p.json().id as string;
};

beforeAll(async () => {
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: plan(),
  });
  office = await t.signIn("office", ["office_staff"]);
  ({ planId } = await t.publish(office, plan()));
  first = await runAndPublish(planId);
});
afterAll(() => t.close());

describe("pages", () => {
  it("serves the home, results and notice pages as HTML without sign-in, in Chinese and English", async () => {
    for (const url of ["/portal", "/portal/results", `/portal/notices/${first}`]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(r.body).toContain('<html lang="zh-CN"');
      expect(r.body).toContain("2022年度市直单位工作目标责任制考核方案（示例）结果公示");
      const en = await get(`${url}?lang=en`);
      expect(en.body).toContain('<html lang="en"');
      expect(en.body).toContain("Public notice of results: 2022 target-responsibility assessment");
    }
    const notice = (await get(`/portal/notices/${first}`)).body;
    expect(notice).toMatch(
      /首页<\/a><\/li><li><a href="\/portal\/results">考核结果<\/a><\/li><li aria-current="page">/,
    );
    expect(notice).toContain("来源：考核工作办公室");
    expect(notice).toContain(`<img src="/portal/notices/${first}/views.svg"`);
    // Font sizes are links (no JS); the chosen one is marked and kept by every link.
    const large = (await get(`/portal/notices/${first}?size=l&lang=en`)).body;
    expect(large).toContain('class="size-l"');
    expect(large).toContain('href="/portal/results?lang=en&amp;size=l"');
  });

  it("keeps the strict CSP: no inline script or style, the stylesheet and script served as files", async () => {
    const r = await get(`/portal/notices/${first}`);
    const csp = String(r.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(r.body).not.toMatch(/<script>|<script [^>]*>[^<]|<style|style=/);
    expect((await get("/portal/portal.css")).headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await get("/portal/portal.js")).statusCode).toBe(200);
  });

  it("sorts the table by rank within each category", async () => {
    const body = (await get(`/portal/notices/${first}`)).body;
    const sections = body.split('<section aria-labelledby="cat-').slice(1);
    // The plan's categories in order, then its standalone unit (单列: not ranked) under 其他单位.
    expect(sections.length).toBe(examplePlan().categories.length + 1);
    expect(sections.at(-1)).toContain("其他单位");
    for (const s of sections.slice(0, -1)) {
      const ranks = [...s.matchAll(/<tr><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
      expect(ranks.length).toBeGreaterThan(0);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it("escapes a unit's name: markup in it comes out as text", async () => {
    for (const url of [`/portal/notices/${first}`, `/portal/notices/${first}?lang=en`]) {
      const body = (await get(url)).body;
      expect(body).not.toContain(EVIL);
      if (!url.includes("en"))
        expect(body).toContain("市科技局&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    }
    const verify = (await get(`/portal/verify?hash=${encodeURIComponent(EVIL)}`)).body;
    expect(verify).not.toContain(EVIL);
    expect(verify).toContain("&lt;script&gt;");
  });

  it("answers 404 with its own page for an unknown notice or path, not the web app's", async () => {
    for (const url of [
      "/portal/notices/00000000-0000-4000-8000-000000000000",
      "/portal/notices/not-a-uuid",
      "/portal/nothing",
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.body).toContain("页面不存在");
    }
  });
});

describe("caching", () => {
  it("gives every page an ETag and Cache-Control, and 304 for If-None-Match", async () => {
    for (const url of ["/portal", "/portal/results", `/portal/notices/${first}`, "/portal/portal.css"]) {
      const r = await get(url);
      expect(r.headers.etag, url).toMatch(/^"[\w-]+"$/);
      expect(r.headers["cache-control"]).toMatch(/^public, max-age=\d+$/);
      const again = await get(url, { "if-none-match": `W/"other", ${r.headers.etag}` });
      expect(again.statusCode, url).toBe(304);
      expect(again.body).toBe("");
      expect(again.headers.etag).toBe(r.headers.etag);
      expect((await get(url, { "if-none-match": '"other"' })).statusCode).toBe(200);
    }
  });

  it("counts views through an uncached image, so the page and its ETag stay the same", async () => {
    const before = (await get(`/portal/notices/${first}`)).headers.etag;
    const a = await get(`/portal/notices/${first}/views.svg`);
    expect(a.headers["cache-control"]).toBe("no-store");
    expect(a.headers["content-type"]).toBe("image/svg+xml");
    const b = await get(`/portal/notices/${first}/views.svg`);
    const count = (r: typeof a) => Number(/<text[^>]*>(\d+)<\/text>/.exec(r.body)![1]);
    expect(count(b)).toBe(count(a) + 1);
    expect(
      (await t.app.inject({ method: "HEAD", url: `/portal/notices/${first}/views.svg` })).statusCode,
    ).toBe(404);
    const [row] = await t.db.select().from(portalPages).where(eq(portalPages.publicationId, first));
    expect(row!.views).toBe(count(b));
    expect((await get(`/portal/notices/${first}`)).headers.etag).toBe(before);
  });
});

describe("content hashes", () => {
  it("records SM3 and SHA-256 of each language's article at publication, in the audit entry too", async () => {
    const served = await get(`/portal/notices/${first}/article.html`);
    expect(served.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const article = served.body;
    expect(article.startsWith('<article id="notice"')).toBe(true);
    // The page carries the article byte for byte.
    expect((await get(`/portal/notices/${first}`)).body).toContain(article);
    const sha256 = createHash("sha256").update(article, "utf8").digest("hex");
    const sm3 = createHash("sm3").update(article, "utf8").digest("hex");
    const page = (await get(`/portal/notices/${first}`)).body;
    expect(page).toContain(`SM3: <code>${sm3}</code>`);
    expect(page).toContain(`SHA-256: <code>${sha256}</code>`);
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.entityId, first));
    expect((entry!.after as { pageHashes: Record<string, unknown> }).pageHashes["zh-CN"]).toEqual({
      sm3,
      sha256,
    });
  });

  it("says whether a hash is a published page's", async () => {
    const article = (await get(`/portal/notices/${first}/article.html?lang=en`)).body;
    const sha256 = createHash("sha256").update(article, "utf8").digest("hex");
    const found = (await get(`/portal/verify?hash=${sha256.toUpperCase()}`)).body;
    expect(found).toContain("此哈希属于已发布的页面");
    expect(found).toContain(`href="/portal/notices/${first}"`);
    const missing = (await get(`/portal/verify?hash=${"0".repeat(64)}`)).body;
    expect(missing).toContain("没有已发布的页面具有此哈希");
    // The same as JSON, for a script: GET /api/v1/public/verify?hash=
    const api = (await get(`/api/v1/public/verify?hash=${sha256}`)).json();
    expect(api).toMatchObject({
      hash: sha256,
      found: true,
      page: {
        publicationId: first,
        url: `/portal/notices/${first}?lang=en`,
        lang: "en",
        algorithm: "sha256",
      },
    });
    const sm3 = createHash("sm3").update(article, "utf8").digest("hex");
    expect((await get(`/api/v1/public/verify?hash=${sm3}`)).json().page.algorithm).toBe("sm3");
    expect((await get(`/api/v1/public/verify?hash=${"0".repeat(64)}`)).json()).toEqual({
      hash: "0".repeat(64),
      found: false,
      page: null,
    });
    expect((await get("/api/v1/public/verify?hash=xyz")).statusCode).toBe(400);
  });

  it("checks an uploaded page: the page as served verifies, a changed one does not", async () => {
    const served = (await get(`/portal/notices/${first}`)).body;
    const upload = (content: string) => {
      const boundary = "----kaohe-test";
      const payload = [
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="notice.html"',
        "Content-Type: text/html",
        "",
        content,
        `--${boundary}--`,
        "",
      ].join("\r\n");
      return t.app.inject({
        method: "POST",
        url: "/portal/verify",
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
        payload,
      });
    };
    const ok = await upload(served);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("文件与已发布的页面一致");
    expect(ok.headers["cache-control"]).toBe("no-store");
    // The page around the article (status, views, links) may change; the article may not.
    expect((await upload(served.replace("公示中", "已确定"))).body).toContain("文件与已发布的页面一致");
    const changed = await upload(served.replace("<td>合格</td>", "<td>优秀</td>"));
    expect(changed.body).toContain("文件与任何已发布的页面都不一致");
    const none = await t.app.inject({ method: "POST", url: "/portal/verify", payload: {} });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain("没有收到文件");
  });

  it("refuses a page changed in the database, its row's hashes changed to match too", async () => {
    // A fresh app: the running one already checked (and keeps) this page.
    const other = await t.another({ now: () => new Date(clock) });
    const [row] = await t.db.select().from(portalPages).where(eq(portalPages.publicationId, first));
    const forged = row!.articles["zh-CN"]!.replace("<td>合格</td>", "<td>优秀</td>");
    expect(forged).not.toBe(row!.articles["zh-CN"]);
    const h = {
      sm3: createHash("sm3").update(forged).digest("hex"),
      sha256: createHash("sha256").update(forged).digest("hex"),
    };
    await t.db
      .update(portalPages)
      .set({
        articles: { ...row!.articles, "zh-CN": forged },
        hashes: { ...row!.hashes, "zh-CN": h },
        hashIndex: [...row!.hashIndex, h.sm3, h.sha256],
      })
      .where(eq(portalPages.publicationId, first));
    try {
      for (const url of [
        `/portal/notices/${first}`,
        `/portal/notices/${first}/article.html`,
        `/api/v1/public/verify?hash=${h.sha256}`,
      ]) {
        const r = await other.inject({ method: "GET", url });
        expect(r.statusCode, `${url} ${r.body}`).toBe(500);
        expect(r.body).not.toContain("<td>优秀</td>");
        expect(r.json()).toMatchObject({ code: "INTEGRITY_VIOLATION" });
      }
      // The app that checked the page before keeps serving what it checked.
      expect((await get(`/portal/notices/${first}`)).body).toContain(row!.articles["zh-CN"]!);
    } finally {
      await t.db.update(portalPages).set(row!).where(eq(portalPages.publicationId, first));
    }
  });

  it("uses Node's SM3 correctly (GB/T 32905-2016's example: abc)", () => {
    expect(createHash("sm3").update("abc").digest("hex")).toBe(
      "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    );
  });
});

describe("kaohe portal check on the running portal", () => {
  it("crawls every portal page from /portal, each passing, the notices' hashes compared", async () => {
    const other = await t.another({ now: () => new Date(clock) });
    const base = await other.listen({ port: 0, host: "127.0.0.1" });
    const out: string[] = [];
    const code = await runPortalCheck({
      values: { base: [`${base}/portal`], format: "json" },
      positionals: [],
      lang: "zh-CN",
      out: (s) => out.push(s),
      err: () => {},
      env: {},
    });
    const report = JSON.parse(out.join("")) as { passed: boolean; pages: { source: string }[] };
    expect(report.pages.map((p) => p.source.slice(base.length))).toEqual(
      expect.arrayContaining([
        "/portal",
        "/portal/results",
        `/portal/notices/${first}`,
        `/portal/notices/${first}?lang=en`,
        "/portal/verify",
      ]),
    );
    expect(report.passed, JSON.stringify(report, null, 1)).toBe(true);
    expect(code).toBe(0);
  });
});

describe("embargo", () => {
  it("keeps a scheduled notice invisible everywhere public until its time, then shows it", async () => {
    const other = (await t.publish(office, { ...plan(), id: "other-2022", name: "另一考核方案" })).planId;
    const at = new Date(clock + 3 * 3_600_000);
    const scheduled = await runAndPublish(other, { visibleFrom: at.toISOString() });
    const hidden = [
      `/portal/notices/${scheduled}`,
      `/portal/notices/${scheduled}/article.html`,
      `/portal/notices/${scheduled}/views.svg`,
      `/api/v1/public/plans/${other}/results`,
      `/api/v1/public/plans/${other}/publications/${scheduled}`,
    ];
    for (const url of hidden) expect((await get(url)).statusCode, url).toBe(404);
    for (const url of [
      "/portal",
      "/portal/results",
      "/api/v1/public/plans",
      `/api/v1/public/plans/${other}/publications`,
    ])
      expect((await get(url)).body, url).not.toContain(scheduled);
    expect((await get("/api/v1/public/plans")).body).not.toContain(other);
    // The office sees when it goes public; the public list never says.
    const listed = (await office.request("GET", `/api/v1/plans/${other}/publications`)).json().items;
    expect(listed.map((p: { id: string; visibleFrom: string }) => [p.id, p.visibleFrom])).toEqual([
      [scheduled, at.toISOString()],
    ]);
    const [row] = await t.db.select().from(portalPages).where(eq(portalPages.publicationId, scheduled));
    const verify = await get(`/portal/verify?hash=${row!.hashes["zh-CN"]!.sha256}`);
    expect(verify.body).toContain("没有已发布的页面具有此哈希");
    // The notice period counts from the moment it shows.
    const [published] = await t.db.select().from(publications).where(eq(publications.id, scheduled));
    expect(published!.noticeUntil.getTime()).toBe(at.getTime() + 5 * 86_400_000);
    clock = at.getTime();
    for (const url of hidden) expect((await get(url)).statusCode, url).toBe(200);
    expect((await get("/portal/results")).body).toContain(scheduled);
    const shown = (await get(`/api/v1/public/plans/${other}/publications`)).json().items;
    expect(shown.map((p: { id: string }) => p.id)).toEqual([scheduled]);
    expect(shown[0]).not.toHaveProperty("visibleFrom");
    expect((await get("/api/v1/public/plans")).body).toContain(other);
    // Previous/next link the notices in the order they became visible.
    expect((await get(`/portal/notices/${first}`)).body).toContain(`href="/portal/notices/${scheduled}"`);
  });

  it("refuses an embargo in the past, and on a correction (the notice in force would be withdrawn first)", async () => {
    const publish = async (visibleFrom: number) => {
      const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
      return office.request("POST", `/api/v1/plans/${planId}/runs/${run.json().id}/publish`, {
        visibleFrom: new Date(visibleFrom).toISOString(),
      });
    };
    const past = await publish(clock - 1000);
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ code: "EMBARGO_IN_PAST" });
    const correction = await publish(clock + 3_600_000);
    expect(correction.statusCode).toBe(409);
    expect(correction.json()).toMatchObject({ code: "EMBARGO_ON_CORRECTION" });
  });
});

describe("a correction", () => {
  it("marks the corrected notice withdrawn and links the two both ways", async () => {
    const correction = await runAndPublish(planId);
    const older = (await get(`/portal/notices/${first}`)).body;
    expect(older).toContain('<p class="status status-withdrawn">已撤回</p>');
    expect(older).toContain(`<a href="/portal/notices/${correction}">本公示已被更正，请查看更正后的公示</a>`);
    const newer = (await get(`/portal/notices/${correction}?lang=en`)).body;
    expect(newer).toContain(
      `<a href="/portal/notices/${first}?lang=en">This notice corrects an earlier one</a>`,
    );
    // The list shows both, the correction first.
    const list = (await get("/portal/results")).body;
    expect(list.indexOf(correction)).toBeGreaterThan(0);
    expect(list.indexOf(correction)).toBeLessThan(list.indexOf(first));
  });
});
