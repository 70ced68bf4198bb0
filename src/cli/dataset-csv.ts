/**
 * The dataset tables of kaohe coin (Raw.csv … Aggregated.csv, ranks.csv): a module of its own that
 * loads nothing of the engine, so the worker thread writing them starts quickly.
 */
import { csvCell, csvLine, numberText } from "../csv-cell.js";
import type { Dataset } from "../engine/dataset.js";

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
