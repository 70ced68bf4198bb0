/**
 * Official scoring benchmark (issue 14): scorePlan — the path of `kaohe score`, of every scoring run of
 * the service and of the what-if screens — on generated plans (relative min-max leaves in a 3-level
 * weighted tree, 4 categories, quota grades, 2% missing), with every unit's trace and with none, and
 * the input hashes alone. Each time is the median of a few runs, also as µs per cell and as a multiple
 * of a baseline pass over the same values. BENCH_SCORE_SIZES="units x leaves, ..." chooses the plans.
 * Run: npm run bench
 */
import { runHashes, scorePlan } from "../src/engine/index.js";
import { baseline, generate } from "./generated-plan.js";

const RUNS = Number(process.env.BENCH_SCORE_RUNS ?? 3);
const sizes = (process.env.BENCH_SCORE_SIZES ?? "1000x50, 2000x100, 4000x50")
  .split(",")
  .map((s) => s.trim().split("x").map(Number) as [number, number]);

function median(f: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[times.length >> 1] as number;
}

console.log(`kaohe official scoring benchmark: scorePlan, median of ${RUNS} runs`);
console.log("");
console.log("| plan | cells | what | ms | µs per cell | × baseline pass | peak RSS MB |");
console.log("|---|---:|---|---:|---:|---:|---:|");
for (const [units, leaves] of sizes) {
  const mid = leaves / 5;
  const top = [4, 3, 2].find((t) => mid % t === 0) ?? 1;
  const { plan, rows, values } = generate(units, leaves, [mid, top], 4);
  const pass = baseline(values);
  const cells = units * leaves;
  for (const [what, f] of [
    ["input hashes alone", () => runHashes(plan, rows)],
    ["scorePlan, no traces", () => scorePlan(plan, rows, { explain: [] })],
    ["scorePlan, every trace", () => scorePlan(plan, rows)],
  ] as const) {
    const check = f();
    if ("ok" in check && !check.ok) throw new Error(check.error.message.en);
    const ms = median(f);
    const rss = process.memoryUsage().rss / 1e6;
    console.log(
      `| ${units.toLocaleString("en")} × ${leaves} | ${cells.toLocaleString("en")} | ${what} | ${ms.toFixed(0)} | ${((ms * 1000) / cells).toFixed(1)} | ${(ms / pass).toFixed(0)} | ${rss.toFixed(0)} |`,
    );
  }
}
