import type { IndicatorSpec, Plan } from "../../../../engine/index.js";
import type { Lang } from "../../../locales";

/** An indicator's name in the interface language: the plan's English name where it has one. */
export function nodeNames(plan: Plan | undefined, lang: Lang): (code: string, name: string) => string {
  const en = new Map<string, string>();
  const walk = (nodes: readonly IndicatorSpec[]) => {
    for (const n of nodes) {
      if (n.nameEn) en.set(n.code, n.nameEn);
      if (n.children) walk(n.children);
    }
  };
  if (lang === "en" && plan) walk(plan.indicators);
  return (code, name) => en.get(code) ?? name;
}
