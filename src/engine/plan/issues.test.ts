import { describe, expect, it } from "vitest";
import { testPlan } from "./_fixtures.js";
import { describeIssue, indicatorOnPath } from "./issues.js";
import { planSchema } from "./schema.js";

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

describe("describeIssue", () => {
  const deep = (n: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < n; i++) v = i % 2 ? [v] : { type: [v] };
    return v;
  };
  const ruleType = (type: unknown) =>
    testPlan([{ code: "A", name: "甲", points: 100, rule: { type } as never }]);
  const issueOf = (json: unknown) => {
    const r = planSchema.safeParse(json);
    if (r.success) throw new Error("accepted");
    return describeIssue(r.error.issues[0]!, json);
  };

  it("quotes what was found, bounded: a long text clipped, nesting thousands deep as […] (no stack overflow)", () => {
    const long = issueOf(ruleType("x".repeat(1_000_000)))["zh-CN"];
    expect(long.length).toBeLessThan(200);
    expect(long).toContain(`"${"x".repeat(38)}…`);
    expect(issueOf(ruleType(deep(5_000)))["zh-CN"]).toContain("[…]");
  });
});
