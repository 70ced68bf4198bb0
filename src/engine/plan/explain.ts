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

export function sentence(zh: string, en: string, points: number, max: number): Record<Lang, string> {
  const s = scored(points, max);
  return { "zh-CN": `${zh}，${s["zh-CN"]}`, en: `${en}: ${s.en}` };
}

export function noData(max: number): Explanation {
  return { inputs: { actual: null }, text: sentence("未填报数据", "no data", 0, max) };
}
