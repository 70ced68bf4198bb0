import { describe, expect, it } from "vitest";
import type { PlanDiff } from "../../../../engine/index.js";
import type { RunDiff, RunInputChange } from "../../../../server/modules/runs/schema.js";
import { signed, whyMoved } from "./why";

const noPlanChange: PlanDiff = {
  same: true,
  tree: { added: [], removed: [], moved: [], changed: [] },
  rules: [],
  targets: [],
  units: { added: [], removed: [], changed: [] },
  other: [],
};
const value = (unit: string, indicator: string, before: number, after: number): RunInputChange => ({
  kind: "value",
  unit,
  indicator,
  period: "2022",
  before,
  after,
});
const diffOf = (inputs: Partial<RunDiff["inputs"]>): RunDiff => ({
  from: { id: "a", planVersion: 1, inputHash: "x" },
  to: { id: "b", planVersion: 1, inputHash: "y" },
  inputs: { same: false, planVersion: null, values: [], marks: [], items: [], plan: noPlanChange, ...inputs },
  units: [],
});

describe("whyMoved", () => {
  it("gives a unit its own changed inputs, not another unit's", () => {
    const diff = diffOf({ values: [value("kjj", "A2", 2.87, 2), value("fgw", "A1", 20, 21)] });
    expect(whyMoved(diff, "kjj")).toEqual({ own: [value("kjj", "A2", 2.87, 2)], plan: false });
    // A unit with nothing of its own moved with the others.
    expect(whyMoved(diff, "swj")).toEqual({ own: [], plan: false });
  });

  it("counts a target change for the unit, and any change to the tree or rules for every unit", () => {
    const target = diffOf({
      plan: {
        ...noPlanChange,
        same: false,
        targets: [{ indicator: "A2", unit: "kjj", before: 2.8, after: 3 }],
      },
    });
    expect(whyMoved(target, "kjj").plan).toBe(true);
    expect(whyMoved(target, "fgw").plan).toBe(false);
    const rule = diffOf({
      plan: {
        ...noPlanChange,
        same: false,
        rules: [{ code: "A2", typeBefore: "completion", typeAfter: "completion", parameters: [] }],
      },
    });
    expect(whyMoved(rule, "fgw").plan).toBe(true);
  });
});

describe("signed", () => {
  it("writes a change with its sign and at most two decimals", () => {
    expect(signed(1.5)).toBe("+1.5");
    expect(signed(-0.254)).toBe("−0.25");
    expect(signed(0.001)).toBe("0");
  });
});
