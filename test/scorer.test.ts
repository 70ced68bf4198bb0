import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyScenario,
  createScorer,
  type DataRow,
  type IndicatorSpec,
  type OfficialScores,
  type Plan,
  type ScenarioChanges,
  scoreOfficial,
  unitTrace,
} from "../src/engine/index.js";

const UNITS = ["A", "B", "C", "D", "E", "F", "G", "H"];

/** Leaves of several rules; weights only (their points follow the weights down from the total). */
const leaf = (k: number, kind: number): IndicatorSpec => {
  const base = { code: `l${k}`, name: `l${k}`, weight: 1 + (k % 3) };
  switch (kind % 4) {
    case 0:
      return { ...base, rule: { type: "relative", normaliser: { method: "minmax", range: [0, 1] } } };
    case 1:
      return { ...base, target: 50, must: k % 2 === 0, rule: { type: "completion", floor: 0.5 } };
    case 2:
      return { ...base, rule: { type: "rank", source: "peers", step: { points: 0.5 } } };
    default:
      return {
        ...base,
        direction: -1,
        rule: { type: "relative", normaliser: { method: "minmax", range: [0, 1] } },
      };
  }
};

/** A two-level weighted tree of `groups` groups of leaves, units in two categories, quota grades. */
function planOf(groups: number[], kinds: number[]): Plan {
  let k = 0;
  return {
    format: "kaohe-plan/1",
    id: "p",
    name: "p",
    period: { key: "2022" },
    pointsTotal: 100,
    units: UNITS.map((code) => ({ code, name: code })),
    categories: [
      { code: "x", name: "x", units: UNITS.slice(0, 5) },
      { code: "y", name: "y", units: UNITS.slice(5) },
    ],
    indicators: groups.map((size, g) => ({
      code: `g${g}`,
      name: `g${g}`,
      weight: 1 + g,
      combine: "weighted",
      children: Array.from({ length: size }, () => {
        const l = leaf(k, kinds[k % kinds.length] ?? 0);
        k++;
        return l;
      }),
    })),
    grades: [
      { code: "优秀", minScore: 50, quota: { share: 0.3 } },
      { code: "良好", minScore: 30 },
      { code: "合格" },
    ],
  };
}

const numbersOf = (s: OfficialScores) => ({
  totals: Array.from(s.totals),
  nodes: s.tree.nodeScores.map((c) => Array.from(c)),
  base: Array.from(s.tree.base),
  rank: s.graded.rank,
  rankOf: s.graded.rankOf,
  grade: s.graded.grade,
  gradeByRules: s.graded.gradeByRules,
  failedMust: s.failedMust,
  missing: s.missing,
  reasons: s.graded.reasons,
  quotas: s.graded.quotas,
  warnings: s.tree.warnings,
  // Every unit's explanation, as the what-if page shows it.
  traces: s.plan.units.map((_, u) => unitTrace(s, u)),
});

function full(plan: Plan, rows: DataRow[], changes: ScenarioChanges) {
  const applied = applyScenario(plan, rows, changes);
  if (!applied.ok) throw new Error(applied.error.message.en);
  const scored = scoreOfficial(applied.value.plan, applied.value.rows, { hashes: false });
  if (!scored.ok) throw new Error(scored.error.message.en);
  return scored.value;
}

const edit = fc.oneof(
  fc.record({
    kind: fc.constant("weight" as const),
    node: fc.nat(20),
    weight: fc.double({ min: 0.1, max: 10, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant("value" as const),
    unit: fc.constantFrom(...UNITS),
    leaf: fc.nat(20),
    value: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
  }),
  fc.record({ kind: fc.constant("grade" as const), share: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant("undo" as const) }),
);

describe("the incremental scorer (createScorer)", () => {
  it("gives exactly the numbers and explanations of scoring the scenario from nothing, after any sequence of edits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 4 }),
        fc.array(fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined, freq: 8 }), {
          minLength: 8 * 16,
          maxLength: 8 * 16,
        }),
        fc.array(edit, { minLength: 1, maxLength: 12 }),
        (groups, kinds, data, edits) => {
          const plan = planOf(groups, kinds);
          const leaves = groups.reduce((s, g) => s + g, 0);
          const rows: DataRow[] = [];
          for (let k = 0; k < leaves; k++)
            UNITS.forEach((unit, u) => {
              const value = data[(k * UNITS.length + u) % data.length];
              if (value !== undefined) rows.push({ unit, indicator: `l${k}`, period: "2022", value });
            });
          const created = createScorer(plan, rows);
          if (!created.ok) throw new Error(created.error.message.en);
          const scorer = created.value;
          const nodes = [
            ...groups.map((_, g) => `g${g}`),
            ...Array.from({ length: leaves }, (_, k) => `l${k}`),
          ];
          const history: ScenarioChanges[] = [{}];
          for (const e of edits) {
            const last = history[history.length - 1]!;
            let next: ScenarioChanges;
            if (e.kind === "weight") {
              next = { ...last, weights: { ...last.weights, [nodes[e.node % nodes.length]!]: e.weight } };
            } else if (e.kind === "value") {
              const v = { unit: e.unit, indicator: `l${e.leaf % leaves}`, period: "2022", value: e.value };
              const others = (last.values ?? []).filter(
                (x) => x.unit !== v.unit || x.indicator !== v.indicator,
              );
              next = { ...last, values: [...others, v] };
            } else if (e.kind === "grade") {
              next = { ...last, grades: { 优秀: { share: e.share } } };
            } else {
              next = history.length > 1 ? history[history.length - 2]! : {};
            }
            history.push(next);
            const incremental = scorer.score(next);
            if (!incremental.ok) throw new Error(incremental.error.message.en);
            expect(numbersOf(incremental.value)).toEqual(numbersOf(full(plan, rows, next)));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("explains a leaf from its unrounded points, as scoring from nothing does (a weight whose points sit 1e-10 below a cent)", () => {
    // Found by the property above: full points 15.6249999995 round to 15.625 in the node's column;
    // the rule's sentence must read 15.62 of 15.62 on both paths.
    const plan = planOf([2, 1, 1, 4], [0]);
    const rows: DataRow[] = [
      { unit: "G", indicator: "l7", period: "2022", value: 0 },
      { unit: "H", indicator: "l7", period: "2022", value: 5e-324 },
    ];
    const changes = { weights: { g3: 9.999999999146667 } };
    const created = createScorer(plan, rows);
    if (!created.ok) throw new Error(created.error.message.en);
    const incremental = created.value.score(changes);
    if (!incremental.ok) throw new Error(incremental.error.message.en);
    const leafText = (s: OfficialScores) => unitTrace(s, 7)[3]!.children![3]!.text.en;
    expect(leafText(full(plan, rows, changes))).toMatch(/: 15\.62 of 15\.62 points$/);
    expect(leafText(incremental.value)).toBe(leafText(full(plan, rows, changes)));
  });

  it("refuses what applyScenario refuses, naming it, and scores on afterwards", () => {
    const plan = planOf([2, 1], [0, 1, 2]);
    const rows: DataRow[] = UNITS.flatMap((unit, u) =>
      ["l0", "l1", "l2"].map((indicator) => ({ unit, indicator, period: "2022", value: 10 + u })),
    );
    const created = createScorer(plan, rows);
    if (!created.ok) throw new Error(created.error.message.en);
    const unknown = created.value.score({ weights: { nowhere: 2 } });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.code).toBe("SCENARIO_UNKNOWN_NODE");
    const stranger = created.value.score({
      values: [{ unit: "Z", indicator: "l0", period: "2022", value: 1 }],
    });
    expect(stranger.ok).toBe(false);
    if (!stranger.ok) expect(stranger.error.code).toBe("SCENARIO_UNKNOWN_UNIT");
    const after = created.value.score({ weights: { g0: 3 } });
    expect(after.ok && numbersOf(after.value)).toEqual(numbersOf(full(plan, rows, { weights: { g0: 3 } })));
  });
});
