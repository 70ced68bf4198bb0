import type { Rule, RuleType } from "../../../engine/index.js";

/** The rule types the designer offers, in the order its select lists them (the sheet accepts the same). */
export const RULE_TYPES: readonly RuleType[] = [
  "completion",
  "tiers",
  "yesno",
  "rank",
  "relative",
  "expert",
  "mark",
];

/** A rule of each type as the form starts it (the engine's defaults fill the rest). */
export function startRule(type: RuleType): Rule {
  switch (type) {
    case "tiers":
      return {
        type,
        tiers: [
          { threshold: 100, points: 10 },
          { threshold: 80, points: 6 },
        ],
      };
    case "rank":
      return { type, source: "peers", step: { points: 1 } };
    case "relative":
      return { type, normaliser: { method: "minmax" } };
    default:
      return { type } as Rule;
  }
}
