import { describe, expect, it } from "vitest";
import { scanPage } from "../check/index.js";
import { axisMax, categoryChart } from "./chart.js";

const grades = ["优秀", "良好", "合格"];
const rows = [
  { name: "市科技局", total: 96.5, grade: "优秀" },
  { name: "市发展和改革委员会", total: 88, grade: "良好" },
  { name: "市统计局", total: 71.25, grade: "合格" },
];

/** The bars' widths, in order. */
const widths = (svg: string) =>
  [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="16"/g)].map((m) => Number(m[1]));

describe("a category's chart on the portal", () => {
  it("rounds the axis up to a round number at or above the highest score", () => {
    expect(axisMax(96.5)).toBe(100);
    expect(axisMax(100)).toBe(100);
    expect(axisMax(101)).toBe(200);
    expect(axisMax(23)).toBe(25);
    expect(axisMax(0)).toBe(1);
  });

  it("draws one bar per unit in rank order, its length in proportion to the score, coloured by grade", () => {
    const svg = categoryChart({ lang: "zh-CN", id: "c0", category: "经济发展类", rows, grades })!.text;
    const w = widths(svg);
    expect(w).toHaveLength(3);
    expect(w[0]! / w[1]!).toBeCloseTo(96.5 / 88, 6);
    expect(w[1]! / w[2]!).toBeCloseTo(88 / 71.25, 6);
    // Each grade its own fill, the legend naming the grades used.
    const fills = [...svg.matchAll(/height="16" fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    expect(new Set(fills).size).toBe(3);
    expect(svg).toContain(">良好</text>");
    expect(svg).toContain('role="img" aria-labelledby="c0-title c0-desc"');
    expect(svg).toContain("最高 96.5 分（市科技局），最低 71.25 分（市统计局）");
    expect(svg).toContain("<figcaption>经济发展类各单位得分</figcaption>");
  });

  it("counts the units per grade where the public sees grades but not scores", () => {
    const graded = rows.map(({ name, grade }) => ({ name, grade }));
    graded.push({ name: "市审计局", grade: "优秀" });
    const svg = categoryChart({ lang: "en", id: "c1", category: "Economy", rows: graded, grades })!.text;
    expect(widths(svg)).toHaveLength(0);
    expect(svg).toContain("Column chart: 优秀 2, 良好 1, 合格 1.");
    // An empty better grade is drawn (as no bar), the grades below the lowest given are not.
    const good = categoryChart({
      lang: "zh-CN",
      id: "c5",
      category: "x",
      rows: [{ name: "a", grade: "良好" }],
      grades,
    })!.text;
    expect(good).toContain("柱形图：优秀 0 个，良好 1 个。");
    expect(good.match(/<rect /g)).toHaveLength(1);
  });

  it("draws nothing where the public sees neither scores nor grades", () => {
    expect(
      categoryChart({ lang: "zh-CN", id: "c2", category: "x", rows: [{ name: "a" }], grades }),
    ).toBeNull();
  });

  it("escapes a unit's name and cuts a long one, keeping it whole in the bar's title", () => {
    const long = "<script>alert(1)</script>市城市管理综合行政执法局机关事务服务中心";
    const svg = categoryChart({
      lang: "zh-CN",
      id: "c3",
      category: "执法监管类",
      rows: [{ name: long, total: 50, grade: "合格" }],
      grades,
    })!.text;
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toMatch(/…<\/text>/);
    expect(svg).toContain(
      `<title>&lt;script&gt;alert(1)&lt;/script&gt;市城市管理综合行政执法局机关事务服务中心：50`,
    );
  });

  it("passes the portal's tampering scan (no hidden text, no junk tags)", () => {
    const svg = categoryChart({ lang: "zh-CN", id: "c4", category: "经济发展类", rows, grades })!.text;
    const page = `<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main>${svg}</main></body></html>`;
    expect(scanPage(page)).toEqual([]);
  });
});
