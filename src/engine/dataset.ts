/**
 * A dataset is a units x columns matrix of doubles stored column-major in one Float64Array, so that
 * per-indicator steps (normalise, treat, impute) walk contiguous memory and large runs stay linear.
 *
 * Missing data (COINr's NA) is stored as NaN in `values` and flagged in `na`. A NaN that is *not*
 * flagged is a computed "not a number" (0/0, as COINr's NaN); writers print it as `NaN`, while NA is
 * printed as an empty cell. Every computation treats both alike (skips them), as R's `is.na` does.
 */
export interface Dataset {
  /** Unit codes, one per row. */
  readonly units: readonly string[];
  /** Column codes (indicators, then aggregates), one per column. */
  readonly columns: readonly string[];
  /** values[col * units.length + row]. */
  readonly values: Float64Array;
  /** 1 where the cell is missing (NA); same layout as `values`. */
  readonly na: Uint8Array;
}

export function createDataset(units: readonly string[], columns: readonly string[]): Dataset {
  const size = units.length * columns.length;
  return { units, columns, values: new Float64Array(size), na: new Uint8Array(size) };
}

/** Builds a dataset from a values array, flagging every NaN as missing. */
export function datasetFromValues(
  units: readonly string[],
  columns: readonly string[],
  values: Float64Array,
): Dataset {
  const na = new Uint8Array(values.length);
  for (let k = 0; k < values.length; k++) if (Number.isNaN(values[k])) na[k] = 1;
  return { units, columns, values, na };
}

export function columnIndex(data: Dataset, code: string): number {
  return data.columns.indexOf(code);
}

/** A view (no copy) of one column's values. */
export function columnView(data: Dataset, col: number): Float64Array {
  const n = data.units.length;
  return data.values.subarray(col * n, (col + 1) * n);
}

export function naView(data: Dataset, col: number): Uint8Array {
  const n = data.units.length;
  return data.na.subarray(col * n, (col + 1) * n);
}

/** Reads one cell, returning NaN for missing. */
export function cell(data: Dataset, row: number, col: number): number {
  return data.values[col * data.units.length + row] as number;
}

export function cloneDataset(data: Dataset): Dataset {
  return { units: data.units, columns: data.columns, values: data.values.slice(), na: data.na.slice() };
}

/** Keeps the given rows, in the given order. */
export function selectRows(data: Dataset, rows: readonly number[]): Dataset {
  const n = data.units.length;
  const m = rows.length;
  const out = createDataset(
    rows.map((r) => data.units[r] as string),
    data.columns,
  );
  for (let j = 0; j < data.columns.length; j++) {
    for (let i = 0; i < m; i++) {
      const src = j * n + (rows[i] as number);
      out.values[j * m + i] = data.values[src] as number;
      out.na[j * m + i] = data.na[src] as number;
    }
  }
  return out;
}

/** Keeps the given columns, in the given order. */
export function selectColumns(data: Dataset, codes: readonly string[]): Dataset {
  const n = data.units.length;
  const out = createDataset(data.units, codes);
  codes.forEach((code, j) => {
    const src = data.columns.indexOf(code);
    if (src < 0) throw new Error(`column ${code} not in dataset`);
    out.values.set(data.values.subarray(src * n, (src + 1) * n), j * n);
    out.na.set(data.na.subarray(src * n, (src + 1) * n), j * n);
  });
  return out;
}

/** Appends columns (same rows) to a dataset, returning a new dataset. */
export function appendColumns(data: Dataset, extra: Dataset): Dataset {
  const values = new Float64Array(data.values.length + extra.values.length);
  values.set(data.values);
  values.set(extra.values, data.values.length);
  const na = new Uint8Array(values.length);
  na.set(data.na);
  na.set(extra.na, data.na.length);
  return { units: data.units, columns: [...data.columns, ...extra.columns], values, na };
}

/** Stacks datasets with identical columns on top of each other (panel slices -> one table). */
export function stackRows(parts: readonly Dataset[]): Dataset {
  const first = parts[0];
  if (!first) throw new Error("stackRows needs at least one dataset");
  const units = parts.flatMap((p) => p.units);
  const out = createDataset(units, first.columns);
  const n = units.length;
  let offset = 0;
  for (const part of parts) {
    const m = part.units.length;
    for (let j = 0; j < first.columns.length; j++) {
      out.values.set(part.values.subarray(j * m, (j + 1) * m), j * n + offset);
      out.na.set(part.na.subarray(j * m, (j + 1) * m), j * n + offset);
    }
    offset += m;
  }
  return out;
}

/** Splits a stacked dataset back into consecutive row blocks of the given sizes. */
export function splitRows(data: Dataset, sizes: readonly number[]): Dataset[] {
  const parts: Dataset[] = [];
  let start = 0;
  for (const size of sizes) {
    const rows = Array.from({ length: size }, (_, i) => start + i);
    parts.push(selectRows(data, rows));
    start += size;
  }
  return parts;
}

/** Builds a dataset from row-major values (one array per unit); NaN marks missing. */
export function datasetFromRows(
  units: readonly string[],
  columns: readonly string[],
  rows: readonly (readonly number[])[],
): Dataset {
  const n = units.length;
  const values = new Float64Array(n * columns.length);
  rows.forEach((row, i) => {
    columns.forEach((_, j) => {
      values[j * n + i] = row[j] ?? Number.NaN;
    });
  });
  return datasetFromValues(units, columns, values);
}

/** Row-major copy of a dataset's values (for tests and small outputs). */
export function datasetRows(data: Dataset): number[][] {
  const n = data.units.length;
  return data.units.map((_, i) => data.columns.map((_, j) => data.values[j * n + i] as number));
}
