import { isPowerOfTwo, productError, ulpOf } from "../engine/exact.js";
import { type Coin, type CoinSlice, createDataset, type Framework, type UnitInfo } from "../engine/index.js";
import { parseNumberCell, readMeta } from "./coin-input.js";
import type { CsvTable } from "./csv.js";

/**
 * iData read straight from its bytes: each indicator cell parsed where it lies into the raw dataset,
 * with no string per cell (10,000 × 200 cells took two seconds as strings and csv-parse records).
 * Only the simple CSV every spreadsheet and R write is taken: cells unquoted, or quoted whole with no
 * quote or line break inside; lines ended by \n or \r\n. Null for anything else, and wherever the input
 * has a fault (a cell that is not a number, a missing or unknown column, a duplicate): readCoin over
 * parseCsv then reads the same file and reports it as it always has. Where this returns a coin it is
 * the one readCoin returns (test/cli/coin-input-fast.test.ts checks that on random files).
 */
export function readCoinFromBytes(bytes: Buffer, iMeta: CsvTable): Coin | null {
  const meta = readMeta(iMeta);
  const { framework } = meta;
  const len = bytes.length;
  let at = len >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let lines = 1;
  for (let p = bytes.indexOf(10, at); p !== -1; p = bytes.indexOf(10, p + 1)) lines++;
  // Bounds of each cell's content in the current record (quotes excluded).
  let starts = new Int32Array(64);
  let ends = new Int32Array(64);
  let width = 0;
  let line = 0;

  /** Scans one record from `at`, skipping empty lines; false at the end or on anything unusual. */
  const scan = (): boolean | null => {
    for (;;) {
      if (at >= len) return false;
      line++;
      if (bytes[at] === 10) at++;
      else if (bytes[at] === 13 && bytes[at + 1] === 10) at += 2;
      else break;
    }
    width = 0;
    for (;;) {
      let s = at;
      let e: number;
      let p = at;
      if (bytes[p] === 34) {
        s = ++p;
        while (p < len && bytes[p] !== 34) {
          if (bytes[p] === 10 || bytes[p] === 13) return null;
          p++;
        }
        if (p >= len) return null;
        e = p++;
      } else {
        while (p < len) {
          const b = bytes[p];
          if (b === 44 || b === 10 || b === 13) break;
          if (b === 34) return null;
          p++;
        }
        e = p;
      }
      if (width === starts.length) {
        const grow = (a: Int32Array) => {
          const bigger = new Int32Array(a.length * 2);
          bigger.set(a);
          return bigger;
        };
        starts = grow(starts);
        ends = grow(ends);
      }
      starts[width] = s;
      ends[width++] = e;
      if (p >= len) {
        at = len;
        return true;
      }
      const b = bytes[p];
      if (b === 44) at = p + 1;
      else if (b === 10) {
        at = p + 1;
        return true;
      } else if (b === 13 && bytes[p + 1] === 10) {
        at = p + 2;
        return true;
      } else return null;
    }
  };
  const text = (c: number) => bytes.toString("utf8", starts[c], ends[c]);

  // The whole file as one-byte text, made at the first cell that needs it: a number cell of ASCII
  // characters is then a slice of it, which Number reads without a copy.
  let asciiText: string | null = null;
  const ascii = () => {
    asciiText ??= bytes.toString("latin1");
    return asciiText;
  };
  /** parseNumberCell's reading of cell c, without its error (readCoin gives that, naming the cell). */
  const numberOf = (c: number): number | undefined => {
    const s = starts[c] as number;
    const e = ends[c] as number;
    let plain = (bytes[s] as number) > 32 && (bytes[e - 1] as number) > 32;
    for (let p = s; plain && p < e; p++) if ((bytes[p] as number) >= 128) plain = false;
    if (plain) {
      const v = Number(ascii().slice(s, e));
      return Number.isFinite(v) ? v : undefined;
    }
    const t = text(c).trim();
    if (t === "" || t === "NA") return Number.NaN;
    const v = Number(t);
    return Number.isFinite(v) ? v : undefined;
  };

  if (scan() !== true) return null;
  const header: string[] = [];
  for (let c = 0; c < width; c++) header.push(text(c).trim());
  if (new Set(header).size !== header.length) return null;
  const columns = width;
  const groupNames = [
    ...new Set([
      ...meta.groups.filter((g) => header.includes(g)),
      ...header.filter((h) => h.endsWith("_group")),
    ]),
  ];
  if (!header.includes("uCode")) return null;
  for (const code of [...framework.indicators, ...meta.denominators]) if (!header.includes(code)) return null;
  const known = new Set([
    "uCode",
    "uName",
    "Time",
    ...groupNames,
    ...meta.denominators,
    ...framework.indicators,
  ]);
  for (const h of header) if (!known.has(h) && meta.rows.get(h)?.type !== "Other") return null;

  const indicatorOf = new Int32Array(columns).fill(-1);
  framework.indicators.forEach((code, j) => {
    indicatorOf[header.indexOf(code)] = j;
  });
  // Text kept per record: uCode, uName, Time, the group and denominator columns.
  const kept = ["uCode", "uName", "Time", ...groupNames, ...meta.denominators];
  const keptAt = kept.map((name) => header.indexOf(name));
  const keptText: string[][] = kept.map(() => []);
  const m = framework.indicators.length;
  const values = new Float64Array(m * lines);
  const recordLines: number[] = [];
  let r = 0;
  for (let got = scan(); got !== false; got = scan()) {
    if (got === null || width !== columns) return null;
    for (let k = 0; k < kept.length; k++) {
      const c = keptAt[k] as number;
      (keptText[k] as string[]).push(c === -1 ? "" : text(c).trim());
    }
    for (let c = 0; c < columns; c++) {
      const j = indicatorOf[c] as number;
      if (j === -1) continue;
      const status = readPlain(bytes, starts[c] as number, ends[c] as number);
      let v: number | undefined;
      if (status === READ) v = parsed[0] as number;
      else if (status === LONG) {
        v = Number(ascii().slice(starts[c], ends[c]));
        if (!Number.isFinite(v)) return null;
      } else {
        v = numberOf(c);
        if (v === undefined) return null;
      }
      values[j * lines + r] = v;
    }
    recordLines.push(line);
    r++;
  }
  if (r === 0) return null;
  return coinOf(framework, groupNames, meta.denominators, {
    codes: keptText[0] as string[],
    names: keptText[1] as string[],
    times: header.includes("Time") ? (keptText[2] as string[]) : null,
    groups: groupNames.map((_, g) => keptText[3 + g] as string[]),
    denominators: meta.denominators.map((_, d) => keptText[3 + groupNames.length + d] as string[]),
    values,
    stride: lines,
  });
}

interface Records {
  codes: string[];
  names: string[];
  times: string[] | null;
  groups: string[][];
  denominators: string[][];
  /** values[j * stride + record]: indicator j of each record, in file order. */
  values: Float64Array;
  stride: number;
}

/** readCoin's slices from the records: by time, units sorted by uCode; null where readCoin refuses. */
function coinOf(
  framework: Framework,
  groupNames: string[],
  denominatorCodes: string[],
  rec: Records,
): Coin | null {
  const place = { file: "", row: 0, column: "" };
  const byTime = new Map<number | null, number[]>();
  const seen = new Map<number | null, Set<string>>();
  for (let r = 0; r < rec.codes.length; r++) {
    const code = rec.codes[r] as string;
    if (code === "") return null;
    const time = rec.times ? parseNumberCell(rec.times[r] as string, place) : null;
    if (time !== null && Number.isNaN(time)) return null;
    const codes = seen.get(time) ?? new Set<string>();
    if (codes.has(code)) return null;
    codes.add(code);
    seen.set(time, codes);
    const list = byTime.get(time) ?? [];
    list.push(r);
    byTime.set(time, list);
  }
  const times = [...byTime.keys()].sort((a, b) => (a ?? 0) - (b ?? 0));
  const m = framework.indicators.length;
  const slices: CoinSlice[] = times.map((time) => {
    const records = [...(byTime.get(time) ?? [])].sort((a, b) => {
      const x = rec.codes[a] as string;
      const y = rec.codes[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const units = new Map<string, UnitInfo>();
    const raw = createDataset(
      records.map((r) => rec.codes[r] as string),
      framework.indicators,
    );
    const n = records.length;
    records.forEach((r, i) => {
      const code = rec.codes[r] as string;
      units.set(code, {
        code,
        name: rec.names[r] || code,
        groups: Object.fromEntries(groupNames.map((g, k) => [g, rec.groups[k]?.[r] || null])),
        denominators: Object.fromEntries(
          denominatorCodes.map((d, k) => [d, parseNumberCell(rec.denominators[k]?.[r] ?? "", place)]),
        ),
      });
      for (let j = 0; j < m; j++) {
        const v = rec.values[j * rec.stride + r] as number;
        raw.values[j * n + i] = v;
        raw.na[j * n + i] = Number.isNaN(v) ? 1 : 0;
      }
    });
    return { time, units, raw };
  });
  return { framework, groupNames, slices, weightSets: new Map(), denominatorTables: new Map() };
}

/** Powers of ten exact as doubles (10^22 is the largest). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number in bytes[s, e) when it is plain decimal text (sign, digits, point, exponent) of at most
 * 15 significant digits and a power of ten within ±22: then digits and power are exact doubles and one
 * division or multiplication rounds correctly, so the value is exactly Number's (Clinger's fast path).
 * NaN for an empty cell or NA; null for plain decimal text of more digits (ASCII, no spaces: Number
 * reads it as it stands); undefined for anything else (the string path decides).
 */
export function plainNumber(bytes: Uint8Array, s: number, e: number): number | null | undefined {
  const status = readPlain(bytes, s, e);
  return status === READ ? (parsed[0] as number) : status === LONG ? null : undefined;
}

/** readPlain's outcomes: the number is in parsed[0]; plain decimal text of more digits; anything else. */
const READ = 0;
const LONG = 1;
const OTHER = 2;
/** Where readPlain leaves the number (a double returned among null and undefined would be boxed). */
const parsed = new Float64Array(1);

function readPlain(bytes: Uint8Array, s: number, e: number): number {
  if (s === e || (e - s === 2 && bytes[s] === 78 && bytes[s + 1] === 65)) {
    parsed[0] = Number.NaN;
    return READ;
  }
  let p = s;
  let negative = false;
  if (bytes[p] === 45) {
    negative = true;
    p++;
  } else if (bytes[p] === 43) p++;
  // The first 15 significant digits (exact), and those after them.
  let mantissa = 0;
  let tail = 0;
  let digits = 0;
  let fraction = 0;
  let any = false;
  for (; p < e; p++) {
    const d = (bytes[p] as number) - 48;
    if (d < 0 || d > 9) break;
    any = true;
    if (mantissa === 0 && d === 0) continue;
    if (digits < 15) mantissa = mantissa * 10 + d;
    else tail = tail * 10 + d;
    digits++;
  }
  if (p < e && bytes[p] === 46) {
    for (p++; p < e; p++) {
      const d = (bytes[p] as number) - 48;
      if (d < 0 || d > 9) break;
      any = true;
      fraction++;
      if (mantissa === 0 && d === 0) continue;
      if (digits < 15) mantissa = mantissa * 10 + d;
      else tail = tail * 10 + d;
      digits++;
    }
  }
  if (!any) return OTHER;
  let exponent = 0;
  if (p < e && (bytes[p] === 101 || bytes[p] === 69)) {
    p++;
    let minus = false;
    if (bytes[p] === 45) {
      minus = true;
      p++;
    } else if (bytes[p] === 43) p++;
    const from = p;
    for (; p < e && exponent < 1000; p++) {
      const d = (bytes[p] as number) - 48;
      if (d < 0 || d > 9) break;
      exponent = exponent * 10 + d;
    }
    if (p === from) return OTHER;
    if (minus) exponent = -exponent;
  }
  if (p !== e) return OTHER;
  const power = exponent - fraction;
  if (digits > 15) {
    const q = -power;
    if (digits > 18 || q < 0 || q > 22) return LONG;
    const v = longDecimal(mantissa, tail, POW10[digits - 15] as number, POW10[q] as number);
    if (v === 0) return LONG;
    parsed[0] = negative ? -v : v;
    return READ;
  }
  let v: number;
  if (mantissa === 0) v = 0;
  else if (power < 0 && power >= -22) v = mantissa / (POW10[-power] as number);
  else if (power >= 0 && power <= 22) v = mantissa * (POW10[power] as number);
  else return OTHER;
  parsed[0] = negative ? -v : v;
  return READ;
}

/**
 * (head × scale + tail) / divisor correctly rounded, for a decimal of 16 to 18 significant digits
 * (head its first 15, tail the rest, scale 10^(digits − 15), divisor 10^q with q ≤ 22): the quotient of
 * the rounded numerator, then corrected by the exact residual to the nearest double. Null where the
 * value lies within a hair of halfway between two doubles, or next to a power of two (Number decides):
 * then 0, which a decimal of 16 significant digits never is.
 */
function longDecimal(head: number, tail: number, scale: number, divisor: number): number {
  // head × scale = ph + pe exactly (Dekker), then + tail: small integers, exact.
  const ph = head * scale;
  const pl = productError(head, scale, ph) + tail;
  const r0 = (ph + pl) / divisor;
  // r0 × divisor = qh + ql exactly; numerator − that: ph − qh is exact (within a few ulps), the rest tiny.
  const qh = r0 * divisor;
  const ql = productError(r0, divisor, qh);
  const residual = ph - qh + (pl - ql);
  if (isPowerOfTwo(r0)) return 0;
  const ulp = ulpOf(r0);
  const t = residual / divisor / ulp;
  const k = Math.round(t);
  if (Math.abs(t - k) > 0.5 - 1e-6 || Math.abs(k) > 1) return 0;
  return r0 + k * ulp;
}
