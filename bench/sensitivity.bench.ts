/**
 * Sensitivity benchmark (issue: assessment plans). 1,000 replications of normalise + aggregate + rank
 * (+ grade) under random weights, normalisers and aggregation methods, on generated plans of
 * 1,000 units x 50 indicators and 10,000 units x 200 indicators. Each time is also given as a multiple
 * of a baseline pass over the same data measured in this process. Run: npm run bench
 */
import { availableParallelism } from "node:os";
import { runSensitivityParallel } from "../src/cli/sensitivity-pool.js";
import {
  buildSensitivityModel,
  createRandom,
  type DataRow,
  type IndicatorSpec,
  type Plan,
  runSensitivity,
  type SensitivitySpec,
} from "../src/engine/index.js";

const RUNS = Number(process.env.BENCH_SA_RUNS ?? 1000);

/** A plan of `units` x `leaves` relative (min-max) indicators in a 4-level tree, with data. */
function generate(
  units: number,
  leaves: number,
  branches: [number, number],
): { plan: Plan; rows: DataRow[]; values: Float64Array } {
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
    categories: [
      { code: "a", name: "a", units: codes.slice(0, units / 2) },
      { code: "b", name: "b", units: codes.slice(units / 2) },
    ],
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
      const value = k % 3 === 0 ? Math.exp(random.normal()) : 50 + 10 * random.normal();
      values[k * units + u] = value;
      rows.push({ unit: `u${u}`, indicator: `i${k}`, period: "2022", value });
    }
  }
  return { plan, rows, values };
}

function baseline(values: Float64Array): number {
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

const spec: SensitivitySpec = {
  weights: 0.25,
  normalisers: true,
  aggregation: ["arithmetic", "geometric"],
  drop: false,
};
const options = { runs: RUNS, seed: 1, indices: false };
const workers = availableParallelism();

console.log(
  `kaohe sensitivity benchmark: ${RUNS} replications (weights +-25%, 3 normalisers, 2 aggregations), ${workers} cores`,
);
console.log("");
console.log(
  "| plan | normalisation | replications | threads | seconds | ms per replication | x baseline pass | COINr | goal |",
);
console.log("|---|---|---:|---:|---:|---:|---:|---|---|");
for (const [units, leaves, branches, coinr, goal] of [
  [1_000, 50, [10, 2], "86 s", 5],
  [10_000, 200, [20, 4], "about 38 min", 120],
] as const) {
  const { plan, rows, values } = generate(units, leaves, [...branches]);
  const base = baseline(values);
  const model = buildSensitivityModel(plan, rows, spec);
  if (!model.ok) throw new Error(model.error.message.en);
  const report = (threads: number, seconds: number, normalisation: string) => {
    const per = (seconds * 1000) / RUNS;
    const met = seconds < goal ? "met" : "MISSED";
    console.log(
      `| ${units} x ${leaves} | ${normalisation} | ${RUNS} | ${threads} | ${seconds.toFixed(1)} | ${per.toFixed(1)} | ${(per / base).toFixed(0)} | ${coinr} | < ${goal} s ${met} |`,
    );
  };
  if (units <= 1000) {
    const t0 = performance.now();
    runSensitivity(model.value, options);
    report(1, (performance.now() - t0) / 1000, "memoised");
    const single = buildSensitivityModel(plan, rows, { ...spec, recompute: true });
    if (!single.ok) throw new Error(single.error.message.en);
    const t2 = performance.now();
    runSensitivity(single.value, options);
    report(1, (performance.now() - t2) / 1000, "re-normalised");
  }
  const t1 = performance.now();
  await runSensitivityParallel(model.value, plan, rows, spec, options, workers);
  report(workers, (performance.now() - t1) / 1000, "memoised");
  const recompute = { ...spec, recompute: true };
  const fresh = buildSensitivityModel(plan, rows, recompute);
  if (!fresh.ok) throw new Error(fresh.error.message.en);
  const t3 = performance.now();
  await runSensitivityParallel(fresh.value, plan, rows, recompute, options, workers);
  report(workers, (performance.now() - t3) / 1000, "re-normalised");
}
