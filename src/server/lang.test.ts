import { describe, expect, it } from "vitest";
import { negotiateLang } from "./lang.js";

describe("negotiateLang", () => {
  it.each([
    ["zh-CN;q=0.1, en;q=0.9", "en"],
    ["en;q=0.9, zh-CN;q=0.1", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["en-US,en;q=0.9", "en"],
    ["EN", "en"],
    ["zh-TW, en;q=0.5", "zh-CN"],
    ["en;q=0, zh", "zh-CN"],
    ["fr-FR, de;q=0.5", "zh-CN"],
    ["*", "zh-CN"],
    ["", "zh-CN"],
    [undefined, "zh-CN"],
  ])("%s → %s", (header, lang) => {
    expect(negotiateLang(header)).toBe(lang);
  });
});
