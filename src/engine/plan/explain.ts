import type { Lang } from "../errors.js";

/** How one unit's points on one indicator came about: the inputs, the steps and a sentence. */
export interface Explanation {
  inputs: Record<string, number | string | null>;
  text: Record<Lang, string>;
}

/** Points as people write them: at most two decimals, no trailing zeros (9.6, 10, 2.25). */
export const pts = (x: number): string =>
  Number.isFinite(x) ? String(Math.round(x * 100) / 100) : String(x);
/** A share as a percentage with one decimal (96.0%). */
export const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "—");
/** A raw value with up to four decimals. */
export const val = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : "—");

/** "得 9.6 分（满分 10 分）" / "9.6 of 10 points". */
export function scored(points: number, max: number): Record<Lang, string> {
  return {
    "zh-CN": `得 ${pts(points)} 分（满分 ${pts(max)} 分）`,
    en: `${pts(points)} of ${pts(max)} points`,
  };
}

/** Signed points for an adjustment: "+4", "-2". */
export const signed = (x: number): string => (x < 0 ? `-${pts(-x)}` : `+${pts(x)}`);

/**
 * A rule's sentence for an adjustment (加减分) leaf: its points are added outside full marks, so
 * "得 4 分（满分 0 分）" reads "加减分 +4 分（不计入满分）".
 */
export function asAdjustment(text: Record<Lang, string>, points: number, max: number): Record<Lang, string> {
  const s = scored(points, max);
  const strip = (t: string, tail: string, sep: string) =>
    t.endsWith(tail) ? t.slice(0, t.length - tail.length - sep.length) : t;
  return {
    "zh-CN": `${strip(text["zh-CN"], s["zh-CN"], "，")}，加减分 ${signed(points)} 分（不计入满分）`,
    en: `${strip(text.en, s.en, ": ")}: adjustment ${signed(points)} (outside full marks)`,
  };
}

export function sentence(zh: string, en: string, points: number, max: number): Record<Lang, string> {
  const s = scored(points, max);
  return { "zh-CN": `${zh}，${s["zh-CN"]}`, en: `${en}: ${s.en}` };
}

export function noData(max: number): Explanation {
  return { inputs: { actual: null }, text: sentence("未填报数据", "no data", 0, max) };
}
