import type { Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse/sync";
import { SaxesParser } from "saxes";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { csvLineEnds } from "../../../csv-cell.js";
import type { Lang } from "../../../engine/index.js";
import { defaultUploads } from "../../config.js";

/**
 * Bounded reading of spreadsheets (.xlsx and CSV) sent by users. An .xlsx is a zip of XML files that a
 * small file can inflate to gigabytes, so nothing here trusts it: the zip's declared sizes are checked
 * before anything is inflated, the bytes actually inflated are counted while inflating, and the XML of
 * the one sheet read is parsed as it streams in, stopping at the first limit passed (rows, columns, cell
 * length). Memory stays at the size of the rows kept, which the row limit bounds.
 */
export interface SheetLimits {
  /** Data rows (the header row not counted). */
  maxRows: number;
  /** Columns holding a value. */
  maxColumns: number;
  /** Characters in one cell. */
  maxCellChars: number;
  /** Bytes of an .xlsx once inflated (every zip entry's declared size, and what is inflated). */
  maxInflatedBytes: number;
}

/** The limits of the service's uploads (the row limit is a setting, KAOHE_UPLOAD_MAX_ROWS). */
export const defaultSheetLimits: SheetLimits = {
  maxRows: defaultUploads.maxRows,
  maxColumns: 64,
  maxCellChars: 10_000,
  maxInflatedBytes: 64 * 1024 * 1024,
};

/**
 * The command line's limits: Excel's own (it reads a user's own files, as large as Excel makes them),
 * and 1 GB inflated.
 */
export const excelSheetLimits: SheetLimits = {
  maxRows: 1_048_575,
  maxColumns: 16_384,
  maxCellChars: 32_767,
  maxInflatedBytes: 1024 * 1024 * 1024,
};

/** A file's rows as read: `line` is the row number the user sees, `cells` the cells' text by column. */
export interface SheetTable {
  sheet: string;
  rows: { line: number; cells: string[] }[];
}

/** Why a file was refused: 400 for a file that is not what it claims, 413 for one past a limit. */
export interface SheetProblem {
  status: 400 | 413;
  sheet: string;
  row: number;
  column: string;
  /** The limit passed (for a 413): its name and value. */
  limit?: { name: keyof SheetLimits; value: number };
  message: Record<Lang, string>;
}

export type SheetResult = { ok: true; table: SheetTable } | { ok: false; problem: SheetProblem };

class Refusal extends Error {
  constructor(readonly problem: SheetProblem) {
    super(problem.message.en);
  }
}

const refuse = (problem: SheetProblem): never => {
  throw new Refusal(problem);
};

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function tooLarge(sheet: string, name: "maxInflatedBytes", value: number): never {
  return refuse({
    status: 413,
    sheet,
    row: 0,
    column: "",
    limit: { name, value },
    message: {
      "zh-CN": `文件解压后超过 ${mb(value)}，超出限制`,
      en: `the file inflates to more than ${mb(value)}, over the limit`,
    },
  });
}

const tooManyRows = (sheet: string, row: number, value: number): never =>
  refuse({
    status: 413,
    sheet,
    row,
    column: "",
    limit: { name: "maxRows", value },
    message: {
      "zh-CN": `工作表“${sheet}”超过 ${value} 行数据，超出限制`,
      en: `sheet "${sheet}" has more than ${value} data rows, over the limit`,
    },
  });

const tooManyColumns = (sheet: string, row: number, value: number): never =>
  refuse({
    status: 413,
    sheet,
    row,
    column: columnName(value + 1),
    limit: { name: "maxColumns", value },
    message: {
      "zh-CN": `工作表“${sheet}”超过 ${value} 列，超出限制`,
      en: `sheet "${sheet}" has more than ${value} columns, over the limit`,
    },
  });

const cellTooLong = (sheet: string, row: number, column: string, value: number): never =>
  refuse({
    status: 413,
    sheet,
    row,
    column,
    limit: { name: "maxCellChars", value },
    message: {
      "zh-CN": `工作表“${sheet}”有单元格超过 ${value} 个字符，超出限制`,
      en: `sheet "${sheet}" has a cell longer than ${value} characters, over the limit`,
    },
  });

const notXlsx = (detail?: string): SheetProblem => ({
  status: 400,
  sheet: "",
  row: 0,
  column: "",
  message: {
    "zh-CN": `不是有效的 Excel（.xlsx）文件${detail ? `（${detail}）` : ""}`,
    en: `not a valid Excel (.xlsx) file${detail ? ` (${detail})` : ""}`,
  },
});

/** A column's letters (1 → A, 27 → AA). */
export function columnName(n: number): string {
  let s = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** A cell reference's column number (B7 → 2), or 0 when it has none. */
function columnOf(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n;
}

/** An XML element's name without its namespace prefix. */
const local = (name: string) => {
  const i = name.indexOf(":");
  return i < 0 ? name : name.slice(i + 1);
};

/** Counts the bytes of inflated zip entries against one budget for the whole file. */
class Budget {
  used = 0;
  constructor(readonly max: number) {}
  take(bytes: number, sheet: string) {
    this.used += bytes;
    if (this.used > this.max) tooLarge(sheet, "maxInflatedBytes", this.max);
  }
}

/**
 * Streams one zip entry through a SAX parser, counting the inflated bytes. yauzl checks the entry's
 * actual size against its declared one while inflating; the budget stops it at the file's limit.
 */
async function parseEntry(
  zip: ZipFile,
  entry: Entry,
  budget: Budget,
  sheet: string,
  handlers: (parser: SaxesParser) => void,
): Promise<void> {
  const parser = new SaxesParser({ position: false });
  handlers(parser);
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (e) {
    throw new Refusal(notXlsx((e as Error).message));
  }
  const decoder = new TextDecoder("utf-8");
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      budget.take(chunk.length, sheet);
      parser.write(decoder.decode(chunk, { stream: true }));
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (e) {
    stream.destroy();
    if (e instanceof Refusal) throw e;
    throw new Refusal(notXlsx(`${entry.fileName}: ${(e as Error).message}`));
  }
}

/** The entries of a zip (its central directory), refused whole when their declared sizes pass the limit. */
async function zipEntries(zip: ZipFile, limits: SheetLimits): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  let declared = 0;
  for await (const entry of zip.eachEntry()) {
    declared += entry.uncompressedSize;
    if (declared > limits.maxInflatedBytes) tooLarge("", "maxInflatedBytes", limits.maxInflatedBytes);
    if (entries.size > 10_000) throw new Refusal(notXlsx("too many zip entries"));
    entries.set(entry.fileName, entry);
  }
  return entries;
}

/** The relationship targets of a part (Id → path inside the zip). */
async function relationships(
  zip: ZipFile,
  entries: Map<string, Entry>,
  path: string,
  budget: Budget,
): Promise<Map<string, { target: string; type: string }>> {
  const rels = new Map<string, { target: string; type: string }>();
  const entry = entries.get(path);
  if (!entry) return rels;
  const base = path.replace(/_rels\/[^/]*$/, "");
  await parseEntry(zip, entry, budget, "", (p) => {
    p.on("opentag", (node) => {
      if (local(node.name) !== "Relationship") return;
      const { Id, Target, Type } = node.attributes as Record<string, string>;
      if (!Id || !Target) return;
      const target = Target.startsWith("/") ? Target.slice(1) : normalise(base + Target);
      rels.set(Id, { target, type: Type ?? "" });
    });
  });
  return rels;
}

const normalise = (path: string) => {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "..") out.pop();
    else if (part !== "." && part !== "") out.push(part);
  }
  return out.join("/");
};

/** Number formats Excel shows as dates (built-in ids, and custom codes with date or time letters). */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);
const isDateFormat = (code: string) =>
  /[dmyhs]/i.test(code.replace(/\[[^\]]*\]|"[^"]*"|\\./g, "")) && !/^general$/i.test(code);

/** Which cell styles (the `s` index) are dates, from styles.xml. */
async function dateStyles(zip: ZipFile, entry: Entry | undefined, budget: Budget): Promise<Set<number>> {
  const dates = new Set<number>();
  if (!entry) return dates;
  const custom = new Map<number, string>();
  let inCellXfs = false;
  let xf = 0;
  await parseEntry(zip, entry, budget, "", (p) => {
    p.on("opentag", (node) => {
      const name = local(node.name);
      const a = node.attributes as Record<string, string>;
      if (name === "numFmt") custom.set(Number(a.numFmtId), a.formatCode ?? "");
      else if (name === "cellXfs") inCellXfs = true;
      else if (name === "xf" && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        const code = custom.get(id);
        if (code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id)) dates.add(xf);
        xf++;
      }
    });
    p.on("closetag", (node) => {
      if (local(node.name) === "cellXfs") inCellXfs = false;
    });
  });
  return dates;
}

/**
 * Reads one sheet of an .xlsx — the one named `sheetName` when there is one, else the first — as text
 * cells (formula results, rich text, dates as YYYY-MM-DD), within the limits.
 */
export async function readXlsx(
  body: Buffer,
  sheetName: string | undefined,
  limits: SheetLimits,
): Promise<SheetResult> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(body, { lazyEntries: true, validateEntrySizes: true });
  } catch {
    return { ok: false, problem: notXlsx() };
  }
  try {
    return { ok: true, table: await readWorkbook(zip, sheetName, limits) };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, problem: e.problem };
    return { ok: false, problem: notXlsx((e as Error).message) };
  } finally {
    zip.close();
  }
}

async function readWorkbook(
  zip: ZipFile,
  wanted: string | undefined,
  limits: SheetLimits,
): Promise<SheetTable> {
  const entries = await zipEntries(zip, limits);
  const budget = new Budget(limits.maxInflatedBytes);
  const root = await relationships(zip, entries, "_rels/.rels", budget);
  const workbookPath =
    [...root.values()].find((r) => r.type.endsWith("/officeDocument"))?.target ?? "xl/workbook.xml";
  const workbookEntry = entries.get(workbookPath);
  if (!workbookEntry) throw new Refusal(notXlsx("no workbook"));
  const dir = workbookPath.replace(/[^/]*$/, "");
  const rels = await relationships(
    zip,
    entries,
    `${dir}_rels/${workbookPath.slice(dir.length)}.rels`,
    budget,
  );
  const sheets: { name: string; id: string }[] = [];
  let date1904 = false;
  await parseEntry(zip, workbookEntry, budget, "", (p) => {
    p.on("opentag", (node) => {
      const a = node.attributes as Record<string, string>;
      const name = local(node.name);
      if (name === "workbookPr") date1904 = a.date1904 === "1" || a.date1904 === "true";
      if (name !== "sheet") return;
      const id = Object.entries(a).find(([k]) => local(k) === "id" && k !== "sheetId")?.[1];
      if (a.name && id) sheets.push({ name: a.name, id });
    });
  });
  const chosen = sheets.find((s) => s.name === wanted) ?? sheets[0];
  if (!chosen)
    return refuse({
      ...notXlsx(),
      message: { "zh-CN": "工作簿没有工作表", en: "the workbook has no sheet" },
    });
  const sheetEntry = entries.get(rels.get(chosen.id)?.target ?? "");
  if (!sheetEntry) throw new Refusal(notXlsx(`sheet ${chosen.name} is missing`));
  const sheet = chosen.name;
  const relOf = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
  const shared = await sharedStrings(
    zip,
    entries.get(relOf("/sharedStrings") ?? `${dir}sharedStrings.xml`),
    budget,
    sheet,
    limits,
  );
  const dates = await dateStyles(zip, entries.get(relOf("/styles") ?? `${dir}styles.xml`), budget);
  return readSheet(zip, sheetEntry, budget, sheet, limits, shared, dates, date1904);
}

/** The shared strings of the workbook (rich text joined, phonetic runs left out). */
async function sharedStrings(
  zip: ZipFile,
  entry: Entry | undefined,
  budget: Budget,
  sheet: string,
  limits: SheetLimits,
): Promise<string[]> {
  const strings: string[] = [];
  if (!entry) return strings;
  let text: string | undefined;
  let inT = false;
  let phonetic = 0;
  await parseEntry(zip, entry, budget, sheet, (p) => {
    p.on("opentag", (node) => {
      const name = local(node.name);
      if (name === "si") text = "";
      else if (name === "rPh") phonetic++;
      else if (name === "t" && phonetic === 0) inT = true;
    });
    p.on("text", (t) => {
      if (!inT || text === undefined) return;
      text += t;
      if (text.length > limits.maxCellChars) cellTooLong(sheet, 0, "", limits.maxCellChars);
    });
    p.on("closetag", (node) => {
      const name = local(node.name);
      if (name === "t") inT = false;
      else if (name === "rPh") phonetic--;
      else if (name === "si") {
        strings.push(text ?? "");
        text = undefined;
      }
    });
  });
  return strings;
}

/** An Excel date serial as YYYY-MM-DD. */
const serialDate = (serial: number, date1904: boolean) =>
  new Date((serial - (date1904 ? 24107 : 25569)) * 86_400_000).toISOString().slice(0, 10);

async function readSheet(
  zip: ZipFile,
  entry: Entry,
  budget: Budget,
  sheet: string,
  limits: SheetLimits,
  shared: readonly string[],
  dates: ReadonlySet<number>,
  date1904: boolean,
): Promise<SheetTable> {
  const rows: SheetTable["rows"] = [];
  let rowElements = 0;
  let line = 0;
  let cells: string[] = [];
  let filled = 0;
  let col = 0;
  let type = "";
  let style = -1;
  let value = "";
  let inline = "";
  let reading: "v" | "t" | "" = "";
  let inIs = false;
  let phonetic = 0;
  const grow = (s: string, add: string) => {
    const next = s + add;
    if (next.length > limits.maxCellChars) cellTooLong(sheet, line, columnName(col), limits.maxCellChars);
    return next;
  };
  await parseEntry(zip, entry, budget, sheet, (p) => {
    p.on("opentag", (node) => {
      const name = local(node.name);
      const a = node.attributes as Record<string, string>;
      if (name === "row") {
        // The header row and maxRows data rows; counting every row element bounds empty ones too.
        if (++rowElements > limits.maxRows + 1) tooManyRows(sheet, line + 1, limits.maxRows);
        line = a.r ? Number(a.r) : line + 1;
        cells = [];
        filled = 0;
        col = 0;
      } else if (name === "c") {
        col = a.r ? columnOf(a.r) : col + 1;
        type = a.t ?? "n";
        style = a.s ? Number(a.s) : -1;
        value = "";
        inline = "";
      } else if (name === "v") reading = "v";
      else if (name === "is") inIs = true;
      else if (name === "rPh") phonetic++;
      else if (name === "t" && inIs && phonetic === 0) reading = "t";
    });
    p.on("text", (t) => {
      if (reading === "v") value = grow(value, t);
      else if (reading === "t") inline = grow(inline, t);
    });
    p.on("closetag", (node) => {
      const name = local(node.name);
      if (name === "v" || name === "t") reading = "";
      else if (name === "is") inIs = false;
      else if (name === "rPh") phonetic--;
      else if (name === "c") {
        const text = cellValue(type, value, inline, style, shared, dates, date1904).trim();
        if (text === "") return;
        // a column past the limit, or more values in a row than columns allowed (repeated references)
        if (col > limits.maxColumns || col < 1 || ++filled > limits.maxColumns)
          tooManyColumns(sheet, line, limits.maxColumns);
        while (cells.length < col - 1) cells.push("");
        cells[col - 1] = text;
      } else if (name === "row") {
        if (cells.length > 0) rows.push({ line, cells });
      }
    });
  });
  return { sheet, rows };
}

function cellValue(
  type: string,
  value: string,
  inline: string,
  style: number,
  shared: readonly string[],
  dates: ReadonlySet<number>,
  date1904: boolean,
): string {
  switch (type) {
    case "s":
      return shared[Number(value)] ?? "";
    case "inlineStr":
      return inline;
    case "str":
    case "e":
      return value;
    case "b":
      return value === "" ? "" : value === "1" || value === "true" ? "true" : "false";
    case "d":
      return value === "" ? "" : new Date(value).toISOString().slice(0, 10);
    default: {
      if (value === "") return "";
      const n = Number(value);
      if (!Number.isFinite(n)) return value;
      return dates.has(style) ? serialDate(n, date1904) : String(n);
    }
  }
}

/** Reads a CSV (UTF-8, a byte-order mark allowed) within the limits; records are numbered from 1. */
export function readCsvTable(body: Buffer, limits: SheetLimits): SheetResult {
  const sheet = "CSV";
  let table: string[][];
  try {
    table = parseCsv(body.toString("utf8"), {
      bom: true,
      record_delimiter: csvLineEnds,
      relax_column_count: true,
      skip_empty_lines: true,
      // the header, the rows allowed, and one more to tell that there are too many
      to: limits.maxRows + 2,
      max_record_size: limits.maxCellChars * limits.maxColumns,
    }) as string[][];
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "CSV_MAX_RECORD_SIZE") return problem(() => cellTooLong(sheet, 0, "", limits.maxCellChars));
    return {
      ok: false,
      problem: {
        status: 400,
        sheet,
        row: 0,
        column: "",
        message: {
          "zh-CN": `CSV 格式错误（${(e as Error).message}）`,
          en: `malformed CSV (${(e as Error).message})`,
        },
      },
    };
  }
  if (table.length > limits.maxRows + 1)
    return problem(() => tooManyRows(sheet, limits.maxRows + 2, limits.maxRows));
  const rows: SheetTable["rows"] = [];
  for (const [i, cells] of table.entries()) {
    const line = i + 1;
    const last = cells.findLastIndex((c) => c.trim() !== "");
    if (last >= limits.maxColumns) return problem(() => tooManyColumns(sheet, line, limits.maxColumns));
    const long = cells.findIndex((c) => c.length > limits.maxCellChars);
    if (long >= 0) return problem(() => cellTooLong(sheet, line, columnName(long + 1), limits.maxCellChars));
    rows.push({ line, cells });
  }
  return { ok: true, table: { sheet, rows } };
}

function problem(f: () => never): SheetResult {
  try {
    return f();
  } catch (e) {
    return { ok: false, problem: (e as Refusal).problem };
  }
}
