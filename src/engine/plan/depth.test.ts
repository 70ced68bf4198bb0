import { describe, expect, it } from "vitest";
import { checkIndicatorDepth, MAX_INDICATOR_DEPTH } from "./depth.js";

/** A chain of `levels` nested indicators, the innermost a leaf. */
function chain(levels: number) {
  let node: Record<string, unknown> = { code: `L${levels}`, name: "leaf", points: 10 };
  for (let level = levels - 1; level >= 1; level--)
    node = { code: `L${level}`, name: "node", points: 10, children: [node] };
  return { indicators: [node] };
}

describe("indicator tree depth", () => {
  it("accepts a tree of the maximum depth and refuses one level more, naming the deepest node", () => {
    expect(checkIndicatorDepth(chain(MAX_INDICATOR_DEPTH))).toBeNull();
    const error = checkIndicatorDepth(chain(MAX_INDICATOR_DEPTH + 1));
    expect(error).toMatchObject({ code: "PLAN_TOO_DEEP", indicator: `L${MAX_INDICATOR_DEPTH + 1}` });
    expect(error?.message["zh-CN"]).toBe(
      `指标体系层级过深：超过 ${MAX_INDICATOR_DEPTH} 级（L1 > L2 > L3 > … > L13）`,
    );
    expect(error?.message.en).toBe(
      `the indicator tree is too deep: more than ${MAX_INDICATOR_DEPTH} levels (L1 > L2 > L3 > … > L13)`,
    );
  });

  it("walks a 3,000-level tree without recursion", () => {
    expect(checkIndicatorDepth(chain(3000))?.code).toBe("PLAN_TOO_DEEP");
  });

  it("leaves documents that are not trees to the schema", () => {
    for (const document of [
      null,
      1,
      "x",
      {},
      { indicators: 3 },
      { indicators: [null, 2, { children: "x" }] },
    ])
      expect(checkIndicatorDepth(document)).toBeNull();
  });
});
