import { describe, expect, it } from "vitest";
import { indicatorOnPath } from "./issues.js";

const doc = {
  indicators: [
    {
      code: "A",
      name: "经济发展",
      children: [{ code: "A1", name: "增速", rule: { type: "tiers", tiers: [] } }],
    },
    { code: "B", children: [{ name: "no code yet" }] },
  ],
  bonus: [{ code: "X", name: "not an indicator" }],
};

describe("indicatorOnPath", () => {
  it("finds the deepest indicator on the path, and how far into the path it is", () => {
    expect(indicatorOnPath(doc, ["indicators", 0, "children", 0, "rule", "tiers", 0])).toEqual({
      code: "A1",
      name: "增速",
      length: 4,
    });
    expect(indicatorOnPath(doc, ["indicators", 0, "points"])).toEqual({
      code: "A",
      name: "经济发展",
      length: 2,
    });
  });

  it("skips a node without a code for its parent; a path in no indicator is null", () => {
    expect(indicatorOnPath(doc, ["indicators", 1, "children", 0, "code"])).toEqual({
      code: "B",
      name: undefined,
      length: 2,
    });
    expect(indicatorOnPath(doc, ["bonus", 0, "name"])).toBeNull();
    expect(indicatorOnPath(doc, ["indicators"])).toBeNull();
    expect(indicatorOnPath(doc, [])).toBeNull();
  });
});
