import { describe, expect, it } from "vitest";
import { testPlan } from "./_fixtures.js";
import { planOrganisations, unknownLead } from "./leads.js";
import type { IndicatorSpec } from "./schema.js";
import { buildPlanStructure } from "./structure.js";

const biz = (extra: Partial<IndicatorSpec>): IndicatorSpec => ({
  code: "BIZ",
  name: "营商环境",
  points: 100,
  children: [{ code: "SAT", name: "企业满意度", points: 100, rule: { type: "mark" } }],
  ...extra,
});

describe("the lead department as the scorer (scoredBy: lead)", () => {
  it("children inherit scoredBy with the lead; the unit's own reporting stays the default", () => {
    const built = buildPlanStructure(testPlan([biz({ lead: "fgw", scoredBy: "lead" })]));
    if (!built.ok) throw new Error(built.error.message.en);
    const sat = built.value.nodes[built.value.byCode.get("SAT")!]!;
    expect([sat.lead, sat.scoredByLead]).toEqual(["fgw", true]);
    const plain = buildPlanStructure(testPlan([biz({ lead: "fgw" })]));
    expect(plain.ok && plain.value.nodes.every((n) => !n.scoredByLead)).toBe(true);
  });

  it("scoredBy: lead without a lead department is refused, naming the node", () => {
    const built = buildPlanStructure(testPlan([biz({ scoredBy: "lead" })]));
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.error.code).toBe("SCORED_BY_LEAD");
    expect(built.error.message["zh-CN"]).toBe(
      "指标 BIZ：由牵头部门评分（scoredBy: lead）须有牵头部门（lead，可继承）",
    );
  });

  it("a plan read alone knows its units and its organisations list", () => {
    const plan = testPlan([biz({ lead: "fgw" })]);
    const built = buildPlanStructure(plan);
    if (!built.ok) throw new Error();
    expect(unknownLead(built.value, planOrganisations(built.value))).toMatchObject({
      code: "UNKNOWN_LEAD",
      indicator: "BIZ",
    });
    const listed = buildPlanStructure({ ...plan, organisations: [{ code: "fgw", name: "市发改委" }] });
    if (!listed.ok) throw new Error();
    expect(unknownLead(listed.value, planOrganisations(listed.value))).toBeNull();
    // A unit of the plan may lead (a department assessed itself that scores others).
    const byUnit = buildPlanStructure(testPlan([biz({ lead: "A" })]));
    if (!byUnit.ok) throw new Error();
    expect(unknownLead(byUnit.value, planOrganisations(byUnit.value))).toBeNull();
  });
});
