import { describe, expect, it } from "vitest";
import { datasetFromRows, datasetFromValues, datasetRows } from "../dataset.js";
import { buildFramework, type Framework, type IndicatorNode } from "../framework.js";
import { createRandom } from "../random.js";
import { aggregate, weightedMedian } from "./aggregate.js";

const NA = Number.NaN;
const n = (code: string, level: number, parent: string | null, weight = 1): IndicatorNode => ({
  code,
  name: code,
  level,
  parent,
  direction: 1,
  weight,
});
const framework = (() => {
  const f = buildFramework([
    n("a", 1, "P", 1),
    n("b", 1, "P", 3),
    n("c", 1, "Q"),
    n("P", 2, "I"),
    n("Q", 2, "I"),
    n("I", 3, null),
  ]);
  if (!f.ok) throw new Error();
  return f.value;
})() as Framework;

const data = datasetFromRows(
  ["A", "B", "C"],
  ["a", "b", "c"],
  [
    [10, 20, 40],
    [NA, 20, 10],
    [4, 1, NA],
  ],
);

const run = (options: Parameters<typeof aggregate>[2]) => {
  const r = aggregate(data, framework, options);
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
};

describe("aggregate", () => {
  it("weighted arithmetic mean at every level; missing children dropped and weights renormalised", () => {
    const out = run({ methods: ["amean"] });
    expect(out.columns).toEqual(["a", "b", "c", "P", "Q", "I"]);
    const rows = datasetRows(out);
    expect(rows[0]?.slice(3)).toEqual([17.5, 40, 28.75]); // P = (10 + 3*20)/4
    expect(rows[1]?.slice(3)).toEqual([20, 10, 15]); // a missing: P = b
    expect(rows[2]?.slice(3)).toEqual([1.75, NA, 1.75]); // Q missing: I = P
    expect(out.na[5 * 3 + 2]).toBe(0);
    expect(out.na[4 * 3 + 2]).toBe(1);
  });

  it("data-availability threshold makes an aggregate missing", () => {
    const rows = datasetRows(run({ methods: ["amean"], dataThreshold: 0.6 }));
    expect(rows[1]?.[3]).toBeNaN(); // 1 of 2 children available < 0.6
    expect(rows[0]?.[3]).toBe(17.5);
  });

  it("geometric, harmonic and generalised means", () => {
    const g = datasetRows(run({ methods: ["gmean"] }));
    expect(g[0]?.[3]).toBeCloseTo(Math.exp((Math.log(10) + 3 * Math.log(20)) / 4), 12);
    const h = datasetRows(run({ methods: ["hmean"] }));
    expect(h[0]?.[3]).toBeCloseTo(4 / (1 / 10 + 3 / 20), 12);
    const p2 = datasetRows(run({ methods: ["genmean"], p: 2 }));
    expect(p2[0]?.[3]).toBeCloseTo(Math.sqrt((100 + 3 * 400) / 4), 12);
    expect(p2[1]?.[3]).toBeNaN(); // as COINr: any missing child makes the generalised mean missing
  });

  it("one method per level", () => {
    const rows = datasetRows(run({ methods: ["gmean", "amean"] }));
    const p = Math.exp((Math.log(10) + 3 * Math.log(20)) / 4);
    expect(rows[0]?.[5]).toBeCloseTo((p + 40) / 2, 12);
  });

  it("weight sets override the tree's weights, per level if needed", () => {
    const rows = datasetRows(run({ methods: ["amean"], weights: new Map([["b", 1]]) }));
    expect(rows[0]?.[3]).toBe(15);
    const perLevel = datasetRows(run({ methods: ["amean"], weights: [undefined, new Map([["Q", 3]])] }));
    expect(perLevel[0]?.[5]).toBe((17.5 + 3 * 40) / 4);
  });

  it("weighted median", () => {
    expect(weightedMedian(Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 1, 1, 1), 4)).toBe(2.5);
    expect(weightedMedian(Float64Array.of(1, 2, 3), Float64Array.of(1, 1, 1), 3)).toBe(2);
    expect(weightedMedian(Float64Array.of(5, 1, 9), Float64Array.of(1, 1, 5), 7)).toBe(9);
    const rows = datasetRows(run({ methods: ["wmedian"] }));
    expect(rows[0]?.[3]).toBe(20);
  });

  it("Copeland counts pairwise wins minus losses", () => {
    // P has a (weight 1/4) and b (3/4). A vs B: a is missing for B, b ties -> A's share 0.375 < 0.5: B wins.
    // A vs C: a 10 > 4 and b 20 > 1 -> share 1: A wins. B vs C: b 20 > 1 -> share 0.75: B wins.
    const rows = datasetRows(run({ methods: ["copeland", "amean"] }));
    expect(rows.map((r) => r[3])).toEqual([0, 2, -2]);
  });

  it("a geometric mean over a non-positive value names the cell and suggests the fix", () => {
    const zero = datasetFromRows(
      ["A", "B"],
      ["a", "b", "c"],
      [
        [1, 2, 3],
        [0, 2, 3],
      ],
    );
    const r = aggregate(zero, framework, { methods: ["gmean"] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: "AGGREGATE_NON_POSITIVE", indicator: "a", unit: "B", value: 0 });
    expect(r.error.hint?.en).toContain("[1, 100]");
    expect(r.error.message["zh-CN"]).toContain("单位 B");
  });

  it("rejects a methods list of the wrong length", () => {
    const r = aggregate(data, framework, { methods: ["amean", "amean", "amean"] });
    expect(r.ok).toBe(false);
  });

  it("the column-wise arithmetic mean gives the row-wise loop's exact bits, with missing cells and a threshold", () => {
    // Three children of unequal weights under P, two under Q; rows with 0 to 3 children missing.
    const f = buildFramework([
      n("a", 1, "P", 0.7),
      n("b", 1, "P", 3.1),
      n("c", 1, "P", 1.3),
      n("d", 1, "Q", 2.9),
      n("e", 1, "Q", 0.1),
      n("P", 2, "I", 1.7),
      n("Q", 2, "I", 0.3),
      n("I", 3, null),
    ]);
    if (!f.ok) throw new Error();
    const random = createRandom(7);
    const rows = 500;
    const values = new Float64Array(rows * 5);
    for (let k = 0; k < values.length; k++) values[k] = random.next() < 0.2 ? NA : random.normal() * 37;
    const d = datasetFromValues(
      Array.from({ length: rows }, (_, i) => `u${i}`),
      ["a", "b", "c", "d", "e"],
      values,
    );
    const out = aggregate(d, f.value, { methods: ["amean"], dataThreshold: 0.5 });
    if (!out.ok) throw new Error(out.error.message.en);
    // The reference: per row, weights of the available children summed in child order, then each
    // child adding (w / wsum) * x in child order.
    const rowWise = (xs: number[], ws: number[]) => {
      let wsum = 0;
      let k = 0;
      for (let c = 0; c < xs.length; c++)
        if (!Number.isNaN(xs[c])) {
          wsum += ws[c] as number;
          k++;
        }
      if (k === 0 || k / xs.length < 0.5) return NA;
      let s = 0;
      for (let c = 0; c < xs.length; c++)
        if (!Number.isNaN(xs[c])) s += ((ws[c] as number) / wsum) * (xs[c] as number);
      return s;
    };
    const got = datasetRows(out.value);
    let missing = 0;
    for (let i = 0; i < rows; i++) {
      const x = got[i] as number[];
      const p = rowWise(x.slice(0, 3), [0.7, 3.1, 1.3]);
      const q = rowWise(x.slice(3, 5), [2.9, 0.1]);
      expect(Object.is(x[5], p) || (Number.isNaN(x[5]) && Number.isNaN(p))).toBe(true);
      expect(Object.is(x[6], q) || (Number.isNaN(x[6]) && Number.isNaN(q))).toBe(true);
      expect(x[7]).toBe(rowWise([p, q], [1.7, 0.3]));
      if (Number.isNaN(p)) missing++;
    }
    expect(missing).toBeGreaterThan(0); // the threshold was exercised
  });
});
