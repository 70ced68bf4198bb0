import { createHash, webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import {
  type Coin,
  correlationsWithParent,
  type Dataset,
  formatError,
  indicatorStats,
  type PipelineResult,
  runPipeline,
  type Spec,
  stackRows,
  type TieMethod,
} from "../../engine/index.js";
import { bilingual, CliError } from "../cli-error.js";
import { readCoin, readDenominators, readWeights } from "../coin-input.js";
import { readCoinFromBytes } from "../coin-input-fast.js";
import type { CommandContext } from "../command.js";
import { decodeUtf8, formatNumber, numberCell, parseCsv, readCsv, readFileBytes, toCsv } from "../csv.js";
import type { DatasetCsvJob } from "../dataset-csv-worker.js";
import {
  datasetsByName,
  effectiveWeightsCsv,
  groupRanksOf,
  ranksOf,
  screenCsv,
  statsCsv,
  type TimedDataset,
  treatDetailsCsv,
  treatedPointsCsv,
  writeDatasetCsv,
} from "../output.js";
import { readSpec } from "../spec-file.js";
import { StagedFiles, writeFilesAtomically } from "../write-files.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * The coin of an iData file's bytes and an iMeta file: straight from the bytes where the file is simple
 * CSV without faults, otherwise (and for every error, which then reads as it always has) through
 * parseCsv and readCoin, in the order they always read the files.
 */
function readCoinFile(idataBytes: Buffer, idataPath: string, imetaPath: string): Coin {
  try {
    const fast = readCoinFromBytes(idataBytes, readCsv(imetaPath));
    if (fast) return fast;
  } catch {
    // A fault in either file: reported below, exactly as the general path reports it.
  }
  return readCoin(parseCsv(decodeUtf8(idataBytes), basename(idataPath)), readCsv(imetaPath));
}

/** Loads weight and denominator files named in the spec (relative to the spec's folder) into the coin. */
function attachFiles(coin: Coin, spec: Spec, dir: string): { coin: Coin; files: string[] } {
  const weightSets = new Map(coin.weightSets);
  const denominatorTables = new Map(coin.denominatorTables);
  const files: string[] = [];
  const isFile = (ref: unknown): ref is string =>
    typeof ref === "string" && ref.toLowerCase().endsWith(".csv");
  for (const step of spec.steps) {
    if (step.step === "aggregate") {
      const refs = Array.isArray(step.weights) ? step.weights : [step.weights];
      for (const ref of refs) {
        if (isFile(ref) && !weightSets.has(ref)) {
          weightSets.set(ref, readWeights(readCsv(resolve(dir, ref)), coin.framework));
          files.push(resolve(dir, ref));
        }
      }
    }
    if (step.step === "denominate" && isFile(step.denoms) && !denominatorTables.has(step.denoms)) {
      denominatorTables.set(step.denoms, readDenominators(readCsv(resolve(dir, step.denoms))));
      files.push(resolve(dir, step.denoms));
    }
  }
  return { coin: { ...coin, weightSets, denominatorTables }, files };
}

function correlationsCsv(coin: Coin, result: PipelineResult): string | null {
  const rows: (string | number)[][] = [];
  for (const slice of result.slices) {
    const data = slice.datasets.get("Aggregated");
    if (!data) return null;
    for (let level = 1; level < coin.framework.maxLevel; level++) {
      const p = correlationsWithParent(data, coin.framework, "pearson", level);
      const s = correlationsWithParent(data, coin.framework, "spearman", level);
      p.forEach((c, k) => {
        rows.push([
          ...(result.slices.length > 1 ? [String(slice.time)] : []),
          c.parent,
          c.child,
          numberCell(c.correlation, false),
          numberCell(s[k]?.correlation ?? Number.NaN, false),
        ]);
      });
    }
  }
  return toCsv(
    [...(result.slices.length > 1 ? ["Time"] : []), "Parent", "iCode", "Pearson", "Spearman"],
    rows,
  );
}

function jsonDataset(d: Dataset, time: number | null) {
  const n = d.units.length;
  const cell = (i: number, j: number): number | string | null => {
    const v = d.values[j * n + i] as number;
    if (d.na[j * n + i]) return null;
    return Number.isFinite(v) ? v : formatNumber(v, false);
  };
  return {
    ...(time === null ? {} : { time }),
    columns: d.columns,
    rows: d.units.map((u, i) => ({ uCode: u, values: d.columns.map((_, j) => cell(i, j)) })),
  };
}

interface CoinValues {
  idata?: string;
  imeta?: string;
  spec?: string;
  out?: string;
  format: string;
  ties: string;
  stats: boolean;
}

/** Raw cells from which a worker thread writes datasets beside the main thread (KAOHE_COIN_WORKER_CELLS). */
const WORKER_CELLS = 500_000;

/** The worker thread writing dataset CSVs (tests run the TypeScript sources, so point them at the build). */
class DatasetCsvWriter {
  readonly #worker = new Worker(
    new URL(
      import.meta.url.endsWith(".ts")
        ? "../../../dist/src/cli/dataset-csv-worker.js"
        : "../dataset-csv-worker.js",
      import.meta.url,
    ),
  );
  readonly #waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();

  constructor() {
    this.#worker.on("message", (m: { path: string; error?: string }) => {
      const w = this.#waiting.get(m.path);
      this.#waiting.delete(m.path);
      if (m.error) w?.reject(new Error(m.error));
      else w?.resolve();
    });
    const failAll = (e: Error) => {
      for (const w of this.#waiting.values()) w.reject(e);
      this.#waiting.clear();
    };
    this.#worker.on("error", failAll);
    this.#worker.on("exit", (code) => failAll(new Error(`dataset writer exited with code ${code}`)));
  }

  write(path: string, parts: TimedDataset[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.set(path, { resolve, reject });
      this.#worker.postMessage({ path, parts } satisfies DatasetCsvJob);
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

export async function runCoin({ values, lang, out, err, env }: CommandContext<CoinValues>): Promise<number> {
  for (const name of ["idata", "imeta", "spec"] as const) {
    if (!values[name]) throw new CliError({}, bilingual(`缺少参数 --${name}`, `missing --${name}`), 2);
  }
  const format = values.format;
  if (format !== "csv" && format !== "json") {
    throw new CliError(
      {},
      bilingual(
        `--format 只能是 csv 或 json，而不是“${format}”`,
        `--format must be csv or json, not "${format}"`,
      ),
      2,
    );
  }
  const ties = values.ties as TieMethod;
  if (!["min", "dense", "ordinal"].includes(ties)) {
    throw new CliError(
      {},
      bilingual(`--ties 只能是 min、dense 或 ordinal`, `--ties must be min, dense or ordinal`),
      2,
    );
  }
  if (format === "csv" && !values.out)
    throw new CliError({}, bilingual("缺少参数 --out", "missing --out"), 2);

  const idataPath = values.idata as string;
  const imetaPath = values.imeta as string;
  const specPath = values.spec as string;
  // Hashed on the thread pool while the coin is read and run (36 MB on 10,000 × 200); the bytes are
  // let go once read, not held through the run.
  const { base, idataDigest } = (() => {
    const idataBytes = readFileBytes(idataPath);
    const digest = webcrypto.subtle.digest("SHA-256", idataBytes);
    digest.catch(() => {}); // awaited below; an error before then is not unhandled
    return { base: readCoinFile(idataBytes, idataPath, imetaPath), idataDigest: digest };
  })();
  const { spec, dir } = readSpec(specPath);
  const { coin, files } = attachFiles(base, spec, dir);

  const run = runPipeline(coin, spec);
  if (!run.ok) throw CliError.fromEngine(run.error, { file: basename(specPath) });
  const result = run.value;
  for (const w of result.warnings)
    err(`${lang === "zh-CN" ? "警告" : "warning"}: ${formatError({ ...w }, lang)}`);

  const datasets = datasetsByName(result);
  const latest = datasets.get(result.latest) ?? [];
  const groupOf = (group: string) => (time: number | null, unit: string) =>
    coin.slices.find((s) => s.time === time)?.units.get(unit)?.groups[group] ?? null;
  // Computed once the files a worker writes are under way (see below).
  const rankTables = () => ({
    ranks: ranksOf(latest, ties),
    groupRanks: new Map(coin.groupNames.map((g) => [g, groupRanksOf(latest, groupOf(g), ties)] as const)),
  });
  const idataSha256 = Buffer.from(await idataDigest).toString("hex");
  const inputs = Object.fromEntries(
    [idataPath, imetaPath, specPath, ...files].map((p) => [
      basename(p),
      { sha256: p === idataPath ? idataSha256 : sha256(readFileSync(p)) },
    ]),
  );
  const log = {
    engineVersion: result.engineVersion,
    inputs,
    spec,
    steps: result.log.map(({ params: _p, ...e }) => e),
    warnings: result.warnings.map((w) => ({ code: w.code, indicator: w.indicator, message: w.message })),
  };

  if (format === "json") {
    const { ranks, groupRanks } = rankTables();
    const doc = {
      ...log,
      datasets: Object.fromEntries(
        [...datasets].map(([name, parts]) => [name, parts.map((p) => jsonDataset(p.data, p.time))]),
      ),
      ranks: ranks.map((p) => jsonDataset(p.data, p.time)),
      groupRanks: Object.fromEntries(
        [...groupRanks].map(([g, parts]) => [g, parts.map((p) => jsonDataset(p.data, p.time))]),
      ),
    };
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (values.out) writeFilesAtomically(values.out, new Map([["coin.json", text]]));
    else out(text.trimEnd());
    return 0;
  }

  const staged = new StagedFiles(values.out as string);
  const cells = (latest[0]?.data.units.length ?? 0) * (latest[0]?.data.columns.length ?? 0);
  const minCells = Number(env.KAOHE_COIN_WORKER_CELLS ?? WORKER_CELLS);
  // Large data on a machine with a second core: a worker writes every dataset but the last, then the
  // rank tables, while this thread ranks and writes the last dataset (about half of the work each).
  // (Not where a dataset is named like another output: then the later file must win, as it always has.)
  const others = [
    "ranks",
    ...coin.groupNames.map((g) => `ranks_by_${g}`),
    "stats_Raw",
    "effective_weights",
    "treat_details",
    "treated_points",
    "screen_summary",
    "correlations",
  ];
  const clash = others.some((name) => datasets.has(name));
  const worker = cells >= minCells && availableParallelism() > 1 && !clash ? new DatasetCsvWriter() : null;
  try {
    const table = (name: string, parts: TimedDataset[], here: boolean) => {
      if (worker && !here) staged.writeElsewhere(name, (path) => worker.write(path, parts));
      else staged.write(name, (sink) => writeDatasetCsv(parts, sink));
    };
    for (const [name, parts] of datasets)
      if (!worker || name !== result.latest) table(`${name}.csv`, parts, false);
    const { ranks, groupRanks } = rankTables();
    table("ranks.csv", ranks, false);
    for (const [group, parts] of groupRanks) table(`ranks_by_${group}.csv`, parts, false);
    if (worker) table(`${result.latest}.csv`, latest, true);
    // Statistics and correlations only when asked: on 10,000 units they cost more than the run itself.
    if (values.stats) {
      const raw = datasets.get("Raw") ?? [];
      staged.write("stats_Raw.csv", statsCsv(indicatorStats(stackRows(raw.map((p) => p.data)))));
    }
    staged.write("effective_weights.csv", effectiveWeightsCsv(coin.framework));
    const extras: [string, string | null][] = [
      ["treat_details.csv", treatDetailsCsv(result)],
      ["treated_points.csv", treatedPointsCsv(result)],
      ["screen_summary.csv", screenCsv(result)],
      ["correlations.csv", values.stats ? correlationsCsv(coin, result) : null],
    ];
    for (const [name, text] of extras) if (text !== null) staged.write(name, text);
    staged.write("log.json", `${JSON.stringify(log, null, 2)}\n`);
    await staged.commit();
  } finally {
    // The worker stopped first: it may still be writing into the staging folder.
    await worker?.close();
    staged.discard();
  }
  const filesOut = staged;
  out(
    lang === "zh-CN"
      ? `已写入 ${filesOut.size} 个文件到 ${values.out}（数据集：${[...datasets.keys()].join("、")}）`
      : `wrote ${filesOut.size} files to ${values.out} (datasets: ${[...datasets.keys()].join(", ")})`,
  );
  return 0;
}
