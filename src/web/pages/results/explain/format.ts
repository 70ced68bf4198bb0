import type { Rule } from "../../../../engine/index.js";
import type { MessageKey } from "../../../locales/zh-CN";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Points as the engine's traces write them: at most two decimals, no trailing zeros (9.6, 10, 2.25). */
export const points = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : "—");
/** A raw value with up to four decimals. */
const value = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : "—");
const percent = (x: number): string => `${(Math.round(x * 1000) / 10).toString()}%`;

const inputKeys = new Set([
  "actual",
  "target",
  "completion",
  "basis",
  "tier",
  "threshold",
  "rank",
  "of",
  "previousRank",
  "reviewers",
  "mean",
  "markMax",
  "mark",
  "normalised",
  "outOf",
  "peerMin",
  "peerMax",
  "peerMean",
]);
const paramKeys = new Set([
  "floor",
  "below",
  "deductPerPercent",
  "bonusCap",
  "bonusPerPercent",
  "basis",
  "threshold",
  "source",
  "scope",
  "improvement",
  "perPlace",
  "cap",
  "trim",
  "markMax",
  "outOf",
  "normaliser",
  "points",
  "percent",
  "first",
]);
/** Parameters whose values are words the locales name (basis: value → 实际值). */
const wordParams = new Set(["below", "basis", "source", "scope"]);
/** Shares of the points or of the target, written as percentages. */
const shareParams = new Set(["floor", "bonusCap"]);

const label = (t: T, kind: "input" | "param", key: string) =>
  (kind === "input" ? inputKeys : paramKeys).has(key) ? t(`explain.${kind}.${key}` as MessageKey) : key;

/** A rule's name in the interface language (完成率计分 / Target completion). */
export const ruleName = (t: T, rule: Rule): string => t(`explain.rule.${rule.type}` as MessageKey);

/**
 * A rule's parameters as short labelled phrases ("完成率下限 60%", "每降一位 1"), tiers as "≥ 98 → 4":
 * what the plan set for this indicator, in the interface language.
 */
export function ruleParams(t: T, rule: Rule): string[] {
  const phrase = (key: string, v: unknown): string => {
    const name = label(t, "param", key);
    if (key === "tiers" && Array.isArray(v))
      return (v as { threshold: number; points: number }[])
        .map((x) => `≥ ${value(x.threshold)} → ${points(x.points)}`)
        .join(t("explain.listSep"));
    if (typeof v === "number") return `${name} ${shareParams.has(key) ? percent(v) : value(v)}`;
    if (typeof v === "string")
      return `${name} ${wordParams.has(key) ? t(`explain.param.${key}.${v}` as MessageKey) : v}`;
    if (Array.isArray(v)) return `${name} ${v.join("、")}`;
    if (typeof v === "object" && v !== null) {
      if ("method" in v) return `${name} ${String((v as { method: string }).method)}`;
      const inner = Object.entries(v).filter(([, x]) => x !== undefined);
      // 位次计分's step reads as a sentence: "每降一位扣 1 分".
      if (key === "step")
        return inner
          .map(([k, x]) => t(`explain.step.${k}` as MessageKey, { n: value(x as number) }))
          .join(t("explain.listSep"));
      return `${name}${t("explain.labelSep")}${inner.map(([k, x]) => phrase(k, x)).join(t("explain.listSep"))}`;
    }
    return `${name} ${String(v)}`;
  };
  return Object.entries(rule)
    .filter(([key, v]) => key !== "type" && v !== undefined)
    .map(([key, v]) => phrase(key, v));
}

/** A trace's inputs as label/value pairs (completion as a percentage; a missing value said so). */
export function inputItems(t: T, inputs: Record<string, number | string | null>): [string, string][] {
  return Object.entries(inputs).map(([key, v]) => [
    label(t, "input", key),
    v === null
      ? t("explain.input.none")
      : typeof v === "number"
        ? key === "completion"
          ? percent(v)
          : value(v)
        : v,
  ]);
}
