import {
  effectiveWeights,
  type Framework,
  type IndicatorStats,
  type PipelineResult,
  rankDataset,
  rankWithinGroups,
  type TieMethod,
} from "../engine/index.js";
import { numberCell, toCsv } from "./csv.js";
import type { TimedDataset } from "./dataset-csv.js";

export { datasetCsv, type TextSink, type TimedDataset, writeDatasetCsv } from "./dataset-csv.js";

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
