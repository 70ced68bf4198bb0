/** The generated plans and data the benchmarks share, and their baseline pass. */
import { createRandom, type DataRow, type IndicatorSpec, type Plan } from "../src/engine/index.js";

/**
 * A plan of `units` x `leaves` relative (min-max) indicators in a 4-level tree, with data: values of
 * full double precision, or rounded to `decimals` (as reported statistics are).
 */
export function generate(
  units: number,
  leaves: number,
  branches: [number, number],
  categories = 2,
  decimals?: number,
): { plan: Plan; rows: DataRow[]; values: Float64Array } {
  const scale = decimals === undefined ? 0 : 10 ** decimals;
  const random = createRandom(units * 31 + leaves);
  const [mid, top] = branches;
  const leaf = (k: number): IndicatorSpec => ({
    code: `i${k}`,
    name: `i${k}`,
    weight: 1 + (k % 3),
    direction: k % 7 === 0 ? -1 : 1,
    rule: {
      type: "relative",
      normaliser: { method: "minmax", range: [0, 1] },
      alternatives: [{ method: "dist2max" }, { method: "prank" }],
    },
  });
  const perMid = leaves / mid;
  const perTop = mid / top;
  const indicators: IndicatorSpec[] = Array.from({ length: top }, (_, t) => ({
    code: `s${t}`,
    name: `s${t}`,
    weight: 1,
    combine: "weighted",
    children: Array.from({ length: perTop }, (_, m) => {
      const p = t * perTop + m;
      return {
        code: `p${p}`,
        name: `p${p}`,
        weight: 1,
        combine: "weighted",
        children: Array.from({ length: perMid }, (_, l) => leaf(p * perMid + l)),
      } as IndicatorSpec;
    }),
  }));
  const codes = Array.from({ length: units }, (_, u) => `u${u}`);
  const plan: Plan = {
    format: "kaohe-plan/1",
    id: "bench",
    name: "bench",
    period: { key: "2022" },
    pointsTotal: 100,
    units: codes.map((code) => ({ code, name: code })),
    categories: [...categoriesOf(codes, categories)],
    indicators,
    grades: [
      { code: "优秀", minScore: 60, quota: { share: 0.2 } },
      { code: "良好", minScore: 45, quota: { share: 0.5 } },
      { code: "合格" },
    ],
  };
  const values = new Float64Array(units * leaves);
  const rows: DataRow[] = [];
  for (let k = 0; k < leaves; k++) {
    for (let u = 0; u < units; u++) {
      if (random.next() < 0.02) continue;
      const drawn = k % 3 === 0 ? Math.exp(random.normal()) : 50 + 10 * random.normal();
      const value = scale === 0 ? drawn : Math.round(drawn * scale) / scale;
      values[k * units + u] = value;
      rows.push({ unit: `u${u}`, indicator: `i${k}`, period: "2022", value });
    }
  }
  return { plan, rows, values };
}

/** `count` categories of equal size. */
function categoriesOf(codes: string[], count: number) {
  const size = Math.ceil(codes.length / count);
  return Array.from({ length: count }, (_, c) => ({
    code: `c${c}`,
    name: `c${c}`,
    units: codes.slice(c * size, (c + 1) * size),
  }));
}

/** The median time of a plain pass summing the values: the unit the benchmarks' ratios are in. */
export function baseline(values: Float64Array): number {
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    let s = 0;
    for (let k = 0; k < values.length; k++) s += values[k] as number;
    sink += s;
    times.push(performance.now() - t0);
  }
  if (sink === 42) console.log("");
  return times.sort((a, b) => a - b)[3] as number;
}
