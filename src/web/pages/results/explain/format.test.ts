import { describe, expect, it } from "vitest";
import type { Rule } from "../../../../engine/index.js";
import type { MessageKey } from "../../../locales/zh-CN";
import { inputItems, points, ruleName, ruleParams } from "./format";
import { en, zhCN } from "./locales";

const translator =
  (messages: Record<string, string>) => (key: MessageKey, params?: Record<string, string | number>) =>
    (messages[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name]));
const zh = translator(zhCN);
const english = translator(en);

describe("a trace's rule and inputs in words", () => {
  it("names a completion rule's parameters, shares as percentages", () => {
    const rule = { type: "completion", floor: 0.5, bonusCap: 0.1 } as Rule;
    expect(ruleName(zh, rule)).toBe("完成率计分");
    expect(ruleParams(zh, rule)).toEqual(["完成率下限 50%", "超额加分上限 10%"]);
    expect(ruleParams(english, rule)).toEqual(["completion floor 50%", "bonus cap 10%"]);
  });

  it("reads a rank rule's step and improvement as phrases, in each language's punctuation", () => {
    const rule = {
      type: "rank",
      source: "external",
      step: { points: 1 },
      improvement: { perPlace: 0.5, cap: 1.5 },
    } as Rule;
    expect(ruleParams(zh, rule)).toEqual([
      "位次来源 上级通报位次",
      "每降一位扣 1 分",
      "进位加分：每进一位 0.5，上限 1.5",
    ]);
    expect(ruleParams(english, rule)).toEqual([
      "rank from an external ranking",
      "minus 1 per place down",
      "improvement bonus: per place gained 0.5, cap 1.5",
    ]);
  });

  it("lists tiers best first", () => {
    const rule = {
      type: "tiers",
      tiers: [
        { threshold: 98, points: 4 },
        { threshold: 95, points: 3 },
      ],
    } as Rule;
    expect(ruleParams(zh, rule)).toEqual(["≥ 98 → 4，≥ 95 → 3"]);
  });

  it("labels the inputs, completion as a percentage and missing data as such", () => {
    expect(inputItems(zh, { actual: 2.87, target: 2.8, completion: 1.0250000000000001 })).toEqual([
      ["实际值", "2.87"],
      ["目标值", "2.8"],
      ["完成率", "102.5%"],
    ]);
    expect(inputItems(english, { actual: null })).toEqual([["actual", "no data"]]);
    // An input the locales do not know keeps its own name rather than vanishing.
    expect(inputItems(zh, { novel: 3 })).toEqual([["novel", "3"]]);
  });

  it("writes points as the engine's traces do", () => {
    expect([points(20.5), points(56.551282051), points(10), points(Number.NaN)]).toEqual([
      "20.5",
      "56.55",
      "10",
      "—",
    ]);
  });
});
