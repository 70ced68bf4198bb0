/**
 * Writing CSV cells, the one place for it: every CSV kaohe writes (the service's templates and audit
 * export, the command line's outputs) goes through csvCell. And how every CSV kaohe reads ends its lines.
 */

/**
 * Line ends a CSV may use, mixed within one file (a file edited on Windows and on Linux): csv-parse
 * otherwise takes the first line's end for every line and misreads the rest.
 */
export const csvLineEnds = ["\r\n", "\n"];

/** A text cell starting with one of these is read by spreadsheets as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A number in shortest round-trip form; NaN and infinities as R writes them (NaN, Inf, -Inf). */
export function numberText(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/**
 * One CSV cell: a number as a number (never altered: -2.5 stays -2.5), null or undefined as an empty
 * cell, anything else as text (objects as JSON). Text starting with = + - @ tab or CR gets a leading
 * single quote, so that a spreadsheet shows it rather than running it as a formula (the OWASP advice);
 * a cell holding a comma, quote or line break is quoted.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (typeof value === "number") text = numberText(value);
  else if (typeof value === "boolean" || typeof value === "bigint") text = String(value);
  else {
    text = typeof value === "string" ? value : JSON.stringify(value);
    if (FORMULA_START.test(text)) text = `'${text}`;
  }
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line of cells. */
export const csvLine = (cells: readonly unknown[]): string => cells.map(csvCell).join(",");
