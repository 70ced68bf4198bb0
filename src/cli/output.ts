import { csvCell, csvLine, numberText } from "../csv-cell.js";
import {
  type Dataset,
  effectiveWeights,
  type Framework,
  type IndicatorStats,
  type PipelineResult,
  rankDataset,
  rankWithinGroups,
  type TieMethod,
} from "../engine/index.js";
import { numberCell, toCsv } from "./csv.js";

/** A named dataset per time point, written as one table. */
export interface TimedDataset {
  time: number | null;
  data: Dataset;
}

/** Where CSV text goes: a string being built, or a file written as it goes (see write-files.ts). */
export interface TextSink {
  write(text: string): void;
}

/**
 * One CSV table: uCode (and Time for panel data), then one column per code; rows sorted by uCode
 * (then Time); numbers in shortest round-trip form; missing as an empty cell.
 */
export function datasetCsv(parts: readonly TimedDataset[]): string {
  const chunks: string[] = [];
  writeDatasetCsv(parts, { write: (t) => chunks.push(t) });
  return chunks.join("");
}

/**
 * datasetCsv's text, row by row into a sink. A row's numbers are written by one JSON.stringify of the
 * row: JSON writes a finite number exactly as String does (both are the language's Number::toString),
 * and a whole array in one call costs about half of a String call per number, the bulk of writing
 * 10,000 × 200. Missing cells are NaN in that array and come out as "null", then empty; a row with a
 * computed NaN or an infinity (written NaN, Inf, -Inf) is written cell by cell.
 */
export function writeDatasetCsv(parts: readonly TimedDataset[], sink: TextSink): void {
  const panel = parts.length > 1;
  const columns = parts[0]?.data.columns ?? [];
  const m = columns.length;
  const rows: { unit: string; time: number | null; part: number; i: number }[] = [];
  parts.forEach(({ time, data }, part) => {
    data.units.forEach((unit, i) => {
      rows.push({ unit, time, part, i });
    });
  });
  rows.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : (a.time ?? 0) - (b.time ?? 0)));
  sink.write(`${csvLine(panel ? ["uCode", "Time", ...columns] : ["uCode", ...columns])}\n`);
  // Starts as an array of doubles, so V8 keeps it unboxed.
  const cells: number[] = new Array(m).fill(0.5);
  for (const r of rows) {
    const { values, na, units } = (parts[r.part] as TimedDataset).data;
    const n = units.length;
    let missing = false;
    let plain = true;
    for (let j = 0, k = r.i; j < m; j++, k += n) {
      const v = values[k] as number;
      if (na[k] === 1) {
        missing = true;
        cells[j] = Number.NaN;
      } else {
        if (v - v !== 0) plain = false; // NaN or an infinity
        cells[j] = v;
      }
    }
    const head = panel ? `${csvCell(r.unit)},${csvCell(String(r.time))}` : csvCell(r.unit);
    let body: string;
    if (!plain) {
      body = "";
      for (let j = 0, k = r.i; j < m; j++, k += n)
        body += `${j ? "," : ""}${na[k] === 1 ? "" : numberText(values[k] as number)}`;
    } else if (m === 0) body = "";
    else {
      body = JSON.stringify(cells);
      body = body.slice(1, -1);
      if (missing) body = body.replaceAll("null", "");
    }
    sink.write(m === 0 ? `${head}\n` : `${head},${body}\n`);
  }
}

/** All datasets produced, by name, in production order. */
export function datasetsByName(result: PipelineResult): Map<string, TimedDataset[]> {
  const out = new Map<string, TimedDataset[]>();
  for (const slice of result.slices) {
    for (const [name, data] of slice.datasets) {
      const list = out.get(name) ?? [];
      list.push({ time: slice.time, data });
      out.set(name, list);
    }
  }
  return out;
}

export function ranksOf(parts: readonly TimedDataset[], ties: TieMethod = "min"): TimedDataset[] {
  return parts.map((p) => ({ time: p.time, data: rankDataset(p.data, ties) }));
}

/** Ranks within each group of a group column (e.g. 分类考核 categories), per time point. */
export function groupRanksOf(
  parts: readonly TimedDataset[],
  groupOf: (time: number | null, unit: string) => string | null,
  ties: TieMethod = "min",
): TimedDataset[] {
  return parts.map((p) => ({
    time: p.time,
    data: rankWithinGroups(
      p.data,
      p.data.units.map((u) => groupOf(p.time, u)),
      ties,
    ),
  }));
}

const num = (v: number) => numberCell(v, false);

export function statsCsv(stats: readonly IndicatorStats[]): string {
  const header = [
    "iCode",
    "Min",
    "Max",
    "Mean",
    "Median",
    "Std",
    "Skew",
    "Kurt",
    "N.Avail",
    "N.NonZero",
    "N.Unique",
    "N.Same",
    "Frc.Avail",
    "Frc.NonZero",
    "Frc.Unique",
    "Frc.Same",
    "Flag.Avail",
    "Flag.NonZero",
    "Flag.Unique",
    "Flag.SkewKurt",
  ];
  return toCsv(
    header,
    stats.map((s) => [
      s.indicator,
      num(s.min),
      num(s.max),
      num(s.mean),
      num(s.median),
      num(s.sd),
      num(s.skew),
      num(s.kurt),
      num(s.nAvailable),
      num(s.nNonZero),
      num(s.nUnique),
      num(s.nSame),
      num(s.fracAvailable),
      num(s.fracNonZero),
      num(s.fracUnique),
      num(s.fracSame),
      s.flagAvailable,
      s.flagNonZero,
      s.flagUnique,
      s.flagSkewKurt,
    ]),
  );
}

export function effectiveWeightsCsv(framework: Framework): string {
  const eff = effectiveWeights(framework);
  return toCsv(
    ["iCode", "Level", "Parent", "Weight", "EffWeight"],
    framework.nodes.map((n) => [
      n.code,
      String(n.level),
      n.parent ?? "",
      num(n.weight),
      num(eff.get(n.code) ?? Number.NaN),
    ]),
  );
}

const bool = (b: boolean | null) => (b === null ? "" : b ? "TRUE" : "FALSE");

/** Treatment details in COINr's Dets_Table layout. */
export function treatDetailsCsv(result: PipelineResult): string | null {
  const rows: (string | number)[][] = [];
  const panel = result.slices.length > 1;
  for (const slice of result.slices) {
    for (const d of slice.treat?.details ?? []) {
      if (!d.check0) continue;
      const c = (x: typeof d.check1) => (x ? [bool(x.pass), num(x.skew), num(x.kurt)] : ["", "", ""]);
      rows.push([
        ...(panel ? [String(slice.time)] : []),
        d.indicator,
        ...c(d.check0),
        d.nwin === null ? "" : String(d.nwin),
        ...c(d.check1),
        d.transform ?? "",
        ...c(d.check2),
      ]);
    }
  }
  if (!result.slices.some((s) => s.treat)) return null;
  const check = (k: number) => [
    `check_SkewKurt${k}.Pass`,
    `check_SkewKurt${k}.Skew`,
    `check_SkewKurt${k}.Kurt`,
  ];
  return toCsv(
    [
      ...(panel ? ["Time"] : []),
      "iCode",
      ...check(0),
      "winsorise.nwin",
      ...check(1),
      "transform",
      ...check(2),
    ],
    rows,
  );
}

export function treatedPointsCsv(result: PipelineResult): string | null {
  if (!result.slices.some((s) => s.treat)) return null;
  const panel = result.slices.length > 1;
  const rows: string[][] = [];
  let header: string[] = [];
  for (const slice of result.slices) {
    const t = slice.treat;
    const data = slice.datasets.get("Treated");
    if (!t || !data) continue;
    header = [...(panel ? ["Time"] : []), "uCode", ...data.columns];
    data.units.forEach((u, i) => {
      rows.push([
        ...(panel ? [String(slice.time)] : []),
        u,
        ...data.columns.map((_, j) => t.points[j]?.[i] ?? ""),
      ]);
    });
  }
  return toCsv(header, rows);
}

export function screenCsv(result: PipelineResult): string | null {
  if (!result.slices.some((s) => s.screen)) return null;
  const panel = result.slices.length > 1;
  const rows = result.slices.flatMap((slice) =>
    (slice.screen?.summary ?? []).map((s) => [
      ...(panel ? [String(slice.time)] : []),
      s.unit,
      String(s.missing),
      String(s.zeros),
      num(s.available),
      num(s.nonZero),
      s.included ? "TRUE" : "FALSE",
    ]),
  );
  return toCsv(
    [...(panel ? ["Time"] : []), "uCode", "N_missing", "N_zero", "Dat_Avail", "Non_Zero", "Included"],
    rows,
  );
}
