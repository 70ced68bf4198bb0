import type { IndicatorSpec } from "../../../engine/index.js";
import { type Cell, indicatorRows, readIndicatorRows, SHEET_NAME, type SheetResult } from "./sheet.js";

/** exceljs, loaded only when a sheet is written or read (it is large). */
const excel = () => import("exceljs").then((m) => (m.default ?? m) as typeof import("exceljs"));

/** The 指标体系 sheet as an .xlsx workbook (its header row frozen). */
export async function indicatorWorkbook(indicators: readonly IndicatorSpec[]): Promise<ArrayBuffer> {
  const ExcelJS = await excel();
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(SHEET_NAME, { views: [{ state: "frozen", ySplit: 1 }] });
  for (const row of indicatorRows(indicators)) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  return (await book.xlsx.writeBuffer()) as ArrayBuffer;
}

/** Reads the 指标体系 sheet (by name, else the first) of an .xlsx workbook. */
export async function readIndicatorWorkbook(data: ArrayBuffer): Promise<SheetResult> {
  const ExcelJS = await excel();
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data);
  const sheet = book.getWorksheet(SHEET_NAME) ?? book.worksheets[0];
  const rows: Cell[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const v = row.getCell(c).value;
      cells.push(v === null || v === undefined ? null : typeof v === "number" ? v : String(v));
    }
    rows.push(cells);
  });
  return readIndicatorRows(rows);
}
