import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import type { DataRow, GradeOverride } from "../engine/index.js";
import { excelSheetLimits, readXlsx } from "../server/modules/uploads/spreadsheet.js";
import { bilingual, CliError, type Place } from "./cli-error.js";
import { readCsv } from "./csv.js";

/** Long-form data columns, with the Chinese headers a 填报 template uses. */
const COLUMNS = {
  unit: ["unit", "单位"],
  indicator: ["indicator", "指标"],
  period: ["period", "期间"],
  value: ["value", "数值"],
  source: ["source", "来源"],
  level: ["level", "级别"],
  ref: ["ref", "成果"],
  reviewer: ["reviewer", "评委"],
} as const;

type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ["unit", "indicator", "period", "value"];

interface Table {
  place: Place;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

async function readTable(path: string): Promise<Table> {
  const file = basename(path);
  if (extname(path).toLowerCase() !== ".xlsx") {
    const csv = readCsv(path);
    return { place: { file }, header: csv.header, rows: csv.rows };
  }
  let body: Buffer;
  try {
    body = readFileSync(path);
  } catch (e) {
    throw new CliError(
      { file },
      bilingual(`无法读取文件（${(e as Error).message}）`, `cannot read the file (${(e as Error).message})`),
    );
  }
  // Read as it streams, within Excel's own limits: a file that inflates past them is refused.
  const read = await readXlsx(body, undefined, excelSheetLimits);
  if (!read.ok) {
    const { sheet, row, column, message } = read.problem;
    const place: Place = {
      file,
      ...(sheet ? { sheet } : {}),
      ...(row ? { row } : {}),
      ...(column ? { column } : {}),
    };
    throw new CliError(place, bilingual(message["zh-CN"], message.en));
  }
  const [head, ...rest] = read.table.rows;
  const header = head?.cells ?? [];
  const rows: Table["rows"] = rest
    .map(({ line, cells }) => ({ line, cells: header.map((_, i) => cells[i] ?? "") }))
    .filter(({ cells }) => cells.some((c) => c !== ""));
  return { place: { file, sheet: read.table.sheet }, header, rows };
}

function columnsOf(table: Table): Map<Column, number> {
  const found = new Map<Column, number>();
  for (const [key, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const i = table.header.findIndex((h) => names.includes(h));
    if (i >= 0) found.set(key, i);
  }
  for (const key of REQUIRED) {
    if (!found.has(key)) {
      throw new CliError(
        { ...table.place, row: 1, column: key },
        bilingual(
          `缺少必需的列 ${COLUMNS[key].join(" / ")}`,
          `required column ${COLUMNS[key].join(" / ")} is missing`,
        ),
      );
    }
  }
  return found;
}

/** Reads long-form scoring data (unit, indicator, period, value[, source, level, ref, reviewer]) from CSV or .xlsx. */
export async function readDataRows(
  path: string,
): Promise<{ rows: DataRow[]; place: Place; valueColumn: string }> {
  const table = await readTable(path);
  const cols = columnsOf(table);
  const rows = table.rows.map(({ line, cells }) => {
    const get = (c: Column) => {
      const i = cols.get(c);
      return i === undefined ? "" : (cells[i] ?? "").trim();
    };
    const place = (column: Column) => ({
      ...table.place,
      row: line,
      column: table.header[cols.get(column)!],
    });
    for (const c of ["unit", "indicator", "period", "value"] as const) {
      if (get(c) === "") throw new CliError(place(c), bilingual("不能为空", "must not be empty"));
    }
    const value = Number(get("value"));
    if (!Number.isFinite(value))
      throw new CliError(
        place("value"),
        bilingual(`“${get("value")}”不是数字`, `"${get("value")}" is not a number`),
      );
    const row: DataRow = {
      unit: get("unit"),
      indicator: get("indicator"),
      period: get("period"),
      value,
      row: line,
    };
    for (const c of ["source", "level", "ref", "reviewer"] as const) if (get(c) !== "") row[c] = get(c);
    return row;
  });
  return { rows, place: table.place, valueColumn: table.header[cols.get("value")!]! };
}

/** Reads grade overrides: unit, grade, reason (a reason is required). */
export function readOverrides(path: string): GradeOverride[] {
  const csv = readCsv(path);
  for (const column of ["unit", "grade", "reason"]) {
    if (!csv.header.includes(column)) {
      throw new CliError(
        { file: csv.file, row: 1, column },
        bilingual(`缺少必需的列 ${column}`, `required column ${column} is missing`),
      );
    }
  }
  const idx = (c: string) => csv.header.indexOf(c);
  return csv.rows.map(({ line, cells }) => {
    const o = {
      unit: (cells[idx("unit")] ?? "").trim(),
      grade: (cells[idx("grade")] ?? "").trim(),
      reason: (cells[idx("reason")] ?? "").trim(),
    };
    if (o.reason === "")
      throw new CliError(
        { file: csv.file, row: line, column: "reason" },
        bilingual("调整等次必须写明理由", "an override needs a reason"),
      );
    return o;
  });
}
