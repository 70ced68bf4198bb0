/**
 * What-if at frame speed (issue 10): the incremental scorer (`createScorer`) on a generated plan of
 * 10,000 units × 200 indicators (relative min-max leaves, tree 200 → 40 → 4, 4 categories, quota grades,
 * 2% missing). Timed: the first full score (indexing the data and scoring every leaf); a re-score after
 * one weight changes (the first top-level node's: every leaf's points follow it, rescaled, not normalised
 * again; and a leaf's: its siblings' points follow); after one value changes (one column scored again); and, for comparison, the same scenario scored
 * from nothing (applyScenario then scoreOfficial without hashes, what the simulator did before). Each is the
 * median and least of a few runs, alternating two scenarios so that every run has a change to make, and as
 * a multiple of a baseline pass over the same values in the same process.
 * The least CPU time (the process's, all threads) is printed beside the least wall time.
 * BENCH_WHATIF_SIZE="units x leaves" chooses the plan. Run: npm run bench
 */
import { applyScenario, createScorer, type ScenarioChanges, scoreOfficial } from "../src/engine/index.js";
import { baseline, generate } from "./generated-plan.js";

const RUNS = Number(process.env.BENCH_WHATIF_RUNS ?? 9);
const [units, leaves] = (process.env.BENCH_WHATIF_SIZE ?? "10000x200").split("x").map(Number) as [
  number,
  number,
];
const FRAME_MS = 16;
const FIRST_MS = 300;

const { plan, rows, values } = generate(units, leaves, [leaves / 5, 4], 4);
const pass = baseline(values);

/**
 * Wall time, and the process's CPU time (user + system, all its threads: the garbage collector's
 * helpers too), which a machine shared with other work inflates less than the wall time.
 */
function timed(f: (run: number) => unknown): { median: number; min: number; cpu: number } {
  f(-1);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f(r);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { median: times[times.length >> 1] as number, min: times[0] as number, cpu: cpu[0] as number };
}

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: { en: string } } }): T => {
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
};

const first = plan.indicators[0]!;
const weight = (r: number): ScenarioChanges => ({ weights: { [first.code]: 1 + 0.1 * (1 + (r & 1)) } });
const leafWeight = (r: number): ScenarioChanges => ({ weights: { i1: 2 + (r & 1) } });
const value = (r: number): ScenarioChanges => ({
  values: [{ unit: `u${units >> 1}`, indicator: "i1", period: "2022", value: 40 + (r & 1) * 30 }],
});

console.log(
  `kaohe what-if benchmark: ${units.toLocaleString("en")} units × ${leaves} indicators, median and least of ${RUNS} runs`,
);
console.log("");
console.log("| what | ms | least ms | least CPU ms | × baseline pass | goal |");
console.log("|---|---:|---:|---:|---:|---|");
const row = (what: string, t: { median: number; min: number; cpu: number }, goal?: number) =>
  console.log(
    `| ${what} | ${t.median.toFixed(1)} | ${t.min.toFixed(1)} | ${t.cpu.toFixed(1)} | ${(t.median / pass).toFixed(0)} | ${goal === undefined ? "" : `< ${goal} ms: ${t.min < goal ? "met" : "not met"} (least)`} |`,
  );
row(
  "first full score (createScorer, then the scenario without changes)",
  timed(() => must(must(createScorer(plan, rows)).score({}))),
  FIRST_MS,
);
const scorer = must(createScorer(plan, rows));
must(scorer.score({}));
row(
  "re-score after a top-level weight changes (every leaf's points follow)",
  timed((r) => must(scorer.score(weight(r)))),
  FRAME_MS,
);
must(scorer.score({}));
row(
  "re-score after a leaf's weight changes",
  timed((r) => must(scorer.score(leafWeight(r)))),
  FRAME_MS,
);
must(scorer.score({}));
row(
  "re-score after one value changes",
  timed((r) => must(scorer.score(value(r)))),
  FRAME_MS,
);
row(
  "the same weight change scored from nothing (applyScenario, scoreOfficial)",
  timed((r) => must(scoreOfficial(must(applyScenario(plan, rows, weight(r))).plan, rows, { hashes: false }))),
);
console.log("");
console.log(
  `(baseline pass: ${pass.toFixed(2)} ms; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)`,
);
