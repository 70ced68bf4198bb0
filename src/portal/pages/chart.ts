import type { Lang } from "../../engine/errors.js";
import { type Html, html } from "./html.js";

/** A unit as a category's chart draws it: its name, and its score and grade where the public sees them. */
export interface ChartRow {
  name: string;
  total?: number | undefined;
  /** The grade's name as shown, or undefined where the unit has none or the plan hides it. */
  grade?: string | undefined;
}

export interface CategoryChartProps {
  lang: Lang;
  /** A unique id prefix for the chart's title and description (aria-labelledby). */
  id: string;
  category: string;
  /** The category's units by rank. */
  rows: readonly ChartRow[];
  /** The plan's grade names, best first: the colours' and the legend's order. */
  grades: readonly string[];
}

/**
 * Fills of the grades, best first; each at least 3:1 against white (WCAG 1.4.11). A grade past the
 * last shares its grey.
 */
const FILLS = ["#a50000", "#b35900", "#1d5fa8", "#4f7a00", "#6e6e6e"];
const fillOf = (grades: readonly string[], grade: string | undefined) => {
  const k = grade === undefined ? -1 : grades.indexOf(grade);
  return k < 0 ? FILLS[FILLS.length - 1]! : FILLS[Math.min(k, FILLS.length - 1)]!;
};

/** The score chart's width: small enough that a 360 px phone shows its text at a readable size. */
const WIDTH = 520;
const FONT = 14;

/** The width of a text in the chart's units: a CJK character is about 1 em, Latin about 0.6 em. */
const textWidth = (s: string) =>
  [...s].reduce((w, c) => w + (/[\u2e80-\uffff]/.test(c) ? FONT : FONT * 0.6), 0);

/** A name cut to a width, with an ellipsis where cut (its full text stays in the row's <title>). */
function fitted(s: string, width: number): string {
  if (textWidth(s) <= width) return s;
  let out = "";
  for (const c of s) {
    if (textWidth(`${out}${c}…`) > width) break;
    out += c;
  }
  return `${out}…`;
}

/** A round axis end at or above the highest score: 10, 20, 50, 100, 200 … steps. */
export function axisMax(max: number): number {
  if (!(max > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= max) return m * step;
  return 10 * step;
}

const number = (n: number) => String(Math.round(n * 100) / 100);

const T = {
  "zh-CN": {
    scores: (c: string) => `${c}各单位得分`,
    grades: (c: string) => `${c}各等次单位数`,
    scoresDesc: (n: number, hi: string, lo: string) =>
      `横向条形图，按名次排列 ${n} 个单位的得分，条形颜色表示等次；最高 ${hi}，最低 ${lo}。各单位数值见下表。`,
    gradesDesc: (parts: string) => `柱形图：${parts}。各单位等次见下表。`,
    count: (name: string, n: number) => `${name} ${n} 个`,
    unitsOf: (n: number) => `${n} 个`,
    sep: "，",
  },
  en: {
    scores: (c: string) => `${c}: scores of the units`,
    grades: (c: string) => `${c}: units per grade`,
    scoresDesc: (n: number, hi: string, lo: string) =>
      `Horizontal bar chart of the scores of ${n} units in rank order, each bar coloured by grade; highest ${hi}, lowest ${lo}. The table below gives every value.`,
    gradesDesc: (parts: string) => `Column chart: ${parts}. The table below gives each unit's grade.`,
    count: (name: string, n: number) => `${name} ${n}`,
    unitsOf: (n: number) => String(n),
    sep: ", ",
  },
} as const;

/**
 * A category's results as an inline SVG drawn on the server (it works with JavaScript off and prints):
 * the units' scores as bars coloured by grade where the public sees scores, otherwise how many units
 * have each grade. The table beside it is the chart's table view; the SVG's title and description say
 * what it shows for a screen reader. Null where there is nothing to draw (no scores and no grades).
 */
export function categoryChart(p: CategoryChartProps): Html | null {
  const scored = p.rows.filter((r): r is ChartRow & { total: number } => typeof r.total === "number");
  if (scored.length > 0) return scoreBars(p, scored);
  if (p.rows.some((r) => r.grade !== undefined)) return gradeColumns(p);
  return null;
}

function frame(
  p: CategoryChartProps,
  title: string,
  desc: string,
  size: { width: number; height: number },
  body: Html,
): Html {
  const { width, height } = size;
  const t = `${p.id}-title`;
  const d = `${p.id}-desc`;
  return html`<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${t} ${d}" font-size="${FONT}" font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif">
<title id="${t}">${title}</title>
<desc id="${d}">${desc}</desc>
${body}
</svg>
<figcaption>${title}</figcaption>
</figure>`;
}

function legend(p: CategoryChartProps, y: number): Html {
  const used = p.grades.filter((g) => p.rows.some((r) => r.grade === g));
  let x = 0;
  return html`<g class="legend" aria-hidden="true">${used.map((g) => {
    const item = html`<rect x="${x}" y="${y}" width="12" height="12" fill="${fillOf(p.grades, g)}"/><text x="${x + 16}" y="${y + 11}" fill="#333">${g}</text>`;
    x += 16 + textWidth(g) + 20;
    return item;
  })}</g>`;
}

function scoreBars(p: CategoryChartProps, rows: readonly (ChartRow & { total: number })[]): Html {
  const w = T[p.lang];
  const labelWidth = Math.min(170, Math.max(...rows.map((r) => textWidth(r.name))) + 8);
  const left = labelWidth + 4;
  const right = 56;
  const top = 24;
  const rowHeight = 26;
  const plot = WIDTH - left - right;
  const max = axisMax(Math.max(...rows.map((r) => r.total)));
  const hasLegend = rows.some((r) => r.grade !== undefined);
  const height = top + rows.length * rowHeight + (hasLegend ? 36 : 8);
  const x = (v: number) => left + (Math.max(0, v) / max) * plot;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const axis = html`<g class="axis" aria-hidden="true">${ticks.map(
    (v) =>
      html`<line x1="${x(v)}" x2="${x(v)}" y1="${top - 6}" y2="${top + rows.length * rowHeight}" stroke="#d9d9d9"/><text x="${x(v)}" y="${top - 10}" text-anchor="middle" fill="#555">${number(v)}</text>`,
  )}</g>`;
  const bars = rows.map((r, k) => {
    const y = top + k * rowHeight;
    return html`<g><title>${r.name}${p.lang === "en" ? ": " : "："}${number(r.total)}${r.grade ? ` · ${r.grade}` : ""}</title><text x="${labelWidth}" y="${y + 17}" text-anchor="end" fill="#1f1f1f">${fitted(r.name, labelWidth - 8)}</text><rect x="${left}" y="${y + 5}" width="${Math.max(1, x(r.total) - left)}" height="16" fill="${fillOf(p.grades, r.grade)}"/><text x="${x(r.total) + 4}" y="${y + 18}" fill="#1f1f1f">${number(r.total)}</text></g>`;
  });
  const hi = rows.reduce((a, b) => (b.total > a.total ? b : a));
  const lo = rows.reduce((a, b) => (b.total < a.total ? b : a));
  const named = (r: ChartRow & { total: number }) =>
    p.lang === "en" ? `${number(r.total)} (${r.name})` : `${number(r.total)} 分（${r.name}）`;
  return frame(
    p,
    w.scores(p.category),
    w.scoresDesc(rows.length, named(hi), named(lo)),
    { width: WIDTH, height },
    html`${axis}${bars}${hasLegend && legend(p, top + rows.length * rowHeight + 16)}`,
  );
}

function gradeColumns(p: CategoryChartProps): Html {
  const w = T[p.lang];
  // Every grade down to the lowest one given: an empty better grade says as much as a full one.
  const all = p.grades.map((g) => ({ grade: g, n: p.rows.filter((r) => r.grade === g).length }));
  const lowest = all.findLastIndex((c) => c.n > 0);
  const counts = all.slice(0, lowest + 1);
  const top = 28;
  const plotHeight = 140;
  const height = top + plotHeight + 32;
  const most = Math.max(1, ...counts.map((c) => c.n));
  const slot = 100;
  const width = Math.max(240, slot * counts.length);
  const offset = (width - slot * counts.length) / 2;
  const bars = counts.map((c, k) => {
    const h = (c.n / most) * plotHeight;
    const cx = offset + k * slot + slot / 2;
    const bar =
      c.n > 0 &&
      html`<rect x="${cx - slot * 0.3}" y="${top + plotHeight - h}" width="${slot * 0.6}" height="${h}" fill="${fillOf(p.grades, c.grade)}"/>`;
    return html`<g>${bar}<text x="${cx}" y="${top + plotHeight - h - 6}" text-anchor="middle" fill="#1f1f1f">${w.unitsOf(c.n)}</text><text x="${cx}" y="${top + plotHeight + 20}" text-anchor="middle" fill="#1f1f1f">${c.grade}</text></g>`;
  });
  return frame(
    p,
    w.grades(p.category),
    w.gradesDesc(counts.map((c) => w.count(c.grade, c.n)).join(w.sep)),
    { width, height },
    html`<line x1="0" x2="${width}" y1="${top + plotHeight}" y2="${top + plotHeight}" stroke="#8c8c8c"/>${bars}`,
  );
}
