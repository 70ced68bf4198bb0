import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPlanAndData } from "../../../../cli/plan-file.js";
import { scorePlan } from "../../../../engine/index.js";
import { comparison, distributions } from "./data";

const examples = join(import.meta.dirname, "..", "..", "..", "..", "..", "examples", "city-departments");

async function cityRun() {
  const { plan, rows } = await readPlanAndData(join(examples, "plan.json"), join(examples, "values.csv"));
  const run = scorePlan(plan, rows, { explain: [] });
  if (!run.ok) throw new Error(run.error.message.en);
  return { plan, run: run.value };
}

describe("distributions", () => {
  it("per category, the run's totals highest first, the median, the grades' lines and the quota cut", async () => {
    const { plan, run } = await cityRun();
    const all = distributions(plan, run);
    expect(all.map((d) => d.category)).toEqual(["econ", "social", "party"]);
    const econ = all[0]!;
    const totals = run.units.filter((u) => u.category === "econ").map((u) => u.total);
    expect(econ.units.map((u) => u.total)).toEqual([...totals].sort((a, b) => b - a));
    const sorted = [...totals].sort((a, b) => a - b);
    expect(econ.median).toBe(sorted[2]);
    // 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60; 优秀 at most 40% of 5, rounded down: 2.
    expect(econ.thresholds).toEqual([
      { grade: "优秀", nameEn: "excellent", minScore: 90 },
      { grade: "良好", nameEn: "good", minScore: 80 },
      { grade: "合格", nameEn: "pass", minScore: 60 },
    ]);
    expect(econ.quotas).toEqual([{ grade: "优秀", nameEn: "excellent", limit: 2 }]);
  });
});

describe("comparison", () => {
  it("the unit's points per top-level indicator beside its category's median and best", async () => {
    const { plan, run } = await cityRun();
    const kjj = run.units.find((u) => u.unit === "kjj")!;
    const peers = run.units.filter((u) => u.category === kjj.category);
    const rows = comparison(plan, run.units, kjj);
    expect(rows.map((r) => r.node)).toEqual(plan.indicators.map((n) => n.code));
    for (const r of rows) {
      const column = peers.map((p) => p.scores[r.node]!).sort((a, b) => a - b);
      expect(r.unit).toBe(kjj.scores[r.node]);
      expect(r.best).toBe(column.at(-1));
      expect(r.median).toBe(column[2]);
    }
  });
});
