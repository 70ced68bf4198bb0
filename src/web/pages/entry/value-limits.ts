import { rankPlaces, type ValueRule } from "../../../engine/plan/value-rules.js";
import type { useLocale } from "../../locales";
import type { ValueCheck } from "./fields";

type T = ReturnType<typeof useLocale>["t"];

/**
 * What a field accepts, as a hint under it ("0–20，最多 1 位小数"): the limits the plan gives, read
 * from the engine's value rule of the leaf (the rule that checks it). Empty when the plan gives none.
 */
export function valueLimits(
  rule: ValueRule | undefined,
  check: ValueCheck | undefined,
  code: string,
  t: T,
  lang: string,
): string {
  if (!rule || !check) return "";
  const parts: string[] = [];
  const n = (x: number) =>
    new Intl.NumberFormat(lang, { maximumFractionDigits: 9, useGrouping: false }).format(x);
  if (rule.yesNoTargets && Number.isNaN(rule.yesNoTargets[check.unit])) parts.push(t("entry.yesnoHint"));
  if (rule.rank) {
    const leaf = check.structure.byCode.get(code);
    const of = leaf === undefined ? undefined : rankPlaces(check.structure, leaf, check.unit);
    parts.push(of === undefined ? t("entry.limits.rank") : t("entry.limits.rankOf", { of }));
  } else {
    const low = Number.isFinite(rule.min);
    const high = Number.isFinite(rule.max);
    if (low && high) parts.push(`${n(rule.min)}–${n(rule.max)}`);
    else if (low) parts.push(t("entry.limits.min", { min: n(rule.min) }));
    else if (high) parts.push(t("entry.limits.max", { max: n(rule.max) }));
    if (rule.decimals === 0) parts.push(t("entry.limits.whole"));
    else if (rule.decimals === 1) parts.push(t("entry.limits.oneDecimal"));
    else if (rule.decimals !== undefined) parts.push(t("entry.limits.decimals", { decimals: rule.decimals }));
  }
  return parts.join(lang === "en" ? ", " : "，");
}
