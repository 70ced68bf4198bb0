import { describe, expect, it } from "vitest";
import type { Dataset } from "../dataset.js";
import { buildFramework, type Framework, type IndicatorNode } from "../framework.js";
import { createRandom } from "../random.js";
import { aggregate, aggregateCodes } from "./aggregate.js";
import { normalise } from "./normalise.js";
import { takeRoom, withRoom } from "./room.js";

/** 30 indicators under 6 parents under 2 pillars under an index; 200 units, 5% missing. */
const framework = (() => {
  const nodes: IndicatorNode[] = [];
  const node = (code: string, level: number, parent: string | null, weight = 1) =>
    nodes.push({ code, name: code, level, parent, direction: code.endsWith("7") ? -1 : 1, weight });
  for (let i = 0; i < 30; i++) node(`i${i}`, 1, `p${i % 6}`, 1 + (i % 4));
  for (let p = 0; p < 6; p++) node(`p${p}`, 2, `s${p % 2}`);
  for (let s = 0; s < 2; s++) node(`s${s}`, 3, "index");
  node("index", 4, null);
  const f = buildFramework(nodes);
  if (!f.ok) throw new Error(f.error.message.en);
  return f.value;
})() as Framework;

const data = ((): Dataset => {
  const random = createRandom(7);
  const units = Array.from({ length: 200 }, (_, u) => `u${u}`);
  const values = new Float64Array(units.length * 30);
  const na = new Uint8Array(values.length);
  for (let k = 0; k < values.length; k++) {
    if (random.next() < 0.05) {
      values[k] = Number.NaN;
      na[k] = 1;
    } else values[k] = 50 + 10 * random.normal();
  }
  return { units, columns: framework.indicators, values, na };
})();

const normalised = (room?: number) => {
  const r = normalise(data, framework, { normaliser: { method: "minmax" }, ...(room ? { room } : {}) });
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value.data;
};
const aggregated = (d: Dataset, weights?: Map<string, number>) => {
  const r = aggregate(d, framework, { methods: ["amean"], ...(weights ? { weights } : {}) });
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
};
const copy = (d: Dataset) => ({ values: Float64Array.from(d.values), na: Uint8Array.from(d.na) });

describe("room after the normalised columns for the aggregates (room.ts)", () => {
  const room = aggregateCodes(framework).length;

  it("aggregates into the room bit for bit as into a new buffer, the normalised data unchanged", () => {
    const plain = aggregated(normalised());
    const roomy = normalised(room);
    expect(copy(roomy)).toEqual(copy(normalised()));
    const before = copy(roomy);
    const appended = aggregated(roomy);
    // Appended where normalise left room: the same buffer, no copy of the indicators' columns.
    expect(appended.values.buffer).toBe(roomy.values.buffer);
    expect(appended.na.buffer).toBe(roomy.na.buffer);
    expect(appended.columns).toEqual(plain.columns);
    expect(copy(appended)).toEqual(copy(plain));
    expect(
      Object.is(appended.values[appended.values.length - 1], plain.values[plain.values.length - 1]),
    ).toBe(true);
    expect(copy(roomy)).toEqual(before);
  });

  it("is taken once: a second aggregation of the same data gets its own buffer and leaves the first as it was", () => {
    const roomy = normalised(room);
    const first = aggregated(roomy);
    const kept = copy(first);
    const weights = new Map(framework.indicators.map((c, k) => [c, 1 + (k % 5)] as const));
    const second = aggregated(roomy, weights);
    expect(second.values.buffer).not.toBe(roomy.values.buffer);
    expect(copy(second)).toEqual(copy(aggregated(normalised(), weights)));
    expect(copy(first)).toEqual(kept);
  });

  it("is never taken in a buffer not made with room, too small, or whose flags are another's", () => {
    const made = withRoom(10, 5);
    expect(takeRoom(new Float64Array(20), new Uint8Array(20), 15)).toBeNull();
    expect(takeRoom(made.values, new Uint8Array(made.na.buffer.slice(0)), 15)).toBeNull();
    expect(takeRoom(made.values, made.na, 16)).toBeNull();
    const taken = takeRoom(made.values, made.na, 15);
    expect(taken?.values.length).toBe(15);
    expect(Array.from(taken!.values.subarray(10))).toEqual([0, 0, 0, 0, 0]);
    expect(takeRoom(made.values, made.na, 15)).toBeNull();
  });
});
