/**
 * The data hash of a scoring run: SHA-256 of the rows' canonical JSON, sorted, one per line. That is
 * its definition (runs stored before still verify); this module computes it without writing a line
 * as a string or sorting strings. Each distinct unit, indicator, period… is encoded once; the rows are
 * put in the lines' order by ranks of those values (a radix sort over the fields in canonical key
 * order); and the bytes are written into one reused buffer that is fed to the hash as it fills.
 * Rows of any other shape (an unknown field, a field of another type) take the definition's own way.
 */
import { bytesToHex } from "@noble/hashes/utils.js";
import { canonicalJson, nobleSha256, type Sha256Factory, TextHash, utf8 } from "../../hash.js";
import type { DataRow } from "../data.js";
import { writeLongNumber, writeShortNumber } from "./number-text.js";

/** The fields a data row may carry, in sorted order (canonical JSON's key order); `row` is not data. */
const rowFields = ["indicator", "level", "period", "ref", "reviewer", "source", "unit", "value"] as const;
const knownField = new Set<string>([...rowFields, "row"]);
/** The fields before `value`, all strings; `value` (a number) is last in key order. */
const textFields = rowFields.slice(0, 7) as readonly (keyof DataRow)[];

/**
 * A row's canonical JSON without its source line: exactly `canonicalJson` of the row less `row`,
 * written field by field (no per-row object or replacer calls); a row with any other field takes
 * the general path.
 */
export function rowJson(row: DataRow): string {
  for (const key in row) {
    if (!knownField.has(key)) {
      const { row: _line, ...data } = row;
      return canonicalJson(data);
    }
  }
  let out = "";
  for (const field of rowFields) {
    const v = row[field];
    if (v === undefined) continue;
    out += `${out ? "," : "{"}"${field}":${jsonValue(v)}`;
  }
  return out ? `${out}}` : "{}";
}

/** What JSON.stringify writes for a string or number, without calling it for the usual plain string. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON escapes.
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;
function jsonValue(v: string | number): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  return needsEscape.test(v) ? JSON.stringify(v) : `"${v}"`;
}

/** The data hash by its definition: every line written, sorted as strings, fed to the hash in order. */
export function dataHashByLines(rows: readonly DataRow[], create: Sha256Factory = nobleSha256): string {
  const lines = rows.map(rowJson).sort();
  const hash = new TextHash(create);
  for (let i = 0; i < lines.length; i++) hash.update(i === 0 ? (lines[i] as string) : `\n${lines[i]}`);
  return hash.digest();
}

/** One text field's values: per row 0 (absent) or 1 + the index of its value in `distinct`. */
interface TextColumn {
  field: string;
  /** Two bytes an id while its distinct values fit (a plan's units, indicators, periods), else four. */
  ids: Uint16Array | Int32Array;
  distinct: string[];
  index: Map<string, number>;
  /** Per id: the id that followed it the last time its value changed (0: none yet). */
  after: number[];
  /** How many rows carry the field (fewer than all: some lines lack it). */
  carried: number;
}

/** The data hash (the same digest as dataHashByLines), in one pass over the rows' bytes. */
export function dataHash(rows: readonly DataRow[], create: Sha256Factory = nobleSha256): string {
  const columns = textColumns(rows);
  if (!columns) return dataHashByLines(rows, create);
  const present = columns.filter((c): c is TextColumn => c !== null);
  return bytesToHex(writeLines(rows, present, lineOrderOf(rows, present), create));
}

/**
 * The rows' positions in the order of their lines (null: the rows are in that order already). Only
 * this permutation is made, never the rows' values or ids in that order: the write reads them through
 * it. Every large typed array costs twice here: V8 counts their bytes as external memory and collects
 * the whole heap (the caller's millions of row objects) each 64 MB or so of them.
 */
function lineOrderOf(rows: readonly DataRow[], present: readonly TextColumn[]): Int32Array | null {
  const n = rows.length;
  const rank = present.map((c) => ranks(c.distinct));
  // A line's place among all combinations of its fields' ranks (absent last, where a row lacks the
  // field): one key per row, so the rows are put in order by one counting sort (keys of a few times
  // the rows' number; an indicator × unit plan's are as many as its cells).
  const radix = present.map((c) => c.distinct.length + (c.carried < n ? 1 : 0));
  const combinations = radix.reduce((p, b) => p * b, 1);
  if (combinations <= Math.min(2 ** 31 - 1, 8 * n + 65_536)) return byKey(rows, present, rank, radix);
  return lineOrder(rows, present, rank);
}

/**
 * The lines' order by one key per row (its fields' ranks as digits of mixed radix): null for rows
 * already in order; otherwise a stable counting sort, rows of one key then ordered by their values.
 */
function byKey(
  rows: readonly DataRow[],
  present: readonly TextColumn[],
  rank: readonly Int32Array[],
  radix: readonly number[],
): Int32Array | null {
  const n = rows.length;
  const key = new Int32Array(n);
  for (let f = 0; f < present.length; f++) {
    const { ids } = present[f] as TextColumn;
    const rankOf = rank[f] as Int32Array;
    const b = radix[f] as number;
    for (let r = 0; r < n; r++) key[r] = (key[r] as number) * b + (rankOf[ids[r] as number] as number);
  }
  const combinations = radix.reduce((p, b) => p * b, 1);
  // Rows given in their lines' order already (as a run's frozen inputs often are) are not moved.
  let sorted = true;
  for (let r = 1; r < n && sorted; r++) {
    const a = key[r - 1] as number;
    const b = key[r] as number;
    sorted = a < b || (a === b && tail(rows, r - 1) <= tail(rows, r));
  }
  if (sorted) return null;
  const start = new Int32Array(combinations + 1);
  for (let r = 0; r < n; r++) (start[(key[r] as number) + 1] as number)++;
  let ties = false;
  for (let k = 1; k <= combinations; k++) {
    if ((start[k] as number) > 1) ties = true;
    start[k] = (start[k] as number) + (start[k - 1] as number);
  }
  // Stable: rows of one key keep their order, as the line sort's ties do before their values decide.
  const order = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const k = key[r] as number;
    const i = start[k] as number;
    start[k] = i + 1;
    order[i] = r;
  }
  return ties ? byValueWithinTies(rows, present, order) : order;
}

/** The text fields' columns, or null where a row is not of the usual shape (a value not a number among them). */
function textColumns(rows: readonly DataRow[]): (TextColumn | null)[] | null {
  const n = rows.length;
  const columns: (TextColumn | null)[] = textFields.map(() => null);
  // Per field, the last value seen and its id: rows mostly come grouped (one period, an indicator's
  // rows together), so most look-ups are a comparison with the row before. Where the value changes,
  // it is mostly to the one that followed last time (each indicator's rows list the units in the same
  // order): one comparison with that value before the map is asked.
  const lastValue: (string | undefined)[] = textFields.map(() => undefined);
  const lastId = new Int32Array(textFields.length);
  const note = (f: number, v: unknown, r: number): boolean => {
    if (v === undefined) return true;
    if (typeof v !== "string") return false;
    let column = columns[f];
    if (!column) {
      column = {
        field: textFields[f] as string,
        ids: new Uint16Array(n),
        distinct: [],
        index: new Map(),
        after: [],
        carried: 0,
      };
      columns[f] = column;
    }
    column.carried++;
    if (v === lastValue[f]) {
      column.ids[r] = lastId[f] as number;
      return true;
    }
    const previous = lastId[f] as number;
    let id = column.after[previous];
    if (id === undefined || column.distinct[id - 1] !== v) {
      id = column.index.get(v);
      if (id === undefined) {
        column.distinct.push(v);
        id = column.distinct.length;
        column.index.set(v, id);
        if (id > 0xffff && column.ids instanceof Uint16Array) {
          const wide = new Int32Array(n);
          wide.set(column.ids);
          column.ids = wide;
        }
      }
      column.after[previous] = id;
    }
    column.ids[r] = id;
    lastValue[f] = v;
    lastId[f] = id;
    return true;
  };
  // The keys of rows before that were checked, by place: rows mostly have the same keys in the same
  // order, and a key the same as the one checked before is one pointer comparison, not a set look-up.
  const checked: string[] = [];
  for (let r = 0; r < n; r++) {
    const row = rows[r] as DataRow;
    let place = 0;
    for (const key in row) {
      if (key !== checked[place]) {
        if (!knownField.has(key)) return null;
        checked[place] = key;
      }
      place++;
    }
    const v = row.value as unknown;
    if (v !== undefined && typeof v !== "number") return null;
    if (
      !note(0, row.indicator, r) ||
      !note(1, row.level, r) ||
      !note(2, row.period, r) ||
      !note(3, row.ref, r) ||
      !note(4, row.reviewer, r) ||
      !note(5, row.source, r) ||
      !note(6, row.unit, r)
    )
      return null;
  }
  return columns;
}

/**
 * The rows' positions in the order of their lines. Lines compare field by field in key order: a
 * JSON string ends at its first unescaped quote, so no field's text is a prefix of another's and
 * two lines first differ inside the first field whose values differ; a field present comes before
 * the same field absent (",\"" and "}" against a later key or the line's end). So the rows sort by
 * each field's rank (absent last), least significant field first, each pass stable; rows equal in
 * every text field are then ordered by their value's text. Null where the rows are in that order.
 */
function lineOrder(
  rows: readonly DataRow[],
  present: readonly TextColumn[],
  rank: readonly Int32Array[],
): Int32Array | null {
  const n = rows.length;
  // Rows given in their lines' order already (as a run's frozen inputs often are) need no sort: null.
  if (inLineOrder(rows, present, rank)) return null;
  let order = new Int32Array(n);
  for (let r = 0; r < n; r++) order[r] = r;
  let next = new Int32Array(n);
  for (let f = present.length - 1; f >= 0; f--) {
    const { ids } = present[f] as TextColumn;
    const rankOf = rank[f] as Int32Array;
    const count = new Int32Array(rankOf.length + 1);
    for (let r = 0; r < n; r++) (count[(rankOf[ids[r] as number] as number) + 1] as number)++;
    // A field with one value in every row (the period, usually) orders nothing.
    if (count.some((c) => c === n)) continue;
    for (let k = 1; k < count.length; k++) count[k] = (count[k] as number) + (count[k - 1] as number);
    for (let i = 0; i < n; i++) {
      const r = order[i] as number;
      const key = rankOf[ids[r] as number] as number;
      next[count[key] as number] = r;
      count[key] = (count[key] as number) + 1;
    }
    [order, next] = [next, order];
  }
  return byValueWithinTies(rows, present, order);
}

/** Whether every row's line comes no later than the next row's: one pass, stopping at the first that does. */
function inLineOrder(
  rows: readonly DataRow[],
  present: readonly TextColumn[],
  rank: readonly Int32Array[],
): boolean {
  const n = rows.length;
  for (let r = 1; r < n; r++) {
    let tie = true;
    for (let f = 0; f < present.length; f++) {
      const { ids } = present[f] as TextColumn;
      const rankOf = rank[f] as Int32Array;
      const a = rankOf[ids[r - 1] as number] as number;
      const b = rankOf[ids[r] as number] as number;
      if (a < b) {
        tie = false;
        break;
      }
      if (a > b) return false;
    }
    if (tie && tail(rows, r - 1) > tail(rows, r)) return false;
  }
  return true;
}

/** The rest of a row's line after its text fields, as it compares: the value, then "}". */
function tail(rows: readonly DataRow[], r: number): string {
  // A row without a value ends its line here, after any row with one (",\"value\"" < "}").
  const v = (rows[r] as Partial<DataRow>).value;
  return v !== undefined ? `${jsonValue(v)}}` : "\uffff";
}

/** Per id (0 = absent): its value's place among the distinct values' JSON texts, absent last. */
function ranks(distinct: readonly string[]): Int32Array {
  const texts = distinct.map(jsonValue);
  const sorted = texts
    .map((_, i) => i)
    .sort((a, b) => (texts[a]! < texts[b]! ? -1 : texts[a]! > texts[b]! ? 1 : 0));
  const rank = new Int32Array(distinct.length + 1);
  rank[0] = distinct.length;
  sorted.forEach((i, place) => {
    rank[i + 1] = place;
  });
  return rank;
}

/** Orders each run of rows equal in every text field by the rest of their lines: the value, then "}". */
function byValueWithinTies(
  rows: readonly DataRow[],
  present: readonly TextColumn[],
  order: Int32Array,
): Int32Array {
  const same = (a: number, b: number) => present.every((c) => c.ids[a] === c.ids[b]);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && same(order[start] as number, order[end] as number)) end++;
    if (end - start > 1) {
      const run = Array.from(order.subarray(start, end)).map((r) => ({ r, key: tail(rows, r) }));
      run.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.r - b.r));
      run.forEach(({ r }, k) => {
        order[start + k] = r;
      });
    }
    start = end;
  }
  return order;
}

const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const VALUE_KEY = utf8('"value":');

/** Writes the lines in order into one reused buffer, hashing it each time it fills; the digest. */
function writeLines(
  rows: readonly DataRow[],
  present: readonly TextColumn[],
  order: Int32Array | null,
  create: Sha256Factory,
): Uint8Array {
  const tokens = present.map(tokenBytes);
  const ids = present.map((c) => c.ids);
  const n = rows.length;
  // A line's most bytes: its tokens, commas, braces, newline and a number's text (at most 24 characters).
  const room = tokens.reduce((s, t) => s + t.longest + 1, 0) + VALUE_KEY.length + 32;
  const buffer = new Uint8Array(Math.max(1 << 16, 2 * room));
  const hash = create();
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (at + room > buffer.length) {
      hash.update(buffer.subarray(0, at));
      at = 0;
    }
    const r = order === null ? i : (order[i] as number);
    if (i > 0) buffer[at++] = NEWLINE;
    buffer[at++] = BRACE_OPEN;
    let first = true;
    for (let c = 0; c < present.length; c++) {
      const id = ids[c]![r] as number;
      if (id === 0) continue;
      if (!first) buffer[at++] = COMMA;
      first = false;
      // Byte by byte: TypedArray.set costs more than it saves on tokens of a dozen bytes.
      const { bytes, start } = tokens[c]!;
      const end = start[id + 1] as number;
      for (let k = start[id] as number; k < end; k++) buffer[at++] = bytes[k] as number;
    }
    // The value is read from the row (textColumns checked it is a number where present), not from a
    // column of them: a copy of millions of values would cost a collection of the whole heap.
    const v = (rows[r] as Partial<DataRow>).value;
    if (v !== undefined) {
      if (!first) buffer[at++] = COMMA;
      for (let k = 0; k < VALUE_KEY.length; k++) buffer[at++] = VALUE_KEY[k] as number;
      // A value with few decimals or full precision is written here; any other (an exponent, a power
      // of two, the rare undecided case) takes JavaScript's own shortest text.
      let end = writeShortNumber(buffer, at, v);
      if (end < 0) end = writeLongNumber(buffer, at, v);
      if (end >= 0) at = end;
      else {
        const text = Number.isFinite(v) ? String(v) : "null";
        for (let k = 0; k < text.length; k++) buffer[at++] = text.charCodeAt(k);
      }
    }
    buffer[at++] = BRACE_CLOSE;
  }
  hash.update(buffer.subarray(0, at));
  return hash.digest();
}

/** A column's `"field":"value"` texts as UTF-8, one after another: id k's are bytes[start[k], start[k + 1]). */
function tokenBytes(column: TextColumn) {
  const encoded = column.distinct.map((v) => utf8(`"${column.field}":${jsonValue(v)}`));
  const start = new Int32Array(encoded.length + 2);
  let longest = 0;
  encoded.forEach((b, k) => {
    start[k + 2] = (start[k + 1] as number) + b.length;
    longest = Math.max(longest, b.length);
  });
  const bytes = new Uint8Array(start[encoded.length + 1] as number);
  encoded.forEach((b, k) => {
    bytes.set(b, start[k + 1] as number);
  });
  return { bytes, start, longest };
}
