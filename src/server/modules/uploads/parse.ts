import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Lang } from "../../../engine/index.js";
import { AppError, appError } from "../../errors.js";
import { requestLang } from "../../lang.js";
import type { TemplateLayout } from "./layout.js";

/** One problem with an uploaded file, pointing at the cell. */
export interface CellError {
  sheet: string;
  row: number;
  column: string;
  message: Record<Lang, string>;
}

export interface UploadedRow<K extends string> {
  row: number;
  cells: Partial<Record<K, string>>;
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Lets a plugin's routes take an .xlsx or CSV file (up to 10 MB) as the raw request body. */
export function acceptSpreadsheets(app: FastifyInstance): void {
  app.addContentTypeParser(
    [XLSX_TYPE, "text/csv"],
    { parseAs: "buffer", bodyLimit: 10 * 1024 * 1024 },
    (_request, body, done) => {
      done(null, body);
    },
  );
}

/** The spreadsheet a request carries as its body, read with a layout; a missing or broken file is refused. */
export async function readRequestUpload<K extends string>(
  request: FastifyRequest,
  layout: TemplateLayout<K>,
): Promise<{ sheet: string; rows: UploadedRow<K>[] }> {
  if (!Buffer.isBuffer(request.body))
    throw appError(415, "UNSUPPORTED_TYPE", "请上传 .xlsx 或 .csv 文件", "upload an .xlsx or .csv file");
  const type = String(request.headers["content-type"] ?? "");
  const upload = await readUpload(request.body, type.startsWith(XLSX_TYPE) ? "xlsx" : "csv", layout);
  if ("message" in upload) throw uploadError([upload], requestLang(request));
  return upload;
}

/**
 * A refusal of some saved inputs (`extra.index` or `extra.indexes`, see `eachInput`) told as the rows of
 * the file they came from; any other error as it is.
 */
export function refusalAtRows(
  e: unknown,
  sheet: string,
  inputs: readonly { row: number }[],
  column: (code: string) => string,
  lang: Lang,
): unknown {
  if (!(e instanceof AppError)) return e;
  const indexes =
    typeof e.extra?.index === "number" ? [e.extra.index] : (e.extra?.indexes as number[] | undefined);
  if (!indexes) return e;
  return new AppError(e.status, e.code, e.messages, undefined, {
    errors: indexes.map((i) => ({
      sheet,
      row: inputs[i]!.row,
      column: column(e.code),
      message: e.messages[lang],
    })),
  });
}

/** A rejected upload: every error at once, each naming sheet, row and column. */
export function uploadError(errors: CellError[], lang: Lang): AppError {
  return new AppError(
    400,
    "UPLOAD_INVALID",
    {
      "zh-CN": `上传文件有 ${errors.length} 处错误，未保存任何数据`,
      en: `the file has ${errors.length} error(s); nothing was saved`,
    },
    undefined,
    {
      errors: errors.map((e) => ({ sheet: e.sheet, row: e.row, column: e.column, message: e.message[lang] })),
    },
  );
}

/** A spreadsheet cell as the text a user sees (formula results, rich text and dates included). */
export const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && "result" in v) return cellText(v.result as ExcelJS.CellValue);
  if (typeof v === "object" && "richText" in v) return v.richText.map((r) => r.text).join("");
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
};

/** Reads an uploaded template (.xlsx: the layout's sheet or the first; or CSV) into rows keyed by column. */
export async function readUpload<K extends string>(
  body: Buffer,
  kind: "xlsx" | "csv",
  layout: TemplateLayout<K>,
): Promise<{ sheet: string; rows: UploadedRow<K>[] } | CellError> {
  let sheetName = kind === "csv" ? "CSV" : layout.sheet;
  let table: string[][];
  let lines: number[];
  if (kind === "xlsx") {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
    } catch {
      return {
        sheet: "",
        row: 0,
        column: "",
        message: { "zh-CN": "不是有效的 Excel（.xlsx）文件", en: "not a valid Excel (.xlsx) file" },
      };
    }
    const sheet = workbook.getWorksheet(layout.sheet) ?? workbook.worksheets[0];
    if (!sheet)
      return {
        sheet: "",
        row: 0,
        column: "",
        message: { "zh-CN": "工作簿没有工作表", en: "the workbook has no sheet" },
      };
    sheetName = sheet.name;
    table = [];
    lines = [];
    const width = sheet.getRow(1).cellCount;
    sheet.eachRow({ includeEmpty: false }, (row, n) => {
      table.push(Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1).value)));
      lines.push(n);
    });
  } else {
    try {
      table = parseCsv(body.toString("utf8"), {
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
      }) as string[][];
    } catch (e) {
      return {
        sheet: sheetName,
        row: 0,
        column: "",
        message: {
          "zh-CN": `CSV 格式错误（${(e as Error).message}）`,
          en: `malformed CSV (${(e as Error).message})`,
        },
      };
    }
    lines = table.map((_, i) => i + 1);
  }
  const header = (table[0] ?? []).map((h) => h.trim());
  const index = new Map<K, number>();
  for (const c of layout.columns) {
    const i = header.findIndex((h) => h === c.zh || h === c.en);
    if (i >= 0) index.set(c.key, i);
  }
  for (const key of layout.required) {
    if (!index.has(key)) {
      const c = layout.columns.find((x) => x.key === key)!;
      return {
        sheet: sheetName,
        row: 1,
        column: c.zh,
        message: { "zh-CN": `缺少“${c.zh}”列`, en: `the "${c.en}" column is missing` },
      };
    }
  }
  const rows = table.slice(1).map((cells, k) => ({
    row: lines[k + 1] as number,
    cells: Object.fromEntries([...index].map(([key, i]) => [key, (cells[i] ?? "").trim()])) as Partial<
      Record<K, string>
    >,
  }));
  return { sheet: sheetName, rows };
}
