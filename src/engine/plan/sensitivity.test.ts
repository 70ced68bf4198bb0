import { describe, expect, it } from "vitest";
import { rowsOf, testPlan } from "./_fixtures.js";
import { scorePlan } from "./score.js";
import { buildSensitivityModel, runSensitivity } from "./sensitivity.js";

const plan = testPlan(
  [
    {
      code: "x",
      name: "x",
      points: 50,
      rule: {
        type: "relative",
        normaliser: { method: "minmax", range: [0, 1] },
        alternatives: [{ method: "rank" }],
      },
    },
    { code: "y", name: "y", points: 30, rule: { type: "mark" } },
    { code: "z", name: "z", points: 20, rule: { type: "mark" } },
  ],
  { grades: [{ code: "优秀", minScore: 80, quota: { share: 0.5 } }, { code: "合格" }] },
);
const rows = [
  ...rowsOf("x", { A: 10, B: 40, C: 30, D: 20, E: 5, F: 7, S: 9 }),
  ...rowsOf("y", { A: 100, B: 60, C: 80, D: 90, E: 70, F: 90, S: 50 }),
  ...rowsOf("z", { A: 90, B: 50, C: 95, D: 60, E: 80, F: 50, S: 50 }),
];

function model(spec: Parameters<typeof buildSensitivityModel>[2]) {
  const m = buildSensitivityModel(plan, rows, spec);
  if (!m.ok) throw new Error(m.error.message.en);
  return m.value;
}

describe("sensitivity analysis", () => {
  it("the nominal evaluation reproduces the scoring run's ranks and grades", () => {
    const run = scorePlan(plan, rows);
    if (!run.ok) throw new Error();
    const m = model({ weights: 0.2, drop: true });
    expect([...m.nominalRank]).toEqual(run.value.units.map((u) => u.rank ?? Number.NaN));
    expect(m.nominalGrade).toEqual(run.value.units.map((u) => u.gradeByRules));
  });

  it("with nothing uncertain, every replication is the nominal result", () => {
    const r = runSensitivity(model({}), { runs: 20, seed: 1 });
    expect(r.design).toBe("random");
    for (const u of r.units) {
      expect([u.medianRank, u.p5Rank, u.p95Rank]).toEqual([u.nominalRank, u.nominalRank, u.nominalRank]);
      if (u.nominalGrade) expect(u.gradeProbability[u.nominalGrade]).toBe(1);
    }
  });

  it("is reproducible from the seed and differs with another seed", () => {
    const spec = {
      weights: 0.5,
      normalisers: true,
      aggregation: ["arithmetic", "geometric"] as const,
      drop: true,
    };
    const a = runSensitivity(model(spec), { runs: 64, seed: 7 });
    const b = runSensitivity(model(spec), { runs: 64, seed: 7 });
    const c = runSensitivity(model(spec), { runs: 64, seed: 8 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
    expect(a.inputs).toEqual(["weights", "normaliser", "aggregation", "drop"]);
    expect(a.evaluations).toBe(64 * 6);
  });

  it("memoised normalisation gives exactly what re-normalising every replication gives", () => {
    const spec = { weights: 0.3, normalisers: true, aggregation: ["arithmetic", "geometric"] as const };
    const memo = runSensitivity(model(spec), { runs: 40, seed: 2 });
    const fresh = runSensitivity(model({ ...spec, recompute: true }), { runs: 40, seed: 2 });
    expect(JSON.stringify(fresh)).toBe(JSON.stringify(memo));
  });

  it("grade probabilities sum to 1 and rank bands bracket the median", () => {
    const r = runSensitivity(model({ weights: 0.5, drop: true }), { runs: 100, seed: 3 });
    for (const u of r.units) {
      if (u.nominalRank === null) {
        expect(u.medianRank).toBeNull();
        continue;
      }
      const total = Object.values(u.gradeProbability).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 12);
      expect(u.p5Rank!).toBeLessThanOrEqual(u.medianRank!);
      expect(u.medianRank!).toBeLessThanOrEqual(u.p95Rank!);
    }
  });

  it("indices: an input that cannot change anything gets zero, one that can gets a positive total index", () => {
    // Dropping indicators matters; the aggregation list has one method, so it is not an input at all.
    const r = runSensitivity(model({ drop: true, weights: 0.001 }), { runs: 200, seed: 5 });
    const drop = r.indices.find((i) => i.input === "drop")!;
    const weights = r.indices.find((i) => i.input === "weights")!;
    expect(drop.total).toBeGreaterThan(0.5);
    expect(weights.total).toBeLessThan(0.05);
    expect(r.variance).toBeGreaterThan(0);
  });
});
