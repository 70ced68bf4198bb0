import { describe, expect, it } from "vitest";
import type { Coin, UnitInfo } from "./coin.js";
import { datasetFromRows } from "./dataset.js";
import { buildFramework, type IndicatorNode } from "./framework.js";
import { regenerate, runPipeline } from "./pipeline.js";
import type { Spec } from "./spec.js";

const NA = Number.NaN;
const nodes: IndicatorNode[] = [
  { code: "x", name: "x", level: 1, parent: "I", direction: 1, weight: 1, denominator: "pop" },
  { code: "y", name: "y", level: 1, parent: "I", direction: -1, weight: 1 },
  { code: "I", name: "I", level: 2, parent: null, direction: 1, weight: 1 },
];
const framework = (() => {
  const f = buildFramework(nodes);
  if (!f.ok) throw new Error();
  return f.value;
})();

function unit(code: string, group: string, pop: number): UnitInfo {
  return { code, name: code, groups: { g: group }, denominators: { pop } };
}

const units = new Map([unit("A", "n", 10), unit("B", "n", 20), unit("C", "s", 5)].map((u) => [u.code, u]));
const slice = (time: number, rows: number[][]) => ({
  time,
  units,
  raw: datasetFromRows(["A", "B", "C"], ["x", "y"], rows),
});
const coin: Coin = {
  framework,
  groupNames: ["g"],
  slices: [
    slice(2021, [
      [100, 1],
      [100, 2],
      [50, NA],
    ]),
  ],
  weightSets: new Map(),
  denominatorTables: new Map(),
};

const spec: Spec = {
  steps: [
    { step: "denominate" },
    { step: "impute", method: "mean_group", group: "g" },
    { step: "normalise", method: "minmax", range: [0, 100] },
    { step: "aggregate", methods: ["amean"] },
  ],
};

describe("runPipeline", () => {
  it("runs the steps in order, naming each dataset and logging each step", () => {
    const r = runPipeline(coin, spec);
    if (!r.ok) throw new Error(r.error.message.en);
    const names = [...r.value.slices[0]!.datasets.keys()];
    expect(names).toEqual(["Raw", "Denominated", "Imputed", "Normalised", "Aggregated"]);
    expect(r.value.log.map((e) => [e.step, e.input, e.output])).toEqual([
      ["denominate", "Raw", "Denominated"],
      ["impute", "Denominated", "Imputed"],
      ["normalise", "Imputed", "Normalised"],
      ["aggregate", "Normalised", "Aggregated"],
    ]);
    const denominated = r.value.slices[0]!.datasets.get("Denominated")!;
    expect([...denominated.values.subarray(0, 3)]).toEqual([10, 5, 10]);
    // C is alone in group s, so its missing y cannot be filled, and the log says so
    expect(r.value.log[1]?.summary).toEqual([{ imputed: 0, remaining: 1 }]);
  });

  it("aggregates in the room normalise left (room.ts), the normalised dataset as normalise alone gives it", () => {
    const r = runPipeline(coin, spec);
    if (!r.ok) throw new Error(r.error.message.en);
    const sets = r.value.slices[0]!.datasets;
    const normalised = sets.get("Normalised")!;
    const aggregated = sets.get("Aggregated")!;
    expect(aggregated.values.buffer).toBe(normalised.values.buffer);
    const alone = runPipeline(coin, { steps: spec.steps.slice(0, 3) });
    if (!alone.ok) throw new Error(alone.error.message.en);
    const expected = alone.value.slices[0]!.datasets.get("Normalised")!;
    expect(Array.from(normalised.values)).toEqual(Array.from(expected.values));
    expect(Array.from(normalised.na)).toEqual(Array.from(expected.na));
    expect(normalised.values.length).toBe(expected.values.length);
  });

  it("regenerating from the log gives identical numbers", () => {
    const first = runPipeline(coin, spec);
    if (!first.ok) throw new Error();
    const again = regenerate(coin, spec, first.value.log);
    if (!again.ok) throw new Error();
    const a = first.value.slices[0]!.datasets.get("Aggregated")!;
    const b = again.value.slices[0]!.datasets.get("Aggregated")!;
    expect(Buffer.from(b.values.buffer).equals(Buffer.from(a.values.buffer))).toBe(true);
  });

  it("an input dataset that does not exist is an error naming the step", () => {
    const r = runPipeline(coin, { steps: [{ step: "treat", input: "Imputed" }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message.en).toContain("step 1 (treat)");
  });

  it("unknown group and unknown forced unit are errors", () => {
    const g = runPipeline(coin, { steps: [{ step: "impute", method: "mean_group", group: "nope" }] });
    expect(g.ok).toBe(false);
    const f = runPipeline(coin, {
      steps: [{ step: "screen", by: "missing", force: [{ unit: "Z", include: true }] }],
    });
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.error.unit).toBe("Z");
  });

  it("panel data: imputes across time, normalises all time points together by default", () => {
    const panel: Coin = {
      ...coin,
      slices: [
        slice(2020, [
          [10, 1],
          [20, 2],
          [30, 3],
        ]),
        slice(2021, [
          [NA, 1],
          [40, 2],
          [50, 3],
        ]),
      ],
    };
    const r = runPipeline(panel, {
      steps: [
        { step: "impute", method: "latest" },
        { step: "normalise", method: "minmax", range: [0, 100] },
      ],
    });
    if (!r.ok) throw new Error(r.error.message.en);
    const imputed2021 = r.value.slices[1]!.datasets.get("Imputed")!;
    expect(imputed2021.values[0]).toBe(10);
    const n2020 = r.value.slices[0]!.datasets.get("Normalised")!;
    const n2021 = r.value.slices[1]!.datasets.get("Normalised")!;
    // global min 10, max 50 across both years
    expect([...n2020.values.subarray(0, 3)]).toEqual([0, 25, 50]);
    expect([...n2021.values.subarray(0, 3)]).toEqual([0, 75, 100]);
    const local = runPipeline(panel, { steps: [{ step: "normalise", method: "minmax", global: false }] });
    if (!local.ok) throw new Error();
    expect([...local.value.slices[1]!.datasets.get("Normalised")!.values.subarray(1, 3)]).toEqual([0, 100]);
  });

  it("panel methods refuse data without time points", () => {
    const r = runPipeline(coin, { steps: [{ step: "impute", method: "linear" }] });
    expect(r.ok).toBe(false);
  });
});
