import ExcelJS from "exceljs";
import type { FastifyReply } from "fastify";
import { csvLine } from "../../../csv-cell.js";
import type { Lang, Plan } from "../../../engine/index.js";
import { XLSX_TYPE } from "./parse.js";

/** One column of a template: its key, its Chinese header (written) and English one (also accepted). */
export interface TemplateColumn<K extends string> {
  key: K;
  zh: string;
  en: string;
  width: number;
}

/**
 * What a template looks like: the sheet to fill in, its columns, which of them an upload must have,
 * and which ones the user edits (the others are locked in the workbook).
 */
export interface TemplateLayout<K extends string> {
  sheet: string;
  columns: readonly TemplateColumn<K>[];
  required: readonly K[];
  editable: readonly K[];
  /** The instructions sheet of the workbook, for a plan (and a unit, for a unit's template). */
  help(plan: Plan, unit: string): string[];
}

/** The header a user sees for a column (errors name columns by it). */
export const headerOf = <K extends string>(layout: TemplateLayout<K>, key: K): string =>
  layout.columns.find((c) => c.key === key)!.zh;

/**
 * Sends a template as a download named `name`: CSV, or a real .xlsx workbook (one sheet to fill in,
 * fixed columns locked, and a sheet of instructions).
 */
export async function sendTemplate<K extends string>(
  reply: FastifyReply,
  layout: TemplateLayout<K>,
  rows: readonly Record<K, unknown>[],
  options: { format: "xlsx" | "csv"; name: string; lang: Lang; plan: Plan; unit?: string },
): Promise<FastifyReply> {
  const { format, name, lang } = options;
  reply.header("content-disposition", `attachment; filename="${name}.${format}"`);
  if (format === "csv") return reply.type("text/csv; charset=utf-8").send(writeCsv(layout, rows, lang));
  const help = layout.help(options.plan, options.unit ?? "");
  return reply.type(XLSX_TYPE).send(await writeWorkbook(layout, rows, lang, help));
}

async function writeWorkbook<K extends string>(
  layout: TemplateLayout<K>,
  rows: readonly Record<K, unknown>[],
  lang: Lang,
  help: readonly string[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "kaohe";
  const sheet = workbook.addWorksheet(layout.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = layout.columns.map((c) => ({
    header: lang === "zh-CN" ? c.zh : c.en,
    key: c.key,
    width: c.width,
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    for (const key of layout.editable) {
      const col = layout.columns.findIndex((c) => c.key === key) + 1;
      row.getCell(col).protection = { locked: false };
    }
  });
  await sheet.protect("", { selectLockedCells: true, selectUnlockedCells: true });
  const instructions = workbook.addWorksheet("说明");
  for (const line of help) instructions.addRow([line]);
  instructions.getColumn(1).width = 100;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The same template as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese right). */
function writeCsv<K extends string>(
  layout: TemplateLayout<K>,
  rows: readonly Record<K, unknown>[],
  lang: Lang,
): string {
  const header = layout.columns.map((c) => (lang === "zh-CN" ? c.zh : c.en));
  const lines = rows.map((r) => csvLine(layout.columns.map((c) => r[c.key])));
  return `\uFEFF${[csvLine(header), ...lines].join("\n")}\n`;
}
