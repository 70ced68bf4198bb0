import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { numberCell, toCsv } from "../../src/cli/csv.js";
import { datasetCsv } from "../../src/cli/output.js";
import type { Dataset } from "../../src/engine/index.js";

/** The dataset writer as it was, cell by cell through csvCell: the text the fast writer must match. */
function cellByCell(parts: { time: number | null; data: Dataset }[]): string {
  const panel = parts.length > 1;
  const columns = parts[0]?.data.columns ?? [];
  const rows: { unit: string; time: number | null; cells: (number | "")[] }[] = [];
  for (const { time, data } of parts) {
    const n = data.units.length;
    data.units.forEach((unit, i) => {
      const cells = columns.map((_, j) =>
        numberCell(data.values[j * n + i] as number, data.na[j * n + i] === 1),
      );
      rows.push({ unit, time, cells });
    });
  }
  rows.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : (a.time ?? 0) - (b.time ?? 0)));
  const header = panel ? ["uCode", "Time", ...columns] : ["uCode", ...columns];
  return toCsv(
    header,
    rows.map((r) => (panel ? [r.unit, String(r.time), ...r.cells] : [r.unit, ...r.cells])),
  );
}

// Every kind of double: any bit pattern (tiny, huge, subnormal, -0, NaN, infinities), integers, and
// values of the size data has, each cell possibly missing.
const value = fc.oneof(
  fc.double(),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, 1e-7, 5e-324),
);
const cell = fc.record({ v: value, missing: fc.boolean() });
const unit = fc.oneof(fc.constantFrom("A", "B", "C", "=x", "a,b", "北京", "-1"), fc.string({ maxLength: 4 }));

function part(columns: number) {
  return fc.array(fc.tuple(unit, fc.array(cell, { minLength: columns, maxLength: columns })), {
    maxLength: 12,
  });
}

function dataset(rows: [string, { v: number; missing: boolean }[]][], columns: string[]): Dataset {
  const n = rows.length;
  const values = new Float64Array(n * columns.length);
  const na = new Uint8Array(values.length);
  rows.forEach(([, cells], i) => {
    cells.forEach((c, j) => {
      values[j * n + i] = c.missing ? Number.NaN : c.v;
      na[j * n + i] = c.missing ? 1 : 0;
    });
  });
  return { units: rows.map(([u]) => u), columns, values, na };
}

describe("dataset CSV writer", () => {
  it("writes the same bytes as cell-by-cell formatting, for any doubles, missing cells and panels", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }).chain((m) =>
          fc.tuple(
            fc.constant(m),
            fc.array(fc.tuple(fc.option(fc.integer({ min: -3, max: 2030 })), part(m)), {
              minLength: 1,
              maxLength: 3,
            }),
          ),
        ),
        ([m, slices]) => {
          const columns = Array.from({ length: m }, (_, j) => `c${j}`);
          const parts = slices.map(([time, rows]) => ({ time, data: dataset(rows, columns) }));
          expect(datasetCsv(parts)).toBe(cellByCell(parts));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("a row of only doubles in shortest round-trip form, missing as empty, NaN and Inf as R writes them", () => {
    const columns = ["a", "b", "c", "d"];
    const values = new Float64Array([
      0.1 + 0.2,
      Number.NaN,
      -0,
      Number.NaN,
      1e21,
      Number.NEGATIVE_INFINITY,
      2,
      3,
    ]);
    const na = new Uint8Array([0, 1, 0, 0, 0, 0, 0, 0]);
    const text = datasetCsv([{ time: null, data: { units: ["u1", "u2"], columns, values, na } }]);
    expect(text).toBe("uCode,a,b,c,d\nu1,0.30000000000000004,0,1e+21,2\nu2,,NaN,-Inf,3\n");
  });
});
