/*
 * Numbers as a bulletin writes them: 第一位, 十年来 in Chinese; "fourth", "ten years" in English.
 * Past 99 (Chinese) and 20 (English) the digits are written, as bulletins do.
 */

const ZH = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 99 → 九十九, 100 → 100. */
export function zhNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return ZH[n] as string;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : ZH[tens]}十${ones === 0 ? "" : ZH[ones]}`;
}

const EN =
  "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split(
    " ",
  );
const EN_ORDINAL =
  "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(
    " ",
  );

export const enNumber = (n: number): string => EN[n] ?? String(n);

/** 4 → fourth, 23 → 23rd. */
export function enOrdinal(n: number): string {
  const word = EN_ORDINAL[n];
  if (word) return word;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** A value as data gives it, in its shortest exact form (2.87, 48.2, 1262). */
export const plain = (n: number): string => String(n);
