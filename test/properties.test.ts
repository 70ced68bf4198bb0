import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aggregate,
  buildFramework,
  type Dataset,
  datasetFromRows,
  type Framework,
  type IndicatorNode,
  normalise,
  rankDataset,
  selectRows,
} from "../src/engine/index.js";

/** A two-level tree: 6 indicators -> 2 pillars (weights drawn per run) -> index. */
function framework(weights: number[], pillarWeights: number[]): Framework {
  const nodes: IndicatorNode[] = [
    ...weights.map((w, k) => ({
      code: `i${k}`,
      name: `i${k}`,
      level: 1,
      parent: k < 3 ? "P" : "Q",
      direction: (k % 2 === 0 ? 1 : -1) as 1 | -1,
      weight: w,
    })),
    { code: "P", name: "P", level: 2, parent: "I", direction: 1, weight: pillarWeights[0] ?? 1 },
    { code: "Q", name: "Q", level: 2, parent: "I", direction: 1, weight: pillarWeights[1] ?? 1 },
    { code: "I", name: "I", level: 3, parent: null, direction: 1, weight: 1 },
  ];
  const f = buildFramework(nodes);
  if (!f.ok) throw new Error(f.error.message.en);
  return f.value;
}

const value = fc.oneof(
  { weight: 9, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
);
const table = fc
  .integer({ min: 3, max: 12 })
  .chain((n) => fc.array(fc.array(value, { minLength: 6, maxLength: 6 }), { minLength: n, maxLength: n }));
const weight = fc.double({ min: 0.01, max: 100, noNaN: true });
const weights = fc.array(weight, { minLength: 6, maxLength: 6 });

function score(rows: number[][], f: Framework): Dataset {
  const units = rows.map((_, i) => `U${String(i).padStart(3, "0")}`);
  const data = datasetFromRows(units, f.indicators, rows);
  const n = normalise(data, f, { normaliser: { method: "minmax", range: [0, 100] } });
  if (!n.ok) throw new Error(n.error.message.en);
  const a = aggregate(n.value.data, f, { methods: ["amean"] });
  if (!a.ok) throw new Error(a.error.message.en);
  return a.value;
}

const cell = (d: Dataset, unit: string, code: string) =>
  d.values[d.columns.indexOf(code) * d.units.length + d.units.indexOf(unit)] as number;

/** Equal up to rounding, and both NaN counts as equal. */
const same = (a: number, b: number) =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

describe("properties of min-max + arithmetic scoring", () => {
  it("permuting units changes nothing but their order", () => {
    fc.assert(
      fc.property(table, weights, fc.infiniteStream(fc.double()), (rows, w, noise) => {
        const f = framework(w, [1, 1]);
        const base = score(rows, f);
        const order = rows
          .map((_, i) => [i, noise.next().value] as const)
          .sort((a, b) => a[1] - b[1])
          .map(([i]) => i);
        const shuffled = score(
          order.map((i) => rows[i] as number[]),
          f,
        );
        // shuffled's unit k holds original row order[k]; rename back and compare cell by cell
        const renamed = { ...shuffled, units: order.map((i) => base.units[i] as string) };
        const back = selectRows(
          renamed,
          base.units.map((u) => renamed.units.indexOf(u)),
        );
        for (let k = 0; k < base.values.length; k++)
          expect(same(back.values[k] as number, base.values[k] as number)).toBe(true);
        expect([...rankDataset(back).values]).toEqual([...rankDataset(base).values]);
      }),
      { numRuns: 150 },
    );
  });

  it("scaling all the weights of one parent's children changes nothing", () => {
    fc.assert(
      fc.property(table, weights, fc.double({ min: 0.001, max: 1000, noNaN: true }), (rows, w, factor) => {
        const base = score(rows, framework(w, [1, 2]));
        const scaled = score(
          rows,
          framework(
            w.map((x, k) => (k < 3 ? x * factor : x)),
            [1, 2],
          ),
        );
        for (let k = 0; k < base.values.length; k++)
          expect(same(scaled.values[k] as number, base.values[k] as number)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("raising one higher-is-better raw value never lowers that unit's score", () => {
    fc.assert(
      fc.property(
        table,
        weights,
        fc.nat(),
        fc.constantFrom(0, 2, 4),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (rows, w, pick, indicator, raise) => {
          const f = framework(w, [1, 1]);
          const row = pick % rows.length;
          const before = score(rows, f);
          const raised = rows.map((r, i) =>
            i === row ? r.map((v, j) => (j === indicator && !Number.isNaN(v) ? v + raise : v)) : r,
          );
          const after = score(raised, f);
          const unit = before.units[row] as string;
          const a = cell(after, unit, "I");
          const b = cell(before, unit, "I");
          if (Number.isNaN(b)) return;
          expect(a).toBeGreaterThanOrEqual(b - 1e-9 * Math.max(1, Math.abs(b)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
