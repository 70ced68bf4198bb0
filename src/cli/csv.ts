import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "csv-parse/sync";
import { csvLine, csvLineEnds, numberText } from "../csv-cell.js";
import { bilingual, CliError } from "./cli-error.js";

/** A parsed CSV table: header names, and each record with the line it came from. */
export interface CsvTable {
  file: string;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

/** Reads a CSV file (UTF-8, optional BOM); malformed files fail with the file and line. */
export function readCsv(path: string): CsvTable {
  return parseCsv(readTextFile(path), basename(path));
}

/** Reads a UTF-8 file; a missing or unreadable file is an error naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(
      { file: path },
      bilingual("无法读取文件", `cannot read file (${(e as Error).message})`),
    );
  }
}

export function parseCsv(text: string, file: string): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      record_delimiter: csvLineEnds,
      relax_column_count: false,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new CliError(
      { file, ...(err.lines ? { row: err.lines } : {}) },
      bilingual(`CSV 格式错误（${err.message}）`, `malformed CSV (${err.message})`),
    );
  }
  const [head, ...body] = records;
  if (!head) throw new CliError({ file }, bilingual("文件为空", "file is empty"));
  const header = head.record.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name))
      throw new CliError({ file, row: 1, column: name }, bilingual("列名重复", "duplicate column"));
    seen.add(name);
  }
  return { file, header, rows: body.map((r) => ({ line: r.info.lines, cells: r.record })) };
}

/** Quotes a cell only when it needs it. */
/** A CSV table: numbers stay numbers, text is neutralised against formulas (see csvCell). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `${[header, ...rows].map(csvLine).join("\n")}\n`;
}

/** A number cell of a CSV output (empty when missing); csvCell writes it. */
export const numberCell = (value: number, missing: boolean): number | "" => (missing ? "" : value);

/**
 * Numbers in shortest round-trip form (JavaScript's own number-to-string is exactly that);
 * missing as an empty cell; non-finite values as R writes them.
 */
export function formatNumber(value: number, missing: boolean): string {
  return missing ? "" : numberText(value);
}
