import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCoin } from "../../src/cli/coin-input.js";
import { readCsv } from "../../src/cli/csv.js";
import { main } from "../../src/cli/main.js";
import { datasetCsv, ranksOf, statsCsv } from "../../src/cli/output.js";
import {
  type Coin,
  correlationsWithParent,
  type Dataset,
  indicatorStats,
  type Normaliser,
  type PipelineResult,
  runPipeline,
  type Spec,
  treat,
} from "../../src/engine/index.js";
import { diffTables, ORACLE_DIR, readOracle, readTable } from "./oracle.js";

const coin: Coin = readCoin(
  readCsv(join(ORACLE_DIR, "ASEM_iData.csv")),
  readCsv(join(ORACLE_DIR, "ASEM_iMeta.csv")),
);

function run(spec: Spec): PipelineResult {
  const result = runPipeline(coin, spec);
  if (!result.ok) throw new Error(result.error.message.en);
  return result.value;
}

const dataset = (result: PipelineResult, name: string): Dataset => result.slices[0]!.datasets.get(name)!;
const asTable = (d: Dataset) => readTable(datasetCsv([{ time: null, data: d }]));
const ranksTable = (d: Dataset) => readTable(datasetCsv(ranksOf([{ time: null, data: d }])));

describe("COINr oracle A: min-max [0,100] + arithmetic mean", () => {
  const result = run({
    steps: [
      { step: "normalise", method: "minmax", range: [0, 100] },
      { step: "aggregate", methods: ["amean"] },
    ],
  });
  const aggregated = dataset(result, "Aggregated");

  it("normalised", () => {
    expect(diffTables(readOracle("oracle_A_normalised.csv"), asTable(dataset(result, "Normalised")))).toEqual(
      [],
    );
  });
  it("aggregated, every level", () => {
    expect(diffTables(readOracle("oracle_A_aggregated.csv"), asTable(aggregated), ["uName"])).toEqual([]);
  });
  it("ranks of every column", () => {
    expect(diffTables(readOracle("oracle_A_ranks.csv"), ranksTable(aggregated), ["uName"])).toEqual([]);
  });
  it("results table: Index rank and scores", () => {
    const oracle = readOracle("oracle_A_results_table.csv");
    const ours = asTable(aggregated);
    const ranks = ranksTable(aggregated);
    for (const [unit, row] of ours.rows) row.Rank = ranks.rows.get(unit)!.Index!;
    expect(diffTables(oracle, ours)).toEqual([]);
    // and the oracle's row order is by Index, descending
    const order = [...oracle.rows.keys()];
    const byIndex = [...ours.rows.values()]
      .sort((a, b) => Number(b.Index) - Number(a.Index))
      .map((r) => r.uCode);
    expect(byIndex).toEqual(order);
  });
  it("Pearson correlation of each indicator with its pillar", () => {
    // Keyed by indicator (Var2): each indicator has one parent pillar.
    const text = readFileSync(join(ORACLE_DIR, "oracle_A_corr_ind_vs_pillar.csv"), "utf8");
    const oracle = readTable(text.replace(/^"([^"]*)","([^"]*)"/gm, '"$2","$1"'));
    const ours = correlationsWithParent(aggregated, coin.framework, "pearson", 1);
    expect(ours).toHaveLength(oracle.rows.size);
    const problems = ours.filter((c) => {
      const row = oracle.rows.get(c.child);
      return (
        row?.Var1 !== c.parent ||
        Math.abs(Number(row.Correlation) - c.correlation) > 1e-9 * Math.abs(c.correlation)
      );
    });
    expect(problems).toEqual([]);
  });
});

describe("COINr oracle B: min-max [1,100] + geometric mean", () => {
  const gmean = run({
    steps: [
      { step: "normalise", method: "minmax", range: [1, 100] },
      { step: "aggregate", methods: ["gmean"] },
    ],
  });
  it("aggregated and ranks", () => {
    const d = dataset(gmean, "Aggregated");
    expect(diffTables(readOracle("oracle_B_gmean_aggregated.csv"), asTable(d), ["uName"])).toEqual([]);
    expect(diffTables(readOracle("oracle_B_gmean_ranks.csv"), ranksTable(d), ["uName"])).toEqual([]);
  });
  it("arithmetic control on the same normalisation", () => {
    const amean = run({
      steps: [
        { step: "normalise", method: "minmax", range: [1, 100] },
        { step: "aggregate", methods: ["amean"] },
      ],
    });
    const d = dataset(amean, "Aggregated");
    expect(diffTables(readOracle("oracle_B2_amean_1to100_aggregated.csv"), asTable(d), ["uName"])).toEqual(
      [],
    );
  });
});

describe("COINr oracle C: the full example pipeline through the CLI", () => {
  const out = mkdtempSync(join(tmpdir(), "kaohe-coin-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  let code = -1;
  beforeAll(async () => {
    code = await main(
      [
        "coin",
        "--idata",
        join(ORACLE_DIR, "ASEM_iData.csv"),
        "--imeta",
        join(ORACLE_DIR, "ASEM_iMeta.csv"),
        "--spec",
        join(import.meta.dirname, "..", "..", "examples", "asem", "spec.json"),
        "--out",
        out,
        "--stats",
      ],
      {},
      () => {},
      () => {},
    );
  });
  const ours = (file: string) => readTable(readFileSync(join(out, file), "utf8"));

  it("exits 0", () => expect(code).toBe(0));
  for (const name of ["Raw", "Denominated", "Imputed", "Screened", "Treated", "Normalised", "Aggregated"]) {
    it(`${name}.csv`, () => {
      expect(diffTables(readOracle(`oracle_C_${name}.csv`), ours(`${name}.csv`))).toEqual([]);
    });
  }
  it("ranks.csv", () =>
    expect(diffTables(readOracle("oracle_C_ranks.csv"), ours("ranks.csv"), ["uName"])).toEqual([]));
  it("treatment details and treated points", () => {
    const details = ours("treat_details.csv");
    expect(diffTables(readOracle("oracle_C_treat_details.csv"), details)).toEqual([]);
    expect(diffTables(readOracle("oracle_C_treated_points.csv"), ours("treated_points.csv"))).toEqual([]);
  });
  it("statistics of Raw", () => {
    expect(diffTables(readOracle("oracle_C_stats_Raw.csv"), ours("stats_Raw.csv"))).toEqual([]);
  });
  it("rows are sorted by uCode and numbers are shortest round-trip", () => {
    const text = readFileSync(join(out, "Normalised.csv"), "utf8");
    const codes = text
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[0]!);
    expect(codes).toEqual([...codes].sort());
    for (const cell of text
      .trim()
      .split("\n")
      .slice(1)
      .flatMap((l) => l.split(",").slice(1))) {
      if (cell !== "" && cell !== "NaN") expect(String(Number(cell))).toBe(cell);
    }
  });
});

describe("COINr oracle D: every normaliser on Raw", () => {
  const cases: [string, Normaliser | ((c: Coin) => Normaliser)][] = [
    ["oracle_D_norm_minmax_0_100.csv", { method: "minmax", range: [0, 100] }],
    ["oracle_D_norm_zscore_0_1.csv", { method: "zscore", meanSd: [0, 1] }],
    ["oracle_D_norm_zscore_10_2.csv", { method: "zscore", meanSd: [10, 2] }],
    ["oracle_D_norm_rank.csv", { method: "rank" }],
    ["oracle_D_norm_borda.csv", { method: "borda" }],
    ["oracle_D_norm_prank.csv", { method: "prank" }],
    ["oracle_D_norm_dist2max.csv", { method: "dist2max" }],
    ["oracle_D_norm_fracmax.csv", { method: "fracmax" }],
    ["oracle_D_norm_dist2ref_row1_AUS.csv", { method: "dist2ref", reference: "AUS" }],
    ["oracle_D_norm_dist2targ_iMeta.csv", { method: "dist2targ" }],
  ];
  for (const [file, normaliser] of cases) {
    it(file, () => {
      const n = typeof normaliser === "function" ? normaliser(coin) : normaliser;
      const result = run({ steps: [{ step: "normalise", ...n } as Spec["steps"][number]] });
      expect(diffTables(readOracle(file), asTable(dataset(result, "Normalised")))).toEqual([]);
    });
  }
});

describe("COINr oracle E: outlier treatment of Raw, with missing values", () => {
  const raw = coin.slices[0]!.raw;
  const result = treat(raw);
  it("treated values", () => {
    expect(diffTables(readOracle("oracle_E_treated_Raw.csv"), asTable(result.data))).toEqual([]);
  });
  it("details: skew, kurtosis, points winsorised", () => {
    const oracle = readOracle("oracle_E_treat_details.csv");
    for (const d of result.details) {
      const row = oracle.rows.get(d.indicator)!;
      expect(String(d.check0!.pass).toUpperCase()).toBe(row["check_SkewKurt0.Pass"]);
      expect(d.check0!.skew).toBeCloseTo(Number(row["check_SkewKurt0.Skew"]), 12);
      expect(d.check0!.kurt).toBeCloseTo(Number(row["check_SkewKurt0.Kurt"]), 12);
      expect(d.nwin === null ? "" : String(d.nwin)).toBe(row["winsorise.nwin"]);
    }
  });
  it("statistics agree with the stats writer on the same data", () => {
    const stats = readTable(statsCsv(indicatorStats(raw)));
    expect(diffTables(readOracle("oracle_C_stats_Raw.csv"), stats)).toEqual([]);
  });
});
