import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSecurity } from "../../src/server/config.js";
import { auditLog, bulletins } from "../../src/server/db/schema/index.js";
import { verifyAuditChain } from "../../src/server/modules/audit/service.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * 喜报/通报 stored, edited and published (docs/bulletins.md): drafted by the service from a run for one
 * unit, edited by the office with the body kept to the allow-list, published on the portal with its
 * hashes recorded and sealed like a notice's, under an embargo if asked, once only, and withdrawable.
 * Only the office manages them; the public sees only published, visible ones.
 */

/** The example with 优秀 from 85 points: 市科技局 (88.48, first of its category) is 优秀 and 优胜单位. */
const plan = () => {
  const p = examplePlan();
  p.grades[0].minScore = 85;
  return p;
};

let t: TestApp;
let clock = Date.parse("2023-02-01T02:00:00Z");
let office: Client;
let reviewer: Client;
let leader: Client;
let planId = "";
let runId = "";

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "GET", url, headers });
const draft = async (body: Record<string, unknown> = { unit: "kjj" }) => {
  const r = await office.request("POST", `/api/v1/plans/${planId}/bulletins`, body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as {
    id: string;
    revision: number;
    bodies: Record<string, string>;
    titles: Record<string, string>;
  };
};

beforeAll(async () => {
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: true,
  });
  office = await t.signIn("office", ["office_staff"]);
  reviewer = await t.signIn("reviewer", ["reviewer"]);
  leader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  ({ planId } = await t.publish(office, plan()));
  const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
  runId = run.json().id;
});
afterAll(() => t.close());

describe("drafting from a run", () => {
  it("drafts the unit's bulletin from the run's results and rows, every sentence with its facts", async () => {
    const b = await draft({ unit: "kjj", runId });
    const full = (await office.request("GET", `/api/v1/bulletins/${b.id}`)).json();
    expect(full).toMatchObject({ status: "draft", unit: "kjj", runId, revision: 1, url: null, hashes: null });
    expect(full.titles["zh-CN"]).toBe(
      "喜报！市科技局荣获2022年度市直单位工作目标责任制考核优秀单位及优胜单位！",
    );
    // A3, 省级对口考核位次: 4th in 2022 from 5th in 2021 (the run's own rows).
    expect(full.bodies["zh-CN"]).toContain("省级对口考核位次由第五位提升至第四位");
    expect(full.bodies.en).toContain("up from fifth to fourth in the province");
    expect(full.bodies["zh-CN"]).toMatch(/<span class="fact" title="[^"]*A3\.rank\(2022\) = 4/);
    const facts = [
      full.draft.lead,
      full.draft.highlights,
      ...full.draft.sections.map((s: { sentences: unknown[] }) => s.sentences),
    ]
      .flat()
      .flatMap((s: { facts: unknown[] }) => s.facts);
    expect(facts).toContainEqual({ id: "A3", field: "rank", value: 5, year: 2021 });
    expect(facts).toContainEqual({ id: "grade", field: "grade", value: "优秀单位" });
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.entityId, b.id));
    expect(entry).toMatchObject({ action: "bulletin.draft", actor: "office" });
  });

  it("refuses a unit not in the run and a run of another plan, in both languages", async () => {
    const r = await office.request("POST", `/api/v1/plans/${planId}/bulletins`, { unit: "nobody" });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: "UNIT_NOT_IN_RUN", field: "unit" });
    const en = await office.request(
      "POST",
      `/api/v1/plans/${planId}/bulletins`,
      { unit: "nobody" },
      { "accept-language": "en" },
    );
    expect(en.json().detail ?? en.json().title).toMatch(/not in this scoring run/);
    const other = await office.request("POST", `/api/v1/plans/${planId}/bulletins`, {
      unit: "kjj",
      runId: "00000000-0000-4000-8000-000000000000",
    });
    expect(other.statusCode).toBe(404);
  });
});

describe("permissions", () => {
  it("lets only the office manage bulletins; others 403, the anonymous 401", async () => {
    const b = await draft();
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/v1/bulletins"],
      ["POST", `/api/v1/plans/${planId}/bulletins`, { unit: "kjj" }],
      ["GET", `/api/v1/bulletins/${b.id}`],
      ["PATCH", `/api/v1/bulletins/${b.id}`, { revision: 1, titles: { "zh-CN": "x" } }],
      ["POST", `/api/v1/bulletins/${b.id}/publish`],
      ["POST", `/api/v1/bulletins/${b.id}/withdraw`, { reason: "x" }],
    ];
    for (const [method, url, body] of calls) {
      for (const who of [reviewer, leader]) {
        const r = await who.request(method as "GET", url, body);
        expect(r.statusCode, `${method} ${url}`).toBe(403);
        expect(r.json().code).toBe("FORBIDDEN");
      }
      const anonymous = await t.app.inject({ method: method as "GET", url, payload: body as object });
      expect([401, 403], `${method} ${url}`).toContain(anonymous.statusCode);
    }
    expect((await office.request("GET", `/api/v1/bulletins/${b.id}`)).json().revision).toBe(1);
  });
});

describe("editing", () => {
  it("keeps the body to the allow-list: scripts, handlers, links, styles and foreign classes go", async () => {
    const b = await draft();
    const evil =
      '<p onclick="steal()">好<script>alert(1)</script><a href="https://bet.example/">博彩</a>' +
      '<span class="fact x" data-facts="A1.value = 24" style="display:none">实</span>' +
      '<img src=x onerror=alert(2)><iframe src="https://x.example"></iframe></p><h2>标题</h2><ul><li><strong>一</strong></li></ul>';
    const r = await office.request("PATCH", `/api/v1/bulletins/${b.id}`, {
      revision: 1,
      titles: { "zh-CN": "<b>喜报</b>！标题" },
      bodies: { "zh-CN": evil },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json().bodies["zh-CN"] as string;
    expect(body).toBe(
      '<p>好博彩<span class="fact" data-facts="A1.value = 24">实</span></p><h2>标题</h2><ul><li><strong>一</strong></li></ul>',
    );
    expect(r.json().titles["zh-CN"]).toBe("喜报！标题");
    expect(r.json().revision).toBe(2);
    // The English body was not sent, so it is kept as drafted.
    expect(r.json().bodies.en).toBe(b.bodies.en);
  });

  it("refuses an edit from a stale revision (409 STALE_REVISION) and an empty title", async () => {
    const b = await draft();
    const ok = await office.request("PATCH", `/api/v1/bulletins/${b.id}`, {
      revision: 1,
      titles: { en: "A" },
    });
    expect(ok.statusCode).toBe(200);
    const stale = await office.request("PATCH", `/api/v1/bulletins/${b.id}`, {
      revision: 1,
      titles: { en: "B" },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: "STALE_REVISION", field: "revision", revision: 2 });
    const empty = await office.request("PATCH", `/api/v1/bulletins/${b.id}`, {
      revision: 2,
      titles: { "zh-CN": "<i></i>" },
    });
    expect(empty.json()).toMatchObject({ status: 400, code: "EMPTY_TITLE", field: "titles.zh-CN" });
  });
});

describe("publishing", () => {
  let published = "";

  it("refuses to publish before the run's results are published", async () => {
    const b = await draft();
    const r = await office.request("POST", `/api/v1/bulletins/${b.id}/publish`);
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe("RESULTS_NOT_PUBLISHED");
    const p = await office.request("POST", `/api/v1/plans/${planId}/runs/${runId}/publish`);
    expect(p.statusCode, p.body).toBe(201);
  });

  it("publishes once: three at once give one publication, the others 409 ALREADY_PUBLISHED", async () => {
    const b = await draft();
    const url = `/api/v1/bulletins/${b.id}/publish`;
    const replies = await Promise.all([1, 2, 3].map(() => office.request("POST", url)));
    expect(replies.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    for (const r of replies.filter((r) => r.statusCode === 409))
      expect(r.json().code).toBe("ALREADY_PUBLISHED");
    const again = await office.request("POST", url);
    expect(again.json()).toMatchObject({ status: 409, code: "ALREADY_PUBLISHED" });
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.entityId, b.id));
    expect(entries.filter((e) => e.action === "bulletin.publish")).toHaveLength(1);
    // A published bulletin's text is fixed.
    const edit = await office.request("PATCH", `/api/v1/bulletins/${b.id}`, {
      revision: 1,
      titles: { en: "x" },
    });
    expect(edit.json()).toMatchObject({ status: 409, code: "ALREADY_PUBLISHED" });
    published = b.id;
  });

  it("serves the page on the portal: breadcrumb, the article byte for byte, its hashes in the footer", async () => {
    const page = await get(`/portal/bulletins/${published}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      /<li><a href="\/portal">首页<\/a><\/li><li><a href="\/portal\/bulletins">喜报\/通报<\/a><\/li><li aria-current="page">喜报！市科技局荣获/,
    );
    const article = (await get(`/portal/bulletins/${published}/article.html`)).body;
    expect(article.startsWith('<article id="notice" class="notice bulletin" lang="zh-CN">')).toBe(true);
    expect(page.body).toContain(article);
    const sha256 = createHash("sha256").update(article, "utf8").digest("hex");
    const sm3 = createHash("sm3").update(article, "utf8").digest("hex");
    expect(page.body).toContain(`SM3: <code>${sm3}</code>`);
    expect(page.body).toContain(`SHA-256: <code>${sha256}</code>`);
    const [entry] = (await t.db.select().from(auditLog).where(eq(auditLog.entityId, published))).filter(
      (e) => e.action === "bulletin.publish",
    );
    expect((entry!.after as { pageHashes: Record<string, unknown> }).pageHashes["zh-CN"]).toEqual({
      sm3,
      sha256,
    });
    const en = await get(`/portal/bulletins/${published}?lang=en`);
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain("Good news: S&amp;T Bureau was rated Excellent Unit");
    // Listed on the home page and the list page; verify knows the hash (HTML and JSON).
    for (const url of ["/portal", "/portal/bulletins"])
      expect((await get(url)).body, url).toContain(`href="/portal/bulletins/${published}"`);
    const verify = (await get(`/portal/verify?hash=${sm3}`)).body;
    expect(verify).toContain(`href="/portal/bulletins/${published}"`);
    expect((await get(`/api/v1/public/verify?hash=${sha256}`)).json()).toMatchObject({
      found: true,
      page: {
        publicationId: published,
        kind: "bulletin",
        url: `/portal/bulletins/${published}`,
        algorithm: "sha256",
      },
    });
    // Cacheable: ETag and 304.
    const again = await get(`/portal/bulletins/${published}`, { "if-none-match": String(page.headers.etag) });
    expect(again.statusCode).toBe(304);
    // Drafts are nowhere public.
    const drafts = await t.db
      .select({ id: bulletins.id })
      .from(bulletins)
      .where(eq(bulletins.status, "draft"));
    for (const d of drafts) expect((await get(`/portal/bulletins/${d.id}`)).statusCode).toBe(404);
  });

  it("keeps a bulletin under embargo invisible everywhere public until its time", async () => {
    const b = await draft();
    const past = await office.request("POST", `/api/v1/bulletins/${b.id}/publish`, {
      visibleFrom: new Date(clock - 60_000).toISOString(),
    });
    expect(past.json()).toMatchObject({ status: 400, code: "EMBARGO_IN_PAST", field: "visibleFrom" });
    const at = new Date(clock + 86_400_000);
    const r = await office.request("POST", `/api/v1/bulletins/${b.id}/publish`, {
      visibleFrom: at.toISOString(),
    });
    expect(r.statusCode, r.body).toBe(200);
    const hash = r.json().hashes["zh-CN"].sha256 as string;
    const hidden = async () => {
      expect((await get(`/portal/bulletins/${b.id}`)).statusCode).toBe(404);
      expect((await get(`/portal/bulletins/${b.id}/article.html`)).statusCode).toBe(404);
      expect((await get("/portal/bulletins")).body).not.toContain(b.id);
      expect((await get(`/api/v1/public/verify?hash=${hash}`)).json().found).toBe(false);
    };
    await hidden();
    clock = at.getTime() + 1000;
    expect((await get(`/portal/bulletins/${b.id}`)).statusCode).toBe(200);
    expect((await get(`/api/v1/public/verify?hash=${hash}`)).json().found).toBe(true);
  });

  it("refuses to serve a page changed in the database (500 INTEGRITY_VIOLATION)", async () => {
    const b = await draft();
    expect((await office.request("POST", `/api/v1/bulletins/${b.id}/publish`)).statusCode).toBe(200);
    const [row] = await t.db.select().from(bulletins).where(eq(bulletins.id, b.id));
    const forged = row!.articles!["zh-CN"]!.replace("市科技局", "某某局");
    const hashes = {
      ...row!.hashes!,
      "zh-CN": { sm3: "", sha256: createHash("sha256").update(forged).digest("hex") },
    };
    await t.db
      .update(bulletins)
      .set({ articles: { ...row!.articles!, "zh-CN": forged }, hashes })
      .where(eq(bulletins.id, b.id));
    const r = await get(`/portal/bulletins/${b.id}`);
    expect(r.statusCode).toBe(500);
    expect(r.json().code).toBe("INTEGRITY_VIOLATION");
  });

  it("withdraws a bulletin: gone from the portal, once", async () => {
    const r = await office.request("POST", `/api/v1/bulletins/${published}/withdraw`, { reason: "数据更正" });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: "withdrawn", withdrawReason: "数据更正", url: null });
    expect((await get(`/portal/bulletins/${published}`)).statusCode).toBe(404);
    expect((await get("/portal")).body).not.toContain(published);
    const again = await office.request("POST", `/api/v1/bulletins/${published}/withdraw`, { reason: "x" });
    expect(again.json()).toMatchObject({ status: 409, code: "BULLETIN_WITHDRAWN" });
    const publishAgain = await office.request("POST", `/api/v1/bulletins/${published}/publish`);
    expect(publishAgain.json()).toMatchObject({ status: 409, code: "BULLETIN_WITHDRAWN" });
    const b = await draft();
    const notYet = await office.request("POST", `/api/v1/bulletins/${b.id}/withdraw`, { reason: "x" });
    expect(notYet.json()).toMatchObject({ status: 409, code: "BULLETIN_NOT_PUBLISHED" });
  });

  it("lists the office's bulletins and keeps the audit chain intact", async () => {
    const list = (await office.request("GET", `/api/v1/bulletins?planId=${planId}`)).json().items;
    expect(list.length).toBeGreaterThan(5);
    expect(new Set(list.map((b: { status: string }) => b.status))).toEqual(
      new Set(["draft", "published", "withdrawn"]),
    );
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
