/**
 * Sensitivity benchmark (issue: assessment plans). 1,000 replications of normalise + aggregate + rank
 * (+ grade) under random weights, normalisers and aggregation methods, on generated plans of
 * 1,000 units x 50 indicators and 10,000 units x 200 indicators. Each time is also given as a multiple
 * of a baseline pass over the same data measured in this process. Run: npm run bench
 */
import { availableParallelism } from "node:os";
import { runSensitivityParallel } from "../src/cli/sensitivity-pool.js";
import { buildSensitivityModel, runSensitivity, type SensitivitySpec } from "../src/engine/index.js";
import { baseline, generate } from "./generated-plan.js";

const RUNS = Number(process.env.BENCH_SA_RUNS ?? 1000);

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
