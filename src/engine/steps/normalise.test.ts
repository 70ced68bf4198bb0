import { describe, expect, it } from "vitest";
import { datasetFromRows, datasetFromValues, datasetRows } from "../dataset.js";
import { buildFramework, type Framework, type IndicatorNode } from "../framework.js";
import { createRandom } from "../random.js";
import { type Normaliser, normalise } from "./normalise.js";

const NA = Number.NaN;
const nodes: IndicatorNode[] = [
  { code: "up", name: "up", level: 1, parent: "I", direction: 1, weight: 1, target: 8 },
  { code: "down", name: "down", level: 1, parent: "I", direction: -1, weight: 1, target: 2 },
  { code: "I", name: "I", level: 2, parent: null, direction: 1, weight: 1 },
];
const framework = (() => {
  const f = buildFramework(nodes);
  if (!f.ok) throw new Error();
  return f.value;
})() as Framework;
// up: 2, 4, 10, NA    down: 1, 5, 9, 3
const data = datasetFromRows(
  ["A", "B", "C", "D"],
  ["up", "down"],
  [
    [2, 1],
    [4, 5],
    [10, 9],
    [NA, 3],
  ],
);

function run(normaliser: Normaliser, indicators?: Record<string, Normaliser>) {
  const r = normalise(data, framework, { normaliser, ...(indicators ? { indicators } : {}) });
  if (!r.ok) throw new Error(r.error.message.en);
  return { rows: datasetRows(r.value.data), warnings: r.value.warnings, data: r.value.data };
}
const col = (rows: number[][], j: number) => rows.map((r) => r[j]);

describe("normalise", () => {
  it("min-max flips lower-is-better indicators first and keeps missing missing", () => {
    const { rows, data: out } = run({ method: "minmax", range: [0, 100] });
    expect(col(rows, 0)).toEqual([0, 25, 100, NA]);
    expect(col(rows, 1)).toEqual([100, 50, 0, 75]);
    expect(out.na[3]).toBe(1);
  });

  it("goalposts are in the indicator's own units, truncated and scaled", () => {
    const { rows } = run({ method: "goalposts", lo: 2, hi: 6, scale: 100 });
    expect(col(rows, 0)).toEqual([0, 50, 100, NA]);
    // down: 1 is better than the best post (2) -> 100; 5 -> 25; 9 -> 0; 3 -> 75
    expect(col(rows, 1)).toEqual([100, 25, 0, 75]);
    const untruncated = run({ method: "goalposts", lo: 2, hi: 6, scale: 1, trunc: false });
    expect(col(untruncated.rows, 0)).toEqual([0, 0.5, 2, NA]);
  });

  it("scaled uses fixed bounds", () => {
    const { rows } = run({ method: "scaled", range: [0, 20], scaleFactor: 10 });
    expect(col(rows, 0)).toEqual([1, 2, 5, NA]);
    // lower-is-better: (x*-1 - (-20)) / 20 * 10
    expect(col(rows, 1)).toEqual([9.5, 7.5, 5.5, 8.5]);
  });

  it("distance to target uses each indicator's target, capped on request", () => {
    const { rows } = run({ method: "dist2targ", cap: true });
    // up: (x - 2) / (8 - 2)
    expect(col(rows, 0)).toEqual([0, 1 / 3, 1, NA]);
    // down: x' = -x, min -9, target -2: (x' + 9) / 7
    expect(col(rows, 1)).toEqual([1, 4 / 7, 0, 6 / 7]);
  });

  it("distance to a reference unit, capped", () => {
    const { rows } = run({ method: "dist2ref", reference: "B", cap: true });
    expect(col(rows, 0)).toEqual([0, 1, 1, NA]);
  });

  it("per-indicator overrides", () => {
    const { rows } = run({ method: "minmax" }, { down: { method: "rank" } });
    expect(col(rows, 0)).toEqual([0, 25, 100, NA]);
    expect(col(rows, 1)).toEqual([4, 2, 1, 3]);
  });

  it("a zero range is reported as a warning naming the indicator, not a silent NaN", () => {
    const flat = datasetFromRows(
      ["A", "B"],
      ["up", "down"],
      [
        [3, 1],
        [3, 2],
      ],
    );
    const r = normalise(flat, framework, { normaliser: { method: "minmax" } });
    if (!r.ok) throw new Error();
    expect(r.value.warnings).toHaveLength(1);
    expect(r.value.warnings[0]?.indicator).toBe("up");
    expect(r.value.data.na[0]).toBe(0); // computed NaN, not missing data
    expect(r.value.data.values[0]).toBeNaN();
  });

  it("errors name the indicator when a target or reference is missing", () => {
    const noTarget = buildFramework(nodes.map((n) => ({ ...n, target: undefined })));
    if (!noTarget.ok) throw new Error();
    const r = normalise(data, noTarget.value, { normaliser: { method: "dist2targ" } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: "MISSING_TARGET", indicator: "up" });
    const ref = normalise(data, framework, { normaliser: { method: "dist2ref", reference: "Z" } });
    expect(ref.ok).toBe(false);
    if (!ref.ok) expect(ref.error).toMatchObject({ code: "UNKNOWN_REFERENCE_UNIT", unit: "Z" });
  });

  it("the fused min-max gives the bits of min and max taken apart, then (x - min) / (max - min) scaled", () => {
    const random = createRandom(11);
    const rows = 400;
    const values = new Float64Array(rows * 2);
    for (let k = 0; k < values.length; k++) values[k] = random.next() < 0.1 ? NA : random.normal() * 13.7 + 3;
    const d = datasetFromValues(
      Array.from({ length: rows }, (_, i) => `u${i}`),
      ["up", "down"],
      values,
    );
    const r = normalise(d, framework, { normaliser: { method: "minmax", range: [1, 100] } });
    if (!r.ok) throw new Error(r.error.message.en);
    for (const [j, direction] of [
      [0, 1],
      [1, -1],
    ] as const) {
      const x = Array.from(values.subarray(j * rows, (j + 1) * rows), (v) => v * direction);
      const present = x.filter((v) => !Number.isNaN(v));
      const lo = Math.min(...present);
      const hi = Math.max(...present);
      for (let i = 0; i < rows; i++) {
        const want = (((x[i] as number) - lo) / (hi - lo)) * 99 + 1;
        const got = r.value.data.values[j * rows + i] as number;
        expect(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))).toBe(true);
      }
    }
    expect(r.value.data.na).toEqual(d.na);
  });
});
