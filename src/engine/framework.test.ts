import { describe, expect, it } from "vitest";
import { buildFramework, effectiveWeights, type IndicatorNode } from "./framework.js";

const node = (code: string, level: number, parent: string | null, weight = 1): IndicatorNode => ({
  code,
  name: code,
  level,
  parent,
  direction: 1,
  weight,
});

const tree = [
  node("a", 1, "P", 1),
  node("b", 1, "P", 3),
  node("c", 1, "Q", 1),
  node("P", 2, "I", 1),
  node("Q", 2, "I", 1),
  node("I", 3, null),
];

describe("buildFramework", () => {
  it("indexes levels and children", () => {
    const f = buildFramework(tree);
    if (!f.ok) throw new Error(f.error.message.en);
    expect(f.value.indicators).toEqual(["a", "b", "c"]);
    expect(f.value.codesByLevel).toEqual([["a", "b", "c"], ["P", "Q"], ["I"]]);
    expect(f.value.childrenOf.get("P")).toEqual(["a", "b"]);
    expect(f.value.maxLevel).toBe(3);
  });

  it("effective weights multiply shares down the tree and sum to 1", () => {
    const f = buildFramework(tree);
    if (!f.ok) throw new Error();
    const w = effectiveWeights(f.value);
    expect(w.get("a")).toBeCloseTo(0.125, 15);
    expect(w.get("b")).toBeCloseTo(0.375, 15);
    expect(w.get("c")).toBeCloseTo(0.5, 15);
    expect((w.get("a") ?? 0) + (w.get("b") ?? 0) + (w.get("c") ?? 0)).toBeCloseTo(1, 15);
    const reweighted = effectiveWeights(f.value, new Map([["Q", 3]]));
    expect(reweighted.get("c")).toBeCloseTo(0.75, 15);
  });

  it.each([
    ["duplicate code", [...tree, node("a", 1, "P")], "DUPLICATE_CODE", "a"],
    ["unknown parent", [...tree, node("d", 1, "Nope")], "UNKNOWN_PARENT", "d"],
    ["parent on the wrong level", [...tree, node("d", 1, "I")], "PARENT_LEVEL", "d"],
    ["aggregate without children", [...tree, node("R", 2, "I")], "EMPTY_AGGREGATE", "R"],
    ["missing parent below the top", [...tree, node("d", 1, null)], "MISSING_PARENT", "d"],
    ["negative weight", [...tree, node("d", 1, "P", -1)], "BAD_WEIGHT", "d"],
  ])("rejects a %s, naming the node", (_what, nodes, code, indicator) => {
    const f = buildFramework(nodes);
    expect(f.ok).toBe(false);
    if (f.ok) return;
    expect(f.error.code).toBe(code);
    expect(f.error.indicator).toBe(indicator);
  });

  it("rejects a cycle and shows it", () => {
    const f = buildFramework([node("x", 2, "y"), node("y", 2, "x"), node("i", 1, "x")]);
    expect(f.ok).toBe(false);
    if (f.ok) return;
    expect(f.error.code).toBe("CYCLE");
    expect(f.error.message.en).toContain("x -> y -> x");
  });
});
