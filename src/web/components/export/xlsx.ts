import type { SheetModel } from "./sheet";

/** The .xlsx content type (as the server sends its templates). */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * The workbook of a sheet model, as the server writes its templates (src/server/modules/uploads/layout.ts):
 * one sheet, the header row bold and frozen, each column's width and number format, numbers and dates
 * typed. ExcelJS (some 250 KB compressed) is imported here, on the first export, never with a page.
 */
export async function workbookBytes(model: SheetModel): Promise<ArrayBuffer> {
  const mod = await import("exceljs");
  const ExcelJS = (mod as unknown as { default?: typeof mod }).default ?? mod;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "kaohe";
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(model.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = model.columns.map((c) => ({ header: c.header, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: "middle" };
  for (const cells of model.rows) {
    const row = sheet.addRow(cells.map((c) => (c === null ? null : c.value)));
    cells.forEach((c, j) => {
      const cell = row.getCell(j + 1);
      if (c?.kind === "number" || c?.kind === "date") cell.numFmt = model.columns[j]!.numFmt;
      else if (c?.kind === "text" && c.value.includes("\n")) cell.alignment = { wrapText: true };
    });
  }
  if (model.rows.length > 0)
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: model.columns.length } };
  return (await workbook.xlsx.writeBuffer()) as ArrayBuffer;
}

/** Saves `bytes` as a file named `name` (the browser's download). */
export function saveFile(bytes: BlobPart, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
