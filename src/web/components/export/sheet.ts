/**
 * A table as a spreadsheet, before any spreadsheet library: the columns' headers, widths and number
 * formats and every row's cells typed (numbers as numbers, moments as dates, the rest as text), from the
 * same column list the page's table shows. Pure (no DOM, no ExcelJS), so the rules are unit-tested and
 * the library is loaded only when someone exports (./xlsx.ts).
 */

/** What a column holds, which decides the cell's type and number format. */
export type CellKind = "text" | "number" | "integer" | "percent" | "date" | "datetime";

/** One cell as written: a number, a date (the wall-clock time the page shows), text, or nothing. */
export type SheetCell =
  | { kind: "number"; value: number }
  | { kind: "date"; value: Date }
  | { kind: "text"; value: string }
  | null;

/** One column to export: its header, how a row's value is read, and (optionally) what it holds. */
export interface ExportColumn<T> {
  title: string;
  value: (row: T, index: number) => unknown;
  /** Inferred from the values when not given: numbers, ISO dates and times, otherwise text. */
  kind?: CellKind;
  /** Decimals shown for a number (default: two for "number", none for "integer"). */
  decimals?: number;
  /** Width in characters (default: from the header and the longest cell, within 6 and 60). */
  width?: number;
}

export interface SheetColumn {
  header: string;
  width: number;
  /** Excel's number format of the column's cells ("0.00", "yyyy-mm-dd hh:mm", "@"). */
  numFmt: string;
}

export interface SheetModel {
  /** The worksheet's name: at most 31 characters, none of : \ / ? * [ ]. */
  sheetName: string;
  /** The file's name, ending in .xlsx, safe on every system. */
  fileName: string;
  columns: SheetColumn[];
  rows: SheetCell[][];
}

/** A number as a table shows it ("96.50", "-3", "1,234.5"). */
const NUMERIC = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** What a raw value looks like, for a column whose kind is not given. */
function kindOfValue(v: unknown): CellKind | undefined {
  if (v === null || v === undefined || v === "") return undefined;
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (v instanceof Date) return "datetime";
  if (typeof v === "string" && NUMERIC.test(v)) return v.includes(".") ? "number" : "integer";
  if (typeof v === "string" && ISO_TIME.test(v)) return "datetime";
  if (typeof v === "string" && ISO_DATE.test(v)) return "date";
  return "text";
}

/**
 * A column's kind from its values: every value a number → "integer" (or "number" if one has a
 * fraction), every one a moment → "datetime" (or "date"), otherwise text.
 */
export function inferKind(values: readonly unknown[]): CellKind {
  const kinds = new Set(values.map(kindOfValue).filter((k) => k !== undefined));
  if (kinds.size === 0) return "text";
  if ([...kinds].every((k) => k === "integer" || k === "number"))
    return kinds.has("number") ? "number" : "integer";
  if ([...kinds].every((k) => k === "date" || k === "datetime"))
    return kinds.has("datetime") ? "datetime" : "date";
  return "text";
}

export function numberFormat(kind: CellKind, decimals?: number): string {
  const fraction = (n: number) => (n > 0 ? `0.${"0".repeat(n)}` : "0");
  switch (kind) {
    case "integer":
      return fraction(decimals ?? 0);
    case "number":
      return fraction(decimals ?? 2);
    case "percent":
      return `${fraction(decimals ?? 1)}%`;
    case "date":
      return "yyyy-mm-dd";
    case "datetime":
      return "yyyy-mm-dd hh:mm";
    case "text":
      return "@";
  }
}

/**
 * The moment as the page shows it (the browser's local time), written as Excel's zone-less date: the
 * same wall-clock fields, as UTC (ExcelJS turns a Date into a serial from its UTC time).
 */
export const wallClock = (d: Date): Date =>
  new Date(
    Date.UTC(
      d.getFullYear(),
      d.getMonth(),
      d.getDate(),
      d.getHours(),
      d.getMinutes(),
      d.getSeconds(),
      d.getMilliseconds(),
    ),
  );

const asText = (v: unknown): string => {
  if (Array.isArray(v))
    return v
      .map(asText)
      .filter((s) => s !== "")
      .join("、");
  if (typeof v === "boolean") return v ? "✓" : "";
  return String(v);
};

/** One value as a cell of a column of `kind`; what does not fit the kind is written as text. */
export function cellOf(v: unknown, kind: CellKind): SheetCell {
  if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) return null;
  if (kind === "number" || kind === "integer" || kind === "percent") {
    const n =
      typeof v === "number"
        ? v
        : typeof v === "string" && NUMERIC.test(v.trim())
          ? Number(v.trim().replaceAll(",", ""))
          : Number.NaN;
    return Number.isFinite(n) ? { kind: "number", value: n } : { kind: "text", value: asText(v) };
  }
  if (kind === "date" || kind === "datetime") {
    if (typeof v === "string" && ISO_DATE.test(v)) {
      const [y, m, d] = v.split("-").map(Number);
      return { kind: "date", value: new Date(Date.UTC(y!, m! - 1, d!)) };
    }
    const d = v instanceof Date ? v : typeof v === "string" ? new Date(v) : new Date(Number.NaN);
    return Number.isNaN(d.getTime())
      ? { kind: "text", value: asText(v) }
      : { kind: "date", value: wallClock(d) };
  }
  return { kind: "text", value: asText(v) };
}

/** Characters as wide as they show: a CJK (full-width) character counts two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}

function shown(cell: SheetCell, numFmt: string): string {
  if (cell === null) return "";
  if (cell.kind === "text") return cell.value;
  if (cell.kind === "date") return numFmt.replace(/[yYmMdDhHsS]/g, "0");
  const decimals = /\.(0+)/.exec(numFmt)?.[1]?.length ?? 0;
  return (
    (numFmt.endsWith("%") ? cell.value * 100 : cell.value).toFixed(decimals) +
    (numFmt.endsWith("%") ? "%" : "")
  );
}

/** The decimals numbers shown as text have (the most of them), or undefined when none is text. */
function shownDecimals(values: readonly unknown[]): number | undefined {
  const texts = values.filter((v): v is string => typeof v === "string" && NUMERIC.test(v));
  if (texts.length === 0) return undefined;
  return Math.max(...texts.map((v) => v.split(".")[1]?.length ?? 0));
}

const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

/** A worksheet's name from a title: Excel's forbidden characters dropped, at most 31 characters. */
export function sheetNameOf(title: string): string {
  const clean = title
    .replace(/[:\\/?*[\]]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^'+|'+$/g, "");
  return [...(clean || "Sheet1")].slice(0, 31).join("");
}

/** A file's name from its parts ("2022年度目标责任制考核", "排名" → "2022年度目标责任制考核-排名.xlsx"). */
export function fileNameOf(parts: readonly (string | undefined | null)[], extension = "xlsx"): string {
  const base = parts
    .filter((p): p is string => typeof p === "string" && p.trim() !== "")
    .map((p) =>
      p
        .replace(/[<>:"/\\|?*\p{Cc}]/gu, " ")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .join("-");
  return `${[...(base || "export")].slice(0, 120).join("")}.${extension}`;
}

/**
 * The sheet of a table: `title` names what it is (the worksheet is named by its last part, the file by
 * them all), `columns` the page's columns, `rows` the rows the table shows, in its order.
 */
export function sheetModel<T>(props: {
  title: readonly (string | undefined | null)[];
  columns: readonly ExportColumn<T>[];
  rows: readonly T[];
}): SheetModel {
  const { columns, rows } = props;
  const raw = rows.map((r, i) => columns.map((c) => c.value(r, i)));
  const kinds = columns.map((c, j) => c.kind ?? inferKind(raw.map((r) => r[j])));
  const formats = columns.map((c, j) =>
    numberFormat(kinds[j]!, c.decimals ?? shownDecimals(raw.map((r) => r[j]))),
  );
  const cells = raw.map((r) => r.map((v, j) => cellOf(v, kinds[j]!)));
  const sheetColumns = columns.map((c, j) => {
    const longest = Math.max(
      displayWidth(c.title),
      ...cells.map((r) => Math.max(...shown(r[j]!, formats[j]!).split("\n").map(displayWidth))),
    );
    return {
      header: c.title,
      width: c.width ?? Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2)),
      numFmt: formats[j]!,
    };
  });
  const named = props.title.filter((p): p is string => typeof p === "string" && p.trim() !== "");
  return {
    sheetName: sheetNameOf(named.at(-1) ?? ""),
    fileName: fileNameOf(named),
    columns: sheetColumns,
    rows: cells,
  };
}

/** A column of the page's table (antd's shape, the parts read here) with what its export writes. */
export interface TableColumnLike<T> {
  title?: unknown;
  dataIndex?: unknown;
  key?: unknown;
  // biome-ignore lint/suspicious/noExplicitAny: antd's render takes the cell's value as any
  render?: (value: any, row: T, index: number) => unknown;
  children?: readonly TableColumnLike<T>[];
  /** false leaves the column out (actions); otherwise how its cells are read and typed. */
  export?: false | ((row: T, index: number) => unknown) | Partial<ExportColumn<T>>;
}

const read = (row: unknown, path: unknown): unknown => {
  const keys = Array.isArray(path) ? path : [path];
  let v: unknown = row;
  for (const k of keys)
    v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[String(k)];
  return v;
};

const isElement = (n: unknown): n is { props: Record<string, unknown> } =>
  typeof n === "object" && n !== null && "props" in n && typeof (n as { props: unknown }).props === "object";

/**
 * The text a rendered cell shows (a React node: text, numbers, elements' children, arrays of them), for
 * a column the export reads as it is rendered. Elements side by side (tags) are joined by "、".
 */
export function textOf(node: unknown): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) {
    const parts = node.map(textOf);
    const sep = node.filter((n) => n !== null && n !== undefined && n !== false).every(isElement) ? "、" : "";
    return parts.filter((p) => p !== "").join(sep);
  }
  if (isElement(node)) return textOf(node.props.children);
  return "";
}

/** What the interface writes for "no value". */
const EMPTY = new Set(["—", "-", "–"]);

/**
 * The export's columns from the table's own: each column with a text title, read by its `export` (a
 * function, or a partial column: with a `kind`, its dataIndex's value), else as its cell is rendered
 * (the text it shows; a number shown is written as a number), else by its dataIndex. Left out:
 * `export: false` and the column keyed "actions" (the row's buttons), columns without a text title,
 * and columns whose every cell shows no text (radio buttons, icons).
 */
export function exportColumnsOf<T>(
  columns: readonly TableColumnLike<T>[],
  rows?: readonly T[],
): ExportColumn<T>[] {
  const out: ExportColumn<T>[] = [];
  const add = (c: TableColumnLike<T>, prefix: string) => {
    if (c.export === false || (c.key === "actions" && c.export === undefined)) return;
    const own = typeof c.title === "string" ? c.title : textOf(c.title);
    if (c.children) {
      for (const child of c.children) add(child, own ? `${prefix}${own} · ` : prefix);
      return;
    }
    const spec: Partial<ExportColumn<T>> =
      typeof c.export === "function" ? { value: c.export } : (c.export ?? {});
    const title = spec.title ?? (own ? `${prefix}${own}` : undefined);
    const render = c.render;
    const raw = c.dataIndex !== undefined ? (row: T) => read(row, c.dataIndex) : undefined;
    const value =
      spec.value ??
      // A column typed by its hint is read from its data; otherwise as it shows.
      (spec.kind && raw ? raw : undefined) ??
      (render
        ? (row: T, i: number) => {
            const text = textOf(
              render(c.dataIndex !== undefined ? read(row, c.dataIndex) : undefined, row, i),
            ).trim();
            return EMPTY.has(text) ? null : text;
          }
        : raw);
    if (title === undefined || value === undefined) return;
    const blank = (r: T, i: number) => value(r, i) === "" || value(r, i) === null;
    if (!spec.value && render && rows && rows.length > 0 && rows.every(blank)) return;
    out.push({ ...spec, title, value });
  };
  for (const c of columns) add(c, "");
  return out;
}
