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
/** UTF-8 text of bytes, as readTextFile decodes them by default. */
export const decodeUtf8 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");

/** A whole file's bytes; a missing or unreadable file is the error readTextFile gives. */
export function readFileBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError(
      { file: path },
      bilingual(`无法读取文件（${(e as Error).message}）`, `cannot read file (${(e as Error).message})`),
    );
  }
}

export function readTextFile(path: string, options: ReadTextOptions = {}): string {
  const { maxBytes, decode = decodeUtf8 } = options;
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
  const plain = plainCsvRecords(text);
  if (plain) return tableOf(plain, file);
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
  return tableOf(
    records.map((r) => ({ line: r.info.lines, cells: r.record })),
    file,
  );
}

/** The header (trimmed, each name once) and the records after it. */
function tableOf(records: CsvTable["rows"], file: string): CsvTable {
  const head = records[0];
  if (!head) throw new CliError({ file }, bilingual("文件为空", "file is empty"));
  const header = head.cells.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name))
      throw new CliError({ file, row: 1, column: name }, bilingual("列名重复", "duplicate column"));
    seen.add(name);
  }
  return { file, header, rows: records.slice(1) };
}

/**
 * The records of a CSV text with no quote character in it, exactly as csv-parse reads them with
 * parseCsv's options (BOM dropped, lines ended by \n or \r\n, empty lines skipped, each record's line),
 * by splitting lines and commas: millions of data rows read several times faster and with a fraction of
 * the memory. Null for any other text (a quote, a lone \\r), and where the records' lengths differ
 * (csv-parse says how).
 */
export function plainCsvRecords(text: string): CsvTable["rows"] | null {
  if (text.includes('"')) return null;
  // csv-parse counts a lone \r as a new line (though not a new record): such texts are left to it.
  for (let r = text.indexOf("\r"); r !== -1; r = text.indexOf("\r", r + 1))
    if (text.charCodeAt(r + 1) !== 10) return null;
  const records: CsvTable["rows"] = [];
  let width = -1;
  let line = 0;
  for (let at = text.charCodeAt(0) === 0xfeff ? 1 : 0; at <= text.length; ) {
    const newline = text.indexOf("\n", at);
    const end = newline === -1 ? text.length : newline;
    const stop = end > at && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    line++;
    if (stop > at) {
      const cells = text.slice(at, stop).split(",");
      if (width === -1) width = cells.length;
      else if (cells.length !== width) return null;
      records.push({ line, cells });
    }
    if (newline === -1) break;
    at = newline + 1;
  }
  return records;
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
