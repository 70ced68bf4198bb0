/**
 * Engine benchmark (issue: composite-indicator engine). Generates 10,000 units x 200 indicators
 * (2% missing, tree 200 -> 20 -> 4 -> 1) and times each step as the median of several runs, each
 * also as a ratio to a baseline pass (summing the same Float64Array) measured in the same process,
 * so the figures compare across machines. Run: npm run bench
 */
import {
  aggregate,
  aggregateCodes,
  buildFramework,
  createRandom,
  type Dataset,
  type Framework,
  type IndicatorNode,
  impute,
  normalise,
  treat,
} from "../src/engine/index.js";

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const INDICATORS = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function makeFramework(): Framework {
  const nodes: IndicatorNode[] = [];
  for (let i = 0; i < INDICATORS; i++) {
    nodes.push({
      code: `i${i}`,
      name: `i${i}`,
      level: 1,
      parent: `p${i % 20}`,
      direction: i % 7 === 0 ? -1 : 1,
      weight: 1 + (i % 3),
    });
  }
  for (let p = 0; p < 20; p++)
    nodes.push({ code: `p${p}`, name: `p${p}`, level: 2, parent: `s${p % 4}`, direction: 1, weight: 1 });
  for (let s = 0; s < 4; s++)
    nodes.push({ code: `s${s}`, name: `s${s}`, level: 3, parent: "index", direction: 1, weight: 1 });
  nodes.push({ code: "index", name: "index", level: 4, parent: null, direction: 1, weight: 1 });
  const f = buildFramework(nodes);
  if (!f.ok) throw new Error(f.error.message.en);
  return f.value;
}

/** Skewed data (log-normal for a third of the indicators) so outlier treatment has real work. */
function makeData(framework: Framework): { data: Dataset; groups: string[] } {
  const random = createRandom(20221);
  const units = Array.from({ length: UNITS }, (_, i) => `u${String(i).padStart(5, "0")}`);
  const values = new Float64Array(UNITS * INDICATORS);
  const na = new Uint8Array(values.length);
  for (let j = 0; j < INDICATORS; j++) {
    for (let i = 0; i < UNITS; i++) {
      const k = j * UNITS + i;
      if (random.next() < 0.02) {
        values[k] = Number.NaN;
        na[k] = 1;
      } else values[k] = j % 3 === 0 ? Math.exp(random.normal() * 1.2) : 50 + 10 * random.normal();
    }
  }
  const groups = units.map((_, i) => `g${i % 10}`);
  return { data: { units, columns: framework.indicators, values, na }, groups };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

/** Least-of-N wall and CPU times of each timed step, beside its median (a loaded machine inflates medians). */
const leasts = new Map<string, { wall: number; cpu: number }>();
let lastLeast = { wall: 0, cpu: 0 };

function time(f: () => unknown): number {
  const times: number[] = [];
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  f(); // warm-up
  for (let r = 0; r < RUNS; r++) {
    globalThis.gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    const dt = performance.now() - t0;
    const dc = process.cpuUsage(c0);
    times.push(dt);
    wall = Math.min(wall, dt);
    cpu = Math.min(cpu, (dc.user + dc.system) / 1000);
  }
  lastLeast = { wall, cpu };
  return median(times);
}

/** Times a step and keeps its least-of-N figures under its name. */
function timeStep(step: string, f: () => unknown): number {
  const ms = time(f);
  leasts.set(step, lastLeast);
  return ms;
}

function ok<T>(r: { ok: true; value: T } | { ok: false; error: { message: { en: string } } }): T {
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

const framework = makeFramework();
const { data, groups } = makeData(framework);
const normalised = ok(normalise(data, framework, { normaliser: { method: "minmax", range: [0, 100] } })).data;
const normalised1to100 = ok(
  normalise(data, framework, { normaliser: { method: "minmax", range: [1, 100] } }),
).data;

const room = aggregateCodes(framework).length;
let sink = 0;
const baseline = timeStep("baseline", () => {
  let s = 0;
  const v = data.values;
  for (let k = 0; k < v.length; k++) {
    const x = v[k] as number;
    if (!Number.isNaN(x)) s += x;
  }
  sink += s;
});

/** COINr 1.1.14 on the same data size, same kind of machine (shared/conformance/coinr/README.md). */
const rows: { step: string; ms: number; coinrMs?: number; goalMs?: number }[] = [
  {
    step: "min-max normalisation",
    ms: timeStep("min-max normalisation", () =>
      normalise(data, framework, { normaliser: { method: "minmax" } }),
    ),
    coinrMs: 70,
  },
  {
    step: "arithmetic aggregation",
    ms: timeStep("arithmetic aggregation", () => aggregate(normalised, framework, { methods: ["amean"] })),
    coinrMs: 2600,
  },
  {
    step: "geometric aggregation",
    ms: timeStep("geometric aggregation", () =>
      aggregate(normalised1to100, framework, { methods: ["gmean"] }),
    ),
    coinrMs: 1600,
  },
  {
    step: "group-mean imputation",
    ms: timeStep("group-mean imputation", () => impute(data, { method: "mean_group", groups })),
    coinrMs: 250,
  },
  {
    step: "outlier treatment",
    ms: timeStep("outlier treatment", () => treat(data)),
    coinrMs: 8800,
    goalMs: 300,
  },
  {
    step: "normalise + aggregate (whole run)",
    ms: timeStep("normalise + aggregate (whole run)", () => {
      // As the pipeline runs them: normalise leaves room for the aggregates that follow (room.ts).
      const n = ok(normalise(data, framework, { normaliser: { method: "minmax" }, room }));
      ok(aggregate(n.data, framework, { methods: ["amean"] }));
    }),
    coinrMs: 2670,
    goalMs: 100,
  },
];

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
console.log(
  `kaohe engine benchmark: ${UNITS} units x ${INDICATORS} indicators, 2% missing, median of ${RUNS} runs`,
);
console.log(`baseline (one pass summing the Float64Array): ${baseline.toFixed(2)} ms`);
console.log("");
console.log("| step | median ms | x baseline | COINr ms | faster than COINr | goal |");
console.log("|---|---:|---:|---:|---:|---|");
for (const r of rows) {
  const goal = r.goalMs === undefined ? "" : `< ${r.goalMs} ms ${r.ms < r.goalMs ? "met" : "MISSED"}`;
  const speedup = r.coinrMs ? `${fmt(r.coinrMs / r.ms)}x` : "";
  console.log(
    `| ${r.step} | ${fmt(r.ms)} | ${fmt(r.ms / baseline)} | ${r.coinrMs ?? ""} | ${speedup} | ${goal} |`,
  );
}
const least = leasts.get("baseline") as { wall: number; cpu: number };
console.log("");
console.log(
  `least of ${RUNS} runs (wall and CPU; baseline ${least.wall.toFixed(2)} ms wall, ${least.cpu.toFixed(2)} ms CPU):`,
);
console.log("");
console.log("| step | least ms | x baseline | least CPU ms | x baseline CPU |");
console.log("|---|---:|---:|---:|---:|");
for (const r of rows) {
  const l = leasts.get(r.step) as { wall: number; cpu: number };
  console.log(
    `| ${r.step} | ${fmt(l.wall)} | ${fmt(l.wall / least.wall)} | ${fmt(l.cpu)} | ${fmt(l.cpu / least.cpu)} |`,
  );
}
if (sink === 42) console.log(""); // keep the baseline loop from being optimised away
