/**
 * `kaohe coin` as a whole process (issue 10, "Command line as a whole process"): generates a COINr-style
 * iData/iMeta pair of 10,000 units × 200 indicators (2% missing, tree 200 → 20 → 4 → 1, one group column)
 * into a temporary folder, runs the built CLI as a child process for normalise (min-max) + aggregate
 * (arithmetic mean) with every output file written, and prints the least and the median of several runs
 * with the child's peak memory (/usr/bin/time -v). The same-run baseline is a child process that only
 * reads iData.csv as text: the ratio says how far the whole command is from reading its input. COINr's
 * figures are recorded ones (same machine, not this run); where Rscript and COINr are installed they are
 * timed here too. Run: npm run bench (or node dist/bench/coin-process.bench.js [--keep DIR] after a build).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRandom } from "../src/engine/index.js";

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const INDICATORS = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** COINr 1.1.14's whole process on this pair (read, normalise, aggregate, write), measured on this machine. */
const COINR = { seconds: 11.2, peakMb: 530 };
const GOAL_SPEEDUP = 5;

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "kaohe.js");

/** Writes iData.csv, iMeta.csv and spec.json into dir; the values are the engine bench's kind of data. */
export function writeCoinPair(dir: string, units = UNITS): void {
  const random = createRandom(20221);
  const codes = Array.from({ length: INDICATORS }, (_, i) => `i${i}`);
  const meta = ["Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type"];
  codes.forEach((c, i) => {
    meta.push(`1,${c},Indicator ${i},${i % 7 === 0 ? -1 : 1},${1 + (i % 3)},,,,p${i % 20},Indicator`);
  });
  for (let p = 0; p < 20; p++) meta.push(`2,p${p},Pillar ${p},1,1,,,,s${p % 4},Aggregate`);
  for (let s = 0; s < 4; s++) meta.push(`3,s${s},Sub-index ${s},1,1,,,,index,Aggregate`);
  meta.push("4,index,Index,1,1,,,,,Aggregate");
  meta.push(",Region_group,Region,,,,,,,Group");
  writeFileSync(join(dir, "iMeta.csv"), `${meta.join("\n")}\n`);
  const lines = [["uCode", "uName", "Region_group", ...codes].join(",")];
  for (let u = 0; u < units; u++) {
    const cells = [`u${String(u).padStart(5, "0")}`, `Unit ${u}`, `r${u % 10}`];
    for (let j = 0; j < INDICATORS; j++) {
      if (random.next() < 0.02) cells.push("");
      else cells.push(String(j % 3 === 0 ? Math.exp(random.normal() * 1.2) : 50 + 10 * random.normal()));
    }
    lines.push(cells.join(","));
  }
  writeFileSync(join(dir, "iData.csv"), `${lines.join("\n")}\n`);
  const spec = {
    steps: [
      { step: "normalise", method: "minmax", range: [0, 100] },
      { step: "aggregate", methods: ["amean"] },
    ],
  };
  writeFileSync(join(dir, "spec.json"), `${JSON.stringify(spec, null, 2)}\n`);
}

interface Measured {
  seconds: number;
  /** User + system CPU seconds of the child (all its threads): what the load of other processes leaves alone. */
  cpu: number;
  peakMb: number;
}

/** Runs a command under /usr/bin/time -v (when present): wall time, and the child's peak resident memory. */
function measure(command: string, args: string[]): Measured {
  const timed = existsSync("/usr/bin/time");
  const t0 = performance.now();
  const r = timed
    ? spawnSync("/usr/bin/time", ["-v", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${r.stderr}`);
  const field = (name: string) => {
    const m = new RegExp(`${name}: ([\\d.]+)`).exec(r.stderr ?? "");
    return m ? Number(m[1]) : Number.NaN;
  };
  return {
    seconds,
    cpu: field("User time \\(seconds\\)") + field("System time \\(seconds\\)"),
    peakMb: field("Maximum resident set size \\(kbytes\\)") / 1024,
  };
}

function repeat(f: () => Measured): { least: Measured; median: Measured } {
  const runs = Array.from({ length: RUNS }, f).sort((a, b) => a.seconds - b.seconds);
  return { least: runs[0] as Measured, median: runs[runs.length >> 1] as Measured };
}

const keepAt = process.argv.indexOf("--keep");
const dir =
  keepAt !== -1 ? (process.argv[keepAt + 1] as string) : mkdtempSync(join(tmpdir(), "kaohe-coin-bench-"));
mkdirSync(dir, { recursive: true });
try {
  writeCoinPair(dir);
  const iData = join(dir, "iData.csv");
  const megabytes = readFileSync(iData).length / 1e6;
  const plainRead = repeat(() =>
    measure(process.execPath, ["-e", `require("node:fs").readFileSync(${JSON.stringify(iData)}, "utf8")`]),
  );
  const coin = repeat(() =>
    measure(process.execPath, [
      bin,
      "coin",
      "--idata",
      iData,
      "--imeta",
      join(dir, "iMeta.csv"),
      "--spec",
      join(dir, "spec.json"),
      "--out",
      join(dir, "out"),
    ]),
  );
  const hasR =
    spawnSync("Rscript", ["-e", "library(COINr)"], { encoding: "utf8", stdio: "pipe" }).status === 0;
  const coinr = hasR
    ? repeat(() =>
        measure("Rscript", [
          "-e",
          `library(COINr); d <- read.csv(${JSON.stringify(iData)}); m <- read.csv(${JSON.stringify(join(dir, "iMeta.csv"))}); ` +
            `m$Parent[m$Parent == ""] <- NA; coin <- new_coin(d, m, quietly = TRUE); ` +
            `coin <- Normalise(coin, dset = "Raw"); coin <- Aggregate(coin, dset = "Normalised"); ` +
            `write.csv(get_dset(coin, "Aggregated"), ${JSON.stringify(join(dir, "coinr.csv"))})`,
        ]),
      )
    : null;

  const s = (x: number) => x.toFixed(2);
  const mb = (x: number) => (Number.isNaN(x) ? "?" : x.toFixed(0));
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(
    `kaohe coin, whole process: ${UNITS} units x ${INDICATORS} indicators (iData.csv ${megabytes.toFixed(1)} MB), ` +
      `normalise min-max + aggregate amean, every output written; ${RUNS} runs; load ${load}`,
  );
  console.log("");
  console.log("| process | least s | median s | CPU s (least run) | peak MB | x plain read (least) | goal |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  const row = (name: string, m: { least: Measured; median: Measured }, goal = "") =>
    console.log(
      `| ${name} | ${s(m.least.seconds)} | ${s(m.median.seconds)} | ${Number.isNaN(m.least.cpu) ? "?" : s(m.least.cpu)} | ${mb(m.least.peakMb)} | ${(m.least.seconds / plainRead.least.seconds).toFixed(1)} | ${goal} |`,
    );
  row("plain read of iData.csv (node, baseline)", plainRead);
  const limit = COINR.seconds / GOAL_SPEEDUP;
  const met = coin.least.seconds <= limit && !(coin.least.peakMb > COINR.peakMb);
  row(
    "kaohe coin",
    coin,
    `<= ${limit.toFixed(2)} s and <= ${COINR.peakMb} MB: ${met ? "met" : "MISSED"} (${(COINR.seconds / coin.least.seconds).toFixed(1)}x faster than COINr)`,
  );
  if (coinr) row("COINr 1.1.14 (Rscript, this run)", coinr);
  console.log(
    `| COINr 1.1.14 (recorded on this machine, not this run) | ${s(COINR.seconds)} | | | ${COINR.peakMb} | | |`,
  );
  if (!coinr) console.log("\n(Rscript with COINr is not installed here: COINr's row is the recorded one.)");
} finally {
  if (keepAt === -1) rmSync(dir, { recursive: true, force: true });
}
