import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Lang } from "../../../engine/index.js";
import { AppError, appError } from "../../errors.js";
import { requestLang } from "../../lang.js";
import { acceptForms, readFormFile } from "../../plugins/multipart.js";
import type { TemplateLayout } from "./layout.js";
import { readCsvTable, readXlsx, type SheetLimits, type SheetProblem } from "./spreadsheet.js";

/** One problem with an uploaded file, pointing at the cell. */
export interface CellError {
  sheet: string;
  row: number;
  column: string;
  message: Record<Lang, string>;
  /** The indicator and period the row is about (a value template's rows), so a page can show the error at its field. */
  indicator?: string;
  period?: string;
}

export interface UploadedRow<K extends string> {
  row: number;
  cells: Partial<Record<K, string>>;
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The largest spreadsheet accepted, as sent (its inflated size and rows are bounded too, see spreadsheet.ts). */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** At most this many problems of a refused file are told (with their total count). */
export const MAX_REPORTED_PROBLEMS = 100;

/**
 * Lets a plugin's routes take an .xlsx or CSV file (up to 10 MB): as the raw request body, or as the one
 * file of a `multipart/form-data` form (the browser's natural form), under the same limits.
 */
export async function acceptSpreadsheets(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser(
    [XLSX_TYPE, "text/csv"],
    { parseAs: "buffer", bodyLimit: UPLOAD_MAX_BYTES },
    (_request, body, done) => {
      done(null, body);
    },
  );
  await acceptForms(app, UPLOAD_MAX_BYTES);
}

/**
 * The request body of an upload route, for the OpenAPI document: the file as the body (.xlsx or CSV) or
 * as the field `file` of a form. It validates nothing (the file is read by readRequestUpload).
 */
export const spreadsheetBody = z.any().meta({
  content: {
    [XLSX_TYPE]: { schema: { type: "string", format: "binary" } },
    "text/csv": { schema: { type: "string", format: "binary" } },
    "multipart/form-data": {
      schema: {
        type: "object",
        required: ["file"],
        properties: { file: { type: "string", format: "binary", description: ".xlsx or .csv" } },
      },
    },
  },
});

/** A file sent larger than UPLOAD_MAX_BYTES. */
const tooLarge = () =>
  new AppError(
    413,
    "UPLOAD_TOO_LARGE",
    {
      "zh-CN": `上传文件超过 ${UPLOAD_MAX_BYTES / 1024 / 1024} MB 的上限`,
      en: `the file exceeds the ${UPLOAD_MAX_BYTES / 1024 / 1024} MB limit`,
    },
    "file",
  );

/**
 * The spreadsheet a request carries (as its body, or as a form's file), read with a layout and within
 * the limits; a missing, broken or oversized file is refused.
 */
export async function readRequestUpload<K extends string>(
  request: FastifyRequest,
  layout: TemplateLayout<K>,
  limits: SheetLimits,
): Promise<{ sheet: string; rows: UploadedRow<K>[]; body: Buffer; kind: "xlsx" | "csv"; filename: string }> {
  let body: Buffer;
  let kind: "xlsx" | "csv";
  let filename = "";
  if (request.isMultipart()) {
    const file = await readFormFile(request);
    if (file.truncated) throw tooLarge();
    body = file.body;
    filename = file.filename;
    // an .xlsx is a zip (it starts with PK); anything else is read as CSV
    kind =
      file.type.startsWith(XLSX_TYPE) || /\.xlsx$/i.test(filename) || body.subarray(0, 2).toString() === "PK"
        ? "xlsx"
        : "csv";
  } else {
    if (!Buffer.isBuffer(request.body))
      throw appError(415, "UNSUPPORTED_TYPE", "请上传 .xlsx 或 .csv 文件", "upload an .xlsx or .csv file");
    body = request.body;
    kind = String(request.headers["content-type"] ?? "").startsWith(XLSX_TYPE) ? "xlsx" : "csv";
  }
  const upload = await readUpload(body, kind, layout, limits);
  if ("status" in upload) throw sheetRefusal(upload, filename, requestLang(request));
  if ("message" in upload) throw uploadError([upload], requestLang(request));
  return { ...upload, body, kind, filename };
}

/** A file past a limit (413), or one that is not a spreadsheet (400), naming the file, sheet and limit. */
export function sheetRefusal(problem: SheetProblem, filename: string, lang: Lang): AppError {
  const { status, limit, ...cell } = problem;
  if (status === 400) return uploadError([cell], lang);
  const file = filename
    ? { "zh-CN": `文件“${filename}”：`, en: `file "${filename}": ` }
    : { "zh-CN": "", en: "" };
  return new AppError(
    413,
    "UPLOAD_TOO_LARGE",
    { "zh-CN": file["zh-CN"] + cell.message["zh-CN"], en: file.en + cell.message.en },
    "file",
    {
      ...(filename ? { filename } : {}),
      sheet: cell.sheet,
      ...(limit ? { limit: limit.name, max: limit.value } : {}),
      errors: [{ sheet: cell.sheet, row: cell.row, column: cell.column, message: cell.message[lang] }],
    },
  );
}

/**
 * A refusal of some saved inputs (`extra.index` or `extra.indexes`, see `eachInput`) told as the rows of
 * the file they came from; any other error as it is.
 */
export function refusalAtRows(
  e: unknown,
  sheet: string,
  inputs: readonly { row: number; indicator?: string; period?: string }[],
  column: (code: string) => string,
  lang: Lang,
  /** Name each row's indicator and period too (a unit's value template: the page shows the error at the field). */
  options: { cells?: boolean } = {},
): unknown {
  if (!(e instanceof AppError)) return e;
  const indexes =
    typeof e.extra?.index === "number" ? [e.extra.index] : (e.extra?.indexes as number[] | undefined);
  if (!indexes) return e;
  return new AppError(e.status, e.code, e.messages, undefined, {
    errors: indexes.slice(0, MAX_REPORTED_PROBLEMS).map((i) => ({
      sheet,
      row: inputs[i]!.row,
      column: column(e.code),
      message: e.messages[lang],
      ...(options.cells ? cellOf(inputs[i]!) : {}),
    })),
    total: indexes.length,
  });
}

/** The indicator and period an error is about, when known. */
const cellOf = (e: { indicator?: string | undefined; period?: string | undefined }) => ({
  ...(e.indicator ? { indicator: e.indicator } : {}),
  ...(e.period ? { period: e.period } : {}),
});

/**
 * A rejected upload: the first MAX_REPORTED_PROBLEMS errors, each naming sheet, row and column, and how
 * many there are in all (`total`).
 */
export function uploadError(errors: readonly CellError[], lang: Lang): AppError {
  return new AppError(
    400,
    "UPLOAD_INVALID",
    {
      "zh-CN": `上传文件有 ${errors.length} 处错误，未保存任何数据`,
      en: `the file has ${errors.length} error(s); nothing was saved`,
    },
    undefined,
    {
      errors: errors.slice(0, MAX_REPORTED_PROBLEMS).map((e) => ({
        sheet: e.sheet,
        row: e.row,
        column: e.column,
        message: e.message[lang],
        ...cellOf(e),
      })),
      total: errors.length,
    },
  );
}

/**
 * Reads an uploaded template (.xlsx: the layout's sheet or the first; or CSV) into rows keyed by column,
 * within the limits: a file past one is a SheetProblem (413), a broken file or a missing column a
 * CellError.
 */
export async function readUpload<K extends string>(
  body: Buffer,
  kind: "xlsx" | "csv",
  layout: TemplateLayout<K>,
  limits: SheetLimits,
): Promise<{ sheet: string; rows: UploadedRow<K>[] } | CellError | SheetProblem> {
  const read = kind === "xlsx" ? await readXlsx(body, layout.sheet, limits) : readCsvTable(body, limits);
  if (!read.ok) return read.problem.status === 413 ? read.problem : cellError(read.problem);
  const { sheet: sheetName, rows: table } = read.table;
  const header = (table[0]?.cells ?? []).map((h) => h.trim());
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
  const rows = table.slice(1).map(({ line, cells }) => ({
    row: line,
    cells: Object.fromEntries([...index].map(([key, i]) => [key, (cells[i] ?? "").trim()])) as Partial<
      Record<K, string>
    >,
  }));
  return { sheet: sheetName, rows };
}

const cellError = ({ sheet, row, column, message }: SheetProblem): CellError => ({
  sheet,
  row,
  column,
  message,
});
