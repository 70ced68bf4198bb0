import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "csv-parse/sync";
import { csvLine, csvLineEnds, numberText } from "../csv-cell.js";
import type { Lang } from "../engine/errors.js";
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

export interface ReadTextOptions {
  /** Refuse a file longer than this many bytes; it is read in a bounded loop, never whole. */
  maxBytes?: number;
  /** The message for a file over maxBytes; "larger than N bytes" by default. */
  tooLarge?: Record<Lang, string>;
  /** How the bytes become text; UTF-8 by default. */
  decode?: (bytes: Uint8Array) => string;
}

/** Reads at most `limit` bytes of a file, or null if it is longer. */
function readBounded(path: string, limit: number): Buffer | null {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(Math.min(limit + 1, 64 * 1024));
    const chunks: Buffer[] = [];
    let n = 0;
    for (let got = -1; got !== 0 && n <= limit; n += got) {
      got = readSync(fd, buf, 0, Math.min(buf.length, limit + 1 - n), null);
      chunks.push(Buffer.from(buf.subarray(0, got)));
    }
    return n > limit ? null : Buffer.concat(chunks, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file as text (UTF-8 unless `decode` says otherwise); a missing or unreadable file, or one
 * over `maxBytes`, is an error naming it.
 */
export function readTextFile(path: string, options: ReadTextOptions = {}): string {
  const { maxBytes, decode = (b) => Buffer.from(b).toString("utf8") } = options;
  let bytes: Buffer | null;
  try {
    // Unbounded (a plan's own data, which can be millions of rows): read whole, in one allocation.
    bytes = maxBytes === undefined ? readFileSync(path) : readBounded(path, maxBytes);
  } catch (e) {
    throw new CliError(
      { file: path },
      bilingual(`无法读取文件（${(e as Error).message}）`, `cannot read file (${(e as Error).message})`),
    );
  }
  if (!bytes)
    throw new CliError(
      { file: path },
      options.tooLarge ?? bilingual(`文件超过 ${maxBytes} 字节`, `larger than ${maxBytes} bytes`),
    );
  return decode(bytes);
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
