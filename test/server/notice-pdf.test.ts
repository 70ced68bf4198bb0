import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandContext } from "../../src/cli/command.js";
import { runNoticeKeygen, writeNoticePdf } from "../../src/cli/commands/notice.js";
import { defaultSecurity } from "../../src/server/config.js";
import { auditLog, noticePdfs, portalPages, publications } from "../../src/server/db/schema/index.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * A results notice as PDF (docs/portal.md): the office downloads it, the portal links it; it is parsed
 * back with poppler's pdftotext, made once and kept, and its own hashes verify like the pages'.
 */

const plan = () => ({
  ...examplePlan(),
  publication: { noticeDays: 5, show: ["rank", "total", "grade", "titles"] },
});
const TITLE = "2022年度市直单位工作目标责任制考核方案（示例）结果公示";

let t: TestApp;
const clock = Date.parse("2023-02-01T02:00:00Z");
let office: Client;
let planId = "";
let notice = "";

const dir = mkdtempSync(join(tmpdir(), "kaohe-notice-pdf-"));
/** What pdftotext (poppler-utils) reads from a PDF, laid out as on the page. */
const textOf = (pdf: Buffer) => {
  const file = join(dir, "notice.pdf");
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
};
const flat = (s: string) => s.replace(/\s+/g, "");
const hex = (algorithm: string, b: Buffer) => createHash(algorithm).update(b).digest("hex");
const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "GET", url, headers });
const officePdf = (id: string, lang = "zh-CN") =>
  office.request("GET", `/api/v1/plans/${planId}/publications/${id}/notice.pdf?lang=${lang}`);
const upload = (content: Buffer) => {
  const boundary = "----kaohe-test";
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notice.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: "POST",
    url: "/portal/verify",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    payload,
  });
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
  notice = p.json().id;
});
afterAll(() => t.close());

describe("the office's notice PDF", () => {
  it("is an A4 PDF whose text pdftotext recovers: the title, every unit's rank, score and grade, the period, the office", async () => {
    const started = performance.now();
    const r = await officePdf(notice);
    const ms = performance.now() - started;
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers["content-type"]).toBe("application/pdf");
    expect(r.headers["content-disposition"]).toBe(`inline; filename="notice-${notice}.pdf"`);
    const pdf = r.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // Bounded: the example's 9 units in a font subset, made within seconds on a loaded machine.
    expect(pdf.length).toBeLessThan(300_000);
    expect(ms).toBeLessThan(15_000);
    expect(execFileSync("pdfinfo", ["-"], { input: pdf, encoding: "utf8" })).toMatch(
      /Page size:\s+595\.28 x 841\.89 pts \(A4\)/,
    );
    const text = textOf(pdf);
    expect(flat(text)).toContain(TITLE);
    const [row] = await t.db
      .select({ view: publications.publicView, noticeUntil: publications.noticeUntil })
      .from(publications)
      .where(eq(publications.id, notice));
    const units = row!.view as { name: string; rank: number | null; total: number; grade: string | null }[];
    expect(units.length).toBeGreaterThan(5);
    // A unit outside the ranking (rank and grade null) shows a dash, as on the portal.
    expect(units.some((u) => u.grade === null)).toBe(true);
    for (const u of units)
      expect(text, u.name).toMatch(
        new RegExp(`${u.rank ?? "—"}\\s+${u.name}\\s+${u.total}\\s+${u.grade ?? "—"}`),
      );
    expect(flat(text)).toContain("公示期至2023-02-0610:00。对结果有异议的单位，请于公示期内通过考核系统提出");
    expect(text).toContain("考核工作办公室");
    // The footer carries the hashes of the published article (the portal page), which verify knows.
    const [page] = await t.db.select().from(portalPages).where(eq(portalPages.publicationId, notice));
    expect(text).toContain(`SM3: ${page!.hashes["zh-CN"]!.sm3}`);
    expect(text).toContain(`SHA-256: ${page!.hashes["zh-CN"]!.sha256}`);
  });

  it("is made once, the same bytes ever after, its hashes recorded in the sealed audit trail", async () => {
    const [a, b] = [
      (await officePdf(notice)).rawPayload,
      (await get(`/portal/notices/${notice}/notice.pdf`)).rawPayload,
    ];
    expect(hex("sha256", b)).toBe(hex("sha256", a));
    const [stored] = await t.db
      .select()
      .from(noticePdfs)
      .where(and(eq(noticePdfs.publicationId, notice), eq(noticePdfs.lang, "zh-CN")));
    expect(stored!.sha256).toBe(hex("sha256", a));
    expect(stored!.sm3).toBe(hex("sm3", a));
    const entries = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "results.notice_pdf"), eq(auditLog.entityId, `${notice}/zh-CN`)));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor).toBe("office");
    expect(entries[0]!.after).toMatchObject({ sha256: stored!.sha256, sm3: stored!.sm3 });
    // Another node (no cache) serves the stored bytes, not a new rendering.
    const other = await t.another({ now: () => new Date(clock) });
    const again = await other.inject({ method: "GET", url: `/portal/notices/${notice}/notice.pdf` });
    expect(hex("sha256", again.rawPayload)).toBe(stored!.sha256);
  });

  it("answers an unknown publication with a 404 problem, a malformed id with 400, and other roles with 403", async () => {
    const unknown = await officePdf("00000000-0000-4000-8000-000000000000");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers["content-type"]).toContain("application/problem+json");
    expect(unknown.json().code).toBe("NOT_FOUND");
    const malformed = await office.request("GET", `/api/v1/plans/${planId}/publications/x/notice.pdf`);
    expect(malformed.statusCode).toBe(400);
    const reviewer = await t.signIn("reviewer-pdf", ["reviewer"]);
    const denied = await reviewer.request("GET", `/api/v1/plans/${planId}/publications/${notice}/notice.pdf`);
    expect(denied.statusCode).toBe(403);
    const anonymous = await get(`/api/v1/plans/${planId}/publications/${notice}/notice.pdf`);
    expect(anonymous.statusCode).toBe(401);
  });
});

describe("the portal's notice PDF", () => {
  it("is linked from the notice page, in the page's language, and cached by its hash", async () => {
    const page = (await get(`/portal/notices/${notice}`)).body;
    expect(page).toContain(`href="/portal/notices/${notice}/notice.pdf"`);
    const en = (await get(`/portal/notices/${notice}?lang=en&size=l`)).body;
    expect(en).toContain(`href="/portal/notices/${notice}/notice.pdf?lang=en"`);
    const r = await get(`/portal/notices/${notice}/notice.pdf?lang=en`);
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("application/pdf");
    expect(r.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(r.headers.etag).toBe(`"${hex("sha256", r.rawPayload)}"`);
    const text = textOf(r.rawPayload);
    expect(flat(text)).toContain(flat("Public notice of results: 2022 target-responsibility assessment"));
    expect(text).toMatch(/Rank\s+Unit\s+Score\s+Grade\s+Titles/);
    expect(text).toMatch(/1\s+S&T Bureau\s+\d+\.\d+\s+good/);
    const cached = await get(`/portal/notices/${notice}/notice.pdf?lang=en`, {
      "if-none-match": r.headers.etag as string,
    });
    expect(cached.statusCode).toBe(304);
    expect((await get("/portal/notices/00000000-0000-4000-8000-000000000000/notice.pdf")).statusCode).toBe(
      404,
    );
    expect((await get("/portal/notices/nonsense/notice.pdf")).statusCode).toBe(404);
  });

  it("verifies: its SHA-256 and SM3 by GET /public/verify and the verify page, the file by upload; a changed file does not", async () => {
    const pdf = (await get(`/portal/notices/${notice}/notice.pdf`)).rawPayload;
    const api = (await get(`/api/v1/public/verify?hash=${hex("sha256", pdf)}`)).json();
    expect(api).toMatchObject({
      found: true,
      page: { publicationId: notice, kind: "notice", form: "pdf", lang: "zh-CN", algorithm: "sha256" },
    });
    const sm3 = (await get(`/api/v1/public/verify?hash=${hex("sm3", pdf)}`)).json();
    expect(sm3.page).toMatchObject({ kind: "notice", form: "pdf", algorithm: "sm3" });
    expect((await get(`/portal/verify?hash=${hex("sm3", pdf)}`)).body).toContain(`${TITLE}</a>（PDF 版）`);
    const ok = await upload(pdf);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("文件与已发布的页面一致");
    expect(ok.body).toContain("（PDF 版）");
    const changed = Buffer.from(pdf);
    changed[changed.length - 20] = changed[changed.length - 20]! ^ 1;
    expect((await upload(changed)).body).toContain("文件与任何已发布的页面都不一致");
  });

  it("does not verify, nor serve, a PDF changed in the database", async () => {
    const [stored] = await t.db
      .select()
      .from(noticePdfs)
      .where(and(eq(noticePdfs.publicationId, notice), eq(noticePdfs.lang, "zh-CN")));
    const forged = Buffer.concat([stored!.content, Buffer.from("\n% forged\n")]);
    const hashes = { sha256: hex("sha256", forged), sm3: hex("sm3", forged) };
    await t.db
      .update(noticePdfs)
      .set({ content: forged, ...hashes })
      .where(and(eq(noticePdfs.publicationId, notice), eq(noticePdfs.lang, "zh-CN")));
    try {
      // Its row's hashes match the forged bytes, but the sealed audit entry recorded others.
      expect((await get(`/api/v1/public/verify?hash=${hashes.sha256}`)).json().found).toBe(false);
      const fresh = await t.another({ now: () => new Date(clock) });
      const refused = await fresh.inject({ method: "GET", url: `/portal/notices/${notice}/notice.pdf` });
      expect(refused.statusCode).toBe(500);
      expect(refused.json().code).toBe("INTEGRITY_VIOLATION");
      await t.db
        .update(noticePdfs)
        .set({ content: forged })
        .where(and(eq(noticePdfs.publicationId, notice), eq(noticePdfs.lang, "zh-CN")));
      await t.db
        .update(noticePdfs)
        .set({ sha256: stored!.sha256, sm3: stored!.sm3 })
        .where(and(eq(noticePdfs.publicationId, notice), eq(noticePdfs.lang, "zh-CN")));
      // Bytes that are not those of the row's hashes are refused by a node that had not served them yet.
      const other = await t.another({ now: () => new Date(clock) });
      const r = await other.inject({ method: "GET", url: `/portal/notices/${notice}/notice.pdf` });
      expect(r.statusCode).toBe(500);
    } finally {
      await t.db
        .update(noticePdfs)
        .set({ content: stored!.content, sha256: stored!.sha256, sm3: stored!.sm3 })
        .where(and(eq(noticePdfs.publicationId, notice), eq(noticePdfs.lang, "zh-CN")));
    }
  });
});

describe("kaohe notice pdf, keygen, sign and verify", () => {
  const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
  const kaohe = (...args: string[]) =>
    spawnSync(process.execPath, [bin, "--lang", "en", ...args], { encoding: "utf8", timeout: 60_000 });

  it("writes the stored PDF with a detached Ed25519 signature that verifies, and refuses a changed file", async () => {
    const key = join(dir, "office.key");
    const lines: string[] = [];
    const ctx = {
      positionals: [key],
      values: {},
      lang: "en",
      out: (s: string) => lines.push(s),
      err: () => {},
      env: {},
    };
    expect(runNoticeKeygen(ctx as CommandContext)).toBe(0);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(() => runNoticeKeygen(ctx as CommandContext)).toThrow(/not overwritten/);
    const file = join(dir, "from-cli.pdf");
    const written = await writeNoticePdf(t.db, {
      id: notice,
      lang: "zh-CN",
      file,
      key: readFileSync(key, "utf8"),
      actor: "command line (test)",
    });
    const [stored] = await t.db
      .select({ sha256: noticePdfs.sha256 })
      .from(noticePdfs)
      .where(and(eq(noticePdfs.publicationId, notice), eq(noticePdfs.lang, "zh-CN")));
    expect(hex("sha256", readFileSync(file))).toBe(stored!.sha256);
    expect(written.signature).toBe(`${file}.sig`);
    const ok = kaohe("notice", "verify", file, `${file}.sig`, "--key", `${key}.pub`);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("valid: from-cli.pdf was signed by this key and is unchanged");
    const changed = join(dir, "changed.pdf");
    writeFileSync(changed, Buffer.concat([readFileSync(file), Buffer.from(" ")]));
    const bad = kaohe("notice", "verify", changed, `${file}.sig`, "--key", `${key}.pub`);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("the file is not the one signed");
    // kaohe notice sign signs any file the same way; a missing key is a usage error.
    const signed = kaohe("notice", "sign", changed, "--key", key);
    expect(signed.status, signed.stderr).toBe(0);
    expect(kaohe("notice", "verify", changed, `${changed}.sig`, "--key", `${key}.pub`).status).toBe(0);
    expect(kaohe("notice", "verify", changed, `${changed}.sig`).status).toBe(2);
    await expect(
      writeNoticePdf(t.db, { id: "00000000-0000-4000-8000-000000000000", lang: "en", file, actor: "test" }),
    ).rejects.toThrow(/no notice page/);
  });
});
