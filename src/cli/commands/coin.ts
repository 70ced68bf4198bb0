import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
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
import {
  datasetsByName,
  effectiveWeightsCsv,
  groupRanksOf,
  ranksOf,
  screenCsv,
  statsCsv,
  type TextSink,
  treatDetailsCsv,
  treatedPointsCsv,
  writeDatasetCsv,
} from "../output.js";
import { readSpec } from "../spec-file.js";
import { type FileContent, writeFilesAtomically } from "../write-files.js";

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

export function runCoin({ values, lang, out, err }: CommandContext<CoinValues>): number {
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
  const idataBytes = readFileBytes(idataPath);
  const base = readCoinFile(idataBytes, idataPath, imetaPath);
  const { spec, dir } = readSpec(specPath);
  const { coin, files } = attachFiles(base, spec, dir);

  const run = runPipeline(coin, spec);
  if (!run.ok) throw CliError.fromEngine(run.error, { file: basename(specPath) });
  const result = run.value;
  for (const w of result.warnings)
    err(`${lang === "zh-CN" ? "警告" : "warning"}: ${formatError({ ...w }, lang)}`);

  const datasets = datasetsByName(result);
  const latest = datasets.get(result.latest) ?? [];
  const ranks = ranksOf(latest, ties);
  const groupOf = (group: string) => (time: number | null, unit: string) =>
    coin.slices.find((s) => s.time === time)?.units.get(unit)?.groups[group] ?? null;
  const groupRanks = new Map(
    coin.groupNames.map((g) => [g, groupRanksOf(latest, groupOf(g), ties)] as const),
  );
  const inputs = Object.fromEntries(
    [idataPath, imetaPath, specPath, ...files].map((p) => [
      basename(p),
      { sha256: sha256(p === idataPath ? idataBytes : readFileSync(p)) },
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

  const filesOut = new Map<string, FileContent>();
  const table = (parts: Parameters<typeof writeDatasetCsv>[0]) => (sink: TextSink) =>
    writeDatasetCsv(parts, sink);
  for (const [name, parts] of datasets) filesOut.set(`${name}.csv`, table(parts));
  filesOut.set("ranks.csv", table(ranks));
  for (const [group, parts] of groupRanks) filesOut.set(`ranks_by_${group}.csv`, table(parts));
  // Statistics and correlations only when asked: on 10,000 units they cost more than the run itself.
  if (values.stats) {
    const raw = datasets.get("Raw") ?? [];
    filesOut.set("stats_Raw.csv", statsCsv(indicatorStats(stackRows(raw.map((p) => p.data)))));
  }
  filesOut.set("effective_weights.csv", effectiveWeightsCsv(coin.framework));
  const extras: [string, string | null][] = [
    ["treat_details.csv", treatDetailsCsv(result)],
    ["treated_points.csv", treatedPointsCsv(result)],
    ["screen_summary.csv", screenCsv(result)],
    ["correlations.csv", values.stats ? correlationsCsv(coin, result) : null],
  ];
  for (const [name, text] of extras) if (text !== null) filesOut.set(name, text);
  filesOut.set("log.json", `${JSON.stringify(log, null, 2)}\n`);
  writeFilesAtomically(values.out as string, filesOut);
  out(
    lang === "zh-CN"
      ? `已写入 ${filesOut.size} 个文件到 ${values.out}（数据集：${[...datasets.keys()].join("、")}）`
      : `wrote ${filesOut.size} files to ${values.out} (datasets: ${[...datasets.keys()].join(", ")})`,
  );
  return 0;
}
