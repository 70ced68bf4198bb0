import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";

/** COINr 1.1.14 reference outputs (copied from shared/conformance/coinr; see its README). */
export const ORACLE_DIR = join(import.meta.dirname, "..", "fixtures", "coinr");

export interface Table {
  header: string[];
  /** Rows keyed by their first column (uCode or iCode). */
  rows: Map<string, Record<string, string>>;
}

export function readTable(text: string): Table {
  const records = parse(text, { bom: true }) as string[][];
  const [header = [], ...body] = records;
  const key = header[0] as string;
  const rows = new Map<string, Record<string, string>>();
  for (const r of body) {
    const row = Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""]));
    rows.set(row[key] as string, row);
  }
  return { header, rows };
}

export const readOracle = (name: string): Table => readTable(readFileSync(join(ORACLE_DIR, name), "utf8"));

/** Relative difference, with an absolute floor for values that should be exactly zero. */
export function cellMatches(expected: string, actual: string, tolerance = 1e-9): boolean {
  if (expected === actual) return true;
  if (expected === "" || actual === "") return false;
  const e = expected === "Inf" ? Infinity : expected === "-Inf" ? -Infinity : Number(expected);
  const a = actual === "Inf" ? Infinity : actual === "-Inf" ? -Infinity : Number(actual);
  if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a) && expected === actual;
  if (!Number.isFinite(e) || !Number.isFinite(a)) return e === a;
  return Math.abs(e - a) <= tolerance * Math.max(Math.abs(e), Math.abs(a)) + 1e-12;
}

/**
 * Compares every cell of the oracle's columns (except those in `skip`) with ours, joined on the first
 * column; returns the mismatches as readable strings (empty = conformant).
 */
export function diffTables(
  oracle: Table,
  ours: Table,
  skip: readonly string[] = [],
  tolerance = 1e-9,
): string[] {
  const problems: string[] = [];
  const columns = oracle.header.slice(1).filter((c) => !skip.includes(c));
  if (oracle.rows.size !== ours.rows.size)
    problems.push(`row count ${ours.rows.size} != ${oracle.rows.size}`);
  for (const [key, row] of oracle.rows) {
    const mine = ours.rows.get(key);
    if (!mine) {
      problems.push(`missing row ${key}`);
      continue;
    }
    for (const c of columns) {
      if (!(c in mine)) {
        problems.push(`missing column ${c}`);
        return problems;
      }
      if (!cellMatches(row[c] as string, mine[c] as string, tolerance)) {
        problems.push(`${key}/${c}: expected ${row[c]}, got ${mine[c]}`);
      }
    }
  }
  return problems;
}
