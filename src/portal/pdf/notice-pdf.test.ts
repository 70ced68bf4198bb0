import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NoticeContent } from "../pages/notice-model.js";
import { renderNoticePdf } from "./notice-pdf.js";

const dir = mkdtempSync(join(tmpdir(), "kaohe-pdf-"));
/** The text poppler's pdftotext recovers from a PDF (poppler-utils). */
const textOf = (pdf: Buffer, name: string) => {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
};
const fontsOf = (pdf: Buffer, name: string) => {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("pdffonts", [file], { encoding: "utf8" });
};
/** Text without its whitespace: pdftotext breaks lines where the PDF does. */
const flat = (s: string) => s.replace(/\s+/g, "");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

const hashes = { sm3: "a".repeat(64), sha256: "b".repeat(64) };
const content = (units: number): NoticeContent => ({
  plan: "2022年度市直单位工作目标责任制考核",
  planEn: "2022 target-responsibility assessment",
  publishedAt: new Date("2023-02-01T02:00:00Z"),
  noticeUntil: new Date("2023-02-06T02:00:00Z"),
  grades: [
    { code: "A", name: "优秀", nameEn: "Excellent" },
    { code: "B", name: "良好", nameEn: "Good" },
  ],
  units: Array.from({ length: units }, (_, i) => ({
    unit: `u${i}`,
    name: `第${i + 1}测试单位`,
    nameEn: `Unit ${i + 1}`,
    category: i % 3 === 2 ? null : i % 3 === 0 ? "经济发展类" : "社会事业类",
    rank: i + 1,
    total: 99 - i / 4,
    grade: i % 2 === 0 ? "A" : "B",
    titles: i === 0 ? ["优胜单位"] : [],
  })),
});

describe("renderNoticePdf", () => {
  it("writes the notice as selectable text in an embedded Noto CJK subset, the same bytes every time", async () => {
    const props = {
      id: "00000000-0000-4000-8000-000000000001",
      content: content(6),
      lang: "zh-CN" as const,
      articleHashes: hashes,
    };
    const a = await renderNoticePdf(props);
    const b = await renderNoticePdf(props);
    expect(sha256(a)).toBe(sha256(b));
    expect(a.subarray(0, 5).toString()).toBe("%PDF-");
    const text = textOf(a, "zh");
    expect(flat(text)).toContain("2022年度市直单位工作目标责任制考核结果公示");
    expect(flat(text)).toContain(
      flat("公示期至2023-02-06 10:00。对结果有异议的单位，请于公示期内通过考核系统提出"),
    );
    expect(text).toContain("考核工作办公室");
    expect(text).toMatch(/名次\s+单位\s+得分\s+等次\s+称号/);
    expect(text).toMatch(/1\s+第1测试单位\s+99\s+优秀\s+优胜单位/);
    expect(text).toMatch(/2\s+第2测试单位\s+98\.75\s+良好\s+—/);
    expect(text).toContain("其他单位");
    expect(text).toContain(`SM3: ${hashes.sm3}`);
    expect(text).toContain(`SHA-256: ${hashes.sha256}`);
    const fonts = fontsOf(a, "zh");
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
    expect(fonts).not.toMatch(/Helvetica/);
    // Another notice (another id) is another file, even with the same content.
    const other = await renderNoticePdf({ ...props, id: "00000000-0000-4000-8000-000000000002" });
    expect(sha256(other)).not.toBe(sha256(a));
  });

  it("runs a long table over pages, its header repeated, in English too, within bounds", async () => {
    const started = performance.now();
    const pdf = await renderNoticePdf({ id: "x", content: content(150), lang: "en", articleHashes: hashes });
    const ms = performance.now() - started;
    const text = textOf(pdf, "en");
    const pages = text.split("\f").filter((p) => p.trim() !== "");
    expect(pages.length).toBeGreaterThan(2);
    expect(flat(text)).toContain(flat("Public notice of results: 2022 target-responsibility assessment"));
    for (let i = 1; i <= 150; i++) expect(text).toContain(`Unit ${i} `);
    for (const [n, p] of pages.entries()) {
      expect(p).toContain(`Page ${n + 1} of ${pages.length}`);
      expect(p).toMatch(/Rank\s+Unit\s+Score\s+Grade\s+Titles/);
    }
    // 150 units: a few hundred KB at most, made in well under the request timeout on a loaded machine.
    expect(pdf.length).toBeLessThan(400_000);
    expect(ms).toBeLessThan(5_000);
  });
});
