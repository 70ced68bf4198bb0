import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSecurity } from "../../src/server/config.js";
import { auditLog, portalPages } from "../../src/server/db/schema/index.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * Once finalised, a publication's portal page and PDF are the final results notice (通报), a new sealed
 * document beside the public notice (公示), whose page, PDF and hashes stay as published and verify.
 */

const plan = () => ({
  ...examplePlan(),
  publication: { noticeDays: 5, show: ["rank", "total", "grade", "titles"] },
});
const PLAN = "2022年度市直单位工作目标责任制考核方案（示例）";
const NOTICE_TITLE = `${PLAN}结果公示`;
const FINAL_TITLE = `关于${PLAN}结果的通报`;

let t: TestApp;
let clock = Date.parse("2023-02-01T02:00:00Z");
let office: Client;
let planId = "";
let id = "";

const dir = mkdtempSync(join(tmpdir(), "kaohe-final-notice-"));
const textOf = (pdf: Buffer) => {
  const file = join(dir, "notice.pdf");
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
};
const flat = (s: string) => s.replace(/\s+/g, "");
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const sm3 = (b: Buffer | string) => createHash("sm3").update(b).digest("hex");
const get = (url: string) => t.app.inject({ method: "GET", url });
const verify = async (hash: string) => (await get(`/api/v1/public/verify?hash=${hash}`)).json();

/** What the public notice looked like before finalisation, to check it stays verifiable. */
const before: { article: string; articleEn: string; pdf: Buffer; etag: string } = {
  article: "",
  articleEn: "",
  pdf: Buffer.alloc(0),
  etag: "",
};

beforeAll(async () => {
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: plan(),
  });
  office = await t.signIn("office", ["office_staff"]);
  ({ planId } = await t.publish(office, plan()));
  const run = await office.request("POST", `/api/v1/plans/${planId}/runs`);
  expect(run.statusCode, run.body).toBe(201);
  const p = await office.request("POST", `/api/v1/plans/${planId}/runs/${run.json().id}/publish`);
  expect(p.statusCode, p.body).toBe(201);
  id = p.json().id;
  before.article = (await get(`/portal/notices/${id}/article.html`)).body;
  before.articleEn = (await get(`/portal/notices/${id}/article.html?lang=en`)).body;
  before.pdf = (await get(`/portal/notices/${id}/notice.pdf`)).rawPayload;
  before.etag = String((await get(`/portal/notices/${id}`)).headers.etag);
  // Before finalisation there is no final notice to serve.
  expect((await get(`/portal/notices/${id}/final-article.html`)).statusCode).toBe(404);
  expect((await get(`/portal/notices/${id}/final.pdf`)).statusCode).toBe(404);
  clock += 6 * 86_400_000; // 2023-02-07 10:00 Beijing, the notice over
  const f = await office.request("POST", `/api/v1/plans/${planId}/publications/${id}/finalise`);
  expect(f.statusCode, f.body).toBe(204);
}, 60_000);
afterAll(() => t.close());

describe("a finalised publication's portal page", () => {
  it("is the final results notice: its title, the results final, no notice period or objections", async () => {
    const r = await get(`/portal/notices/${id}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).not.toBe(before.etag);
    const article = (await get(`/portal/notices/${id}/final-article.html`)).body;
    expect(r.body).toContain(article);
    expect(article).toContain(`<h1>${FINAL_TITLE}</h1>`);
    expect(article).toContain(
      "考核结果于2023-02-01 10:00至2023-02-06 10:00进行了公示。公示结束后，考核结果已于2023-02-07确定为最终结果，现予通报。",
    );
    expect(article).toContain('<time datetime="2023-02-07T02:00:00.000Z">2023-02-07</time>');
    for (const word of ["公示期", "异议", "结果公示"]) expect(article).not.toContain(word);
    expect(r.body).toContain('<p class="status status-final">最终结果</p>');
    expect(r.body).toContain(`<title>${FINAL_TITLE}`);
    // Its PDF is the final one; the public notice's stays linked as what the final results follow.
    expect(r.body).toContain(`href="/portal/notices/${id}/final.pdf"`);
    expect(r.body).toContain(`href="/portal/notices/${id}/article.html"`);
    expect(r.body).toContain(`href="/portal/notices/${id}/notice.pdf"`);
    const en = (await get(`/portal/notices/${id}/final-article.html?lang=en`)).body;
    expect(en).toContain("Final results: 2022 target-responsibility assessment");
    expect(en).toContain("on 2023-02-07 the results were made final");
    expect(en).not.toMatch(/objection|until/i);
  });

  it("is a new sealed document: its hashes in the finalise audit entry and on the page, the public notice's unchanged", async () => {
    const article = (await get(`/portal/notices/${id}/final-article.html`)).body;
    const page = (await get(`/portal/notices/${id}`)).body;
    expect(page).toContain(`SM3: <code>${sm3(article)}</code>`);
    expect(page).toContain(`SHA-256: <code>${sha256(article)}</code>`);
    expect(page).toContain("本页内容哈希（定稿时记录）");
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, "results.finalise")));
    expect((entry!.after as { pageHashes: Record<string, unknown> }).pageHashes["zh-CN"]).toEqual({
      sm3: sm3(article),
      sha256: sha256(article),
    });
    // The public notice's article is served as published, immutable at its own address.
    const old = await get(`/portal/notices/${id}/article.html`);
    expect(old.body).toBe(before.article);
    expect(old.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await get(`/portal/notices/${id}/article.html?lang=en`)).body).toBe(before.articleEn);
  });

  it("verifies both the public notice's hashes and the final notice's, each named as what it is", async () => {
    const final = (await get(`/portal/notices/${id}/final-article.html`)).body;
    for (const [hash, edition, title] of [
      [sm3(before.article), "notice", NOTICE_TITLE],
      [sha256(before.articleEn), "notice", NOTICE_TITLE],
      [sha256(final), "final", FINAL_TITLE],
      [sm3(final), "final", FINAL_TITLE],
    ] as const) {
      const found = await verify(hash);
      expect(found.found, hash).toBe(true);
      expect(found.page).toMatchObject({
        publicationId: id,
        kind: "notice",
        form: "article",
        edition,
        title,
      });
    }
    const html = (await get(`/portal/verify?hash=${sha256(before.article)}`)).body;
    expect(html).toContain(`${NOTICE_TITLE}</a>（公示原文）`);
    expect((await get(`/portal/verify?hash=${sha256(final)}`)).body).toContain(
      `${FINAL_TITLE}</a>（最终结果通报）`,
    );
  });

  it("lists it as 最终结果 under the final title, on the home page and 考核结果", async () => {
    for (const url of ["/portal", "/portal/results"]) {
      const body = (await get(url)).body;
      expect(body).toContain(
        `<a href="/portal/notices/${id}">${FINAL_TITLE}</a> <span class="tag tag-final">最终结果</span>`,
      );
      expect(body).not.toContain(NOTICE_TITLE);
    }
  });

  it("refuses a final notice changed in the database, row hashes and all", async () => {
    // A fresh app: the running one already checked (and keeps) this page.
    const other = await t.another({ now: () => new Date(clock) });
    const [row] = await t.db.select().from(portalPages).where(eq(portalPages.publicationId, id));
    const forged = row!.finalArticles!["zh-CN"]!.replace("确定为最终结果", "确定为最终結果");
    expect(forged).not.toBe(row!.finalArticles!["zh-CN"]);
    const h = { sm3: sm3(forged), sha256: sha256(forged) };
    await t.db
      .update(portalPages)
      .set({
        finalArticles: { ...row!.finalArticles!, "zh-CN": forged },
        finalHashes: { ...row!.finalHashes!, "zh-CN": h },
        hashIndex: [...row!.hashIndex, h.sm3, h.sha256],
      })
      .where(eq(portalPages.publicationId, id));
    try {
      for (const url of [
        `/portal/notices/${id}`,
        `/portal/notices/${id}/final-article.html`,
        `/api/v1/public/verify?hash=${h.sha256}`,
      ]) {
        const r = await other.inject({ method: "GET", url });
        expect(r.statusCode, `${url} ${r.body}`).toBe(500);
        expect(r.json()).toMatchObject({ code: "INTEGRITY_VIOLATION" });
      }
    } finally {
      await t.db.update(portalPages).set(row!).where(eq(portalPages.publicationId, id));
    }
  });
});

describe("a finalised publication's PDF", () => {
  it("is the final results notice (pdftotext), with the final article's hashes in its footer", async () => {
    const r = await office.request("GET", `/api/v1/plans/${planId}/publications/${id}/notice.pdf`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers["content-disposition"]).toBe(`inline; filename="final-${id}.pdf"`);
    const pdf = r.rawPayload;
    expect(pdf.equals((await get(`/portal/notices/${id}/final.pdf`)).rawPayload)).toBe(true);
    const text = flat(textOf(pdf));
    expect(text).toContain(FINAL_TITLE);
    expect(text).toContain(flat("考核结果已于2023-02-07确定为最终结果，现予通报。"));
    for (const word of ["公示期", "异议", "结果公示"]) expect(text).not.toContain(word);
    const [row] = await t.db.select().from(portalPages).where(eq(portalPages.publicationId, id));
    expect(text).toContain(flat(`SM3: ${row!.finalHashes!["zh-CN"]!.sm3}`));
    const en = flat(textOf((await get(`/portal/notices/${id}/final.pdf?lang=en`)).rawPayload));
    expect(en).toContain(flat("Final results: 2022 target-responsibility assessment"));
    expect(en).not.toMatch(/objection/i);
  });

  it("has its hash recorded and verifiable, and the public notice's PDF stays as it was and verifies too", async () => {
    const final = (await get(`/portal/notices/${id}/final.pdf`)).rawPayload;
    const found = await verify(sha256(final));
    expect(found.page).toMatchObject({
      publicationId: id,
      form: "pdf",
      edition: "final",
      title: FINAL_TITLE,
    });
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "results.notice_pdf"), eq(auditLog.entityId, `${id}/final/zh-CN`)));
    expect(entry!.after).toMatchObject({ edition: "final", sha256: sha256(final), sm3: sm3(final) });
    const old = await get(`/portal/notices/${id}/notice.pdf`);
    expect(old.rawPayload.equals(before.pdf)).toBe(true);
    expect(flat(textOf(old.rawPayload))).toContain(NOTICE_TITLE);
    expect((await verify(sm3(before.pdf))).page).toMatchObject({
      form: "pdf",
      edition: "notice",
      title: NOTICE_TITLE,
    });
    const notice = await office.request(
      "GET",
      `/api/v1/plans/${planId}/publications/${id}/notice.pdf?edition=notice`,
    );
    expect(notice.rawPayload.equals(before.pdf)).toBe(true);
  });
});
