import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPlanAndData } from "../../../cli/plan-file.js";
import type { DataRow } from "../../../engine/index.js";
import { type DiffSide, diffRuns } from "./diff.js";
import { canonicalRows, type RunInputs, scoreInputs } from "./scoring.js";

const examples = join(import.meta.dirname, "..", "..", "..", "..", "examples");

async function cityInputs(): Promise<RunInputs> {
  const { plan, rows } = await readPlanAndData(
    join(examples, "city-departments", "plan.json"),
    join(examples, "city-departments", "values.csv"),
  );
  return { plan, rows: canonicalRows(rows.map(({ row: _line, ...data }) => data)) };
}

const side = (id: string, inputs: RunInputs, planVersion = 1): DiffSide => {
  const result = scoreInputs(inputs);
  return { id, planVersion, inputHash: result.inputHash.run, inputs, result };
};

/** The inputs with one row's value replaced (the row found by unit and indicator, a mark by reviewer). */
const withValue = (inputs: RunInputs, pick: (r: DataRow) => boolean, value: number): RunInputs => ({
  ...inputs,
  rows: inputs.rows.map((r) => (pick(r) ? { ...r, value } : r)),
});

describe("diffRuns", () => {
  it("two runs of the same inputs differ in nothing", async () => {
    const inputs = await cityInputs();
    const d = diffRuns(side("a", inputs), side("b", inputs));
    expect(d.inputs.same).toBe(true);
    expect(d.inputs.planVersion).toBeNull();
    expect([...d.inputs.values, ...d.inputs.marks, ...d.inputs.items]).toEqual([]);
    expect(d.inputs.plan.same).toBe(true);
    expect(d.units).toEqual([]);
  });

  it("names the value that changed, and the unit whose total, nodes and rank moved with it", async () => {
    const inputs = await cityInputs();
    const a = side("a", inputs);
    // kjj's A2 (completion against 2.8) falls from 2.87 to 2.0: the A2 leaf, A and the total drop.
    const b = side(
      "b",
      withValue(inputs, (r) => r.unit === "kjj" && r.indicator === "A2", 2),
    );
    const d = diffRuns(a, b);
    expect(d.inputs.same).toBe(false);
    expect(d.inputs.values).toEqual([
      { kind: "value", unit: "kjj", indicator: "A2", period: "2022", before: 2.87, after: 2 },
    ]);
    expect(d.inputs.marks).toEqual([]);
    expect(d.inputs.items).toEqual([]);
    const kjj = d.units.find((u) => u.unit === "kjj")!;
    const before = a.result.units.find((u) => u.unit === "kjj")!;
    const after = b.result.units.find((u) => u.unit === "kjj")!;
    expect(kjj).toMatchObject({
      name: before.name,
      category: "econ",
      totalBefore: before.total,
      totalAfter: after.total,
      rankBefore: before.rank,
      rankAfter: after.rank,
    });
    expect(kjj.totalAfter).toBeLessThan(kjj.totalBefore);
    expect(kjj.changed).toEqual(expect.arrayContaining(["A", "A2"]));
    expect(kjj.changed).not.toContain("B1");
    // Every other unit listed moved in rank or grade only (the one change is kjj's).
    for (const u of d.units.filter((x) => x.unit !== "kjj")) {
      expect(u.changed).toEqual([]);
      expect(u.rankBefore !== u.rankAfter || u.gradeBefore !== u.gradeAfter).toBe(true);
    }
  });

  it("tells marks and items from values, and rows added or removed by a null side", async () => {
    const inputs = await cityInputs();
    const mark = inputs.rows.find((r) => r.reviewer !== undefined)!;
    const item = inputs.rows.find((r) => r.indicator === "award")!;
    const changed: RunInputs = {
      ...inputs,
      rows: withValue(inputs, (r) => r === mark, mark.value - 1).rows.filter((r) => r !== item),
    };
    const d = diffRuns(side("a", inputs), side("b", changed));
    expect(d.inputs.values).toEqual([]);
    expect(d.inputs.marks).toEqual([
      {
        kind: "mark",
        unit: mark.unit,
        indicator: mark.indicator,
        period: mark.period,
        before: mark.value,
        after: mark.value - 1,
      },
    ]);
    // Which reviewer is not said.
    expect(d.inputs.marks[0]).not.toHaveProperty("reviewer");
    expect(d.inputs.items).toEqual([
      expect.objectContaining({
        kind: "item",
        unit: item.unit,
        indicator: "award",
        before: item.value,
        after: null,
      }),
    ]);
  });

  it("carries the plan version and the plan's own diff (a target adjusted)", async () => {
    const inputs = await cityInputs();
    const plan = structuredClone(inputs.plan);
    plan.targets = { ...plan.targets, A2: { ...plan.targets?.A2, kjj: 3 } };
    const d = diffRuns(side("a", inputs, 1), side("b", { ...inputs, plan }, 2));
    expect(d.from).toMatchObject({ id: "a", planVersion: 1 });
    expect(d.to).toMatchObject({ id: "b", planVersion: 2 });
    expect(d.inputs.planVersion).toEqual({ before: 1, after: 2 });
    expect(d.inputs.plan.targets).toEqual([{ indicator: "A2", unit: "kjj", before: 2.8, after: 3 }]);
    expect(d.inputs.values).toEqual([]);
    expect(d.units.find((u) => u.unit === "kjj")?.changed).toContain("A2");
  });
});
