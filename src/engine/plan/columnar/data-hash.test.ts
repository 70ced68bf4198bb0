import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Sha256Factory } from "../../hash.js";
import type { DataRow } from "../data.js";
import { dataHash, dataHashByLines, rowJson } from "./data-hash.js";

const nodeSha256: Sha256Factory = () => {
  const h = createHash("sha256");
  return { update: (b: Uint8Array) => h.update(b), digest: () => h.digest() };
};

// Few distinct texts, so rows tie on some fields and differ on others; prefixes of each other, spaces,
// quotes, control characters, lone surrogates and Chinese, which JSON escapes or orders unlike plain text.
const text = fc.oneof(
  fc.constantFrom("a", "ab", "a b", "a!", 'a"', "a\\", "a\u0001", "\ud800", "单位", "单位1", "", "b"),
  fc.string({ unit: "binary", maxLength: 4 }),
);
const row = fc.record(
  {
    unit: text,
    indicator: text,
    period: fc.constantFrom("2024", "2025", "2024 "),
    value: fc.oneof(
      fc.double(),
      fc.integer({ min: -20, max: 20 }),
      fc.constant(-0),
      fc.constant(5),
      fc.constant(50),
    ),
    source: text,
    level: text,
    ref: text,
    reviewer: text,
    row: fc.nat(),
  },
  { requiredKeys: [] },
);

describe("dataHash", () => {
  it("is the digest of the rows' canonical lines sorted as strings, whatever the rows", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        expect(dataHash(rows as DataRow[])).toBe(dataHashByLines(rows as DataRow[]));
      }),
      { numRuns: 500 },
    );
  });

  it("gives the same digest for rows already in their lines' order, and for such rows with two swapped", () => {
    // Rows equal in every text field are in order by their value's text (10 before 2), a row without one last.
    const tied = [10, 2, undefined].map((value) => ({ unit: "A", indicator: "x", period: "2024", value }));
    for (const rows of [tied, [tied[1], tied[0], tied[2]], [tied[0], tied[2], tied[1]]] as DataRow[][])
      expect(dataHash(rows)).toBe(dataHashByLines(rows));
    // Rows already in order are not sorted again: the check must see every way two lines can be out of order.
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), fc.nat(), fc.nat(), (given, i, j) => {
        const rows = (given as DataRow[])
          .map((r) => ({ r, line: rowJson(r) }))
          .sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0))
          .map(({ r }) => r);
        expect(dataHash(rows)).toBe(dataHashByLines(rows));
        if (rows.length < 2) return;
        const a = i % rows.length;
        const b = j % 2 === 0 ? (a + 1) % rows.length : j % rows.length;
        [rows[a], rows[b]] = [rows[b] as DataRow, rows[a] as DataRow];
        expect(dataHash(rows)).toBe(dataHashByLines(rows));
      }),
      { numRuns: 500 },
    );
  });

  it("gives the same digest where the fields' combinations far outnumber the rows (the field-by-field sort)", () => {
    const distinct = fc.string({ unit: "binary", minLength: 1, maxLength: 6 });
    const wide = fc.record(
      {
        unit: distinct,
        indicator: distinct,
        period: fc.constantFrom("2024", "2025"),
        value: fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 })),
        source: distinct,
        reviewer: distinct,
      },
      { requiredKeys: ["unit", "indicator", "period"] },
    );
    fc.assert(
      fc.property(fc.array(wide, { minLength: 30, maxLength: 80 }), (given) => {
        const rows = given as DataRow[];
        // Ties too: some rows again with their text fields only, or with another value.
        rows.push(...rows.slice(0, 5).map(({ value: _v, ...r }) => r as DataRow));
        rows.push(...rows.slice(0, 5).map((r) => ({ ...r, value: 2 })));
        const fields = ["indicator", "period", "reviewer", "source", "unit"] as const;
        const combinations = fields
          .map((f) => new Set(rows.map((r) => r[f])))
          .reduce((p, values) => p * values.size, 1);
        fc.pre(combinations > 8 * rows.length + 65_536);
        expect(dataHash(rows)).toBe(dataHashByLines(rows));
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same digest where a field has more distinct values than two bytes count (ids widened)", () => {
    // 70,000 units: the unit column's ids outgrow 65,535 part-way through and are widened in place.
    const rows: DataRow[] = [];
    for (let u = 0; u < 70_000; u++)
      rows.push({
        unit: `U${(u * 7919) % 70_000}`,
        indicator: u % 2 ? "b" : "a",
        period: "2024",
        value: u % 13,
      });
    expect(dataHash(rows, nodeSha256)).toBe(dataHashByLines(rows, nodeSha256));
  });

  it("takes the definition's way for rows of another shape, with the same digest", () => {
    const odd = [
      { unit: "A", indicator: "x", period: "2024", value: 1, extra: { b: 1, a: 2 } },
      { unit: "A", indicator: "x", period: "2024", value: "1" },
    ] as unknown as DataRow[];
    expect(dataHash(odd)).toBe(dataHashByLines(odd));
  });

  it("gives the same digest through Node's SHA-256, over many buffers' worth of rows", () => {
    const rows: DataRow[] = [];
    for (let u = 0; u < 300; u++)
      for (let k = 0; k < 30; k++)
        rows.push({ unit: `单位${u}`, indicator: `i${k}`, period: "2024", value: (u * k) / 7 });
    rows.reverse();
    const expected = dataHashByLines(rows);
    expect(dataHash(rows)).toBe(expected);
    expect(dataHash(rows, nodeSha256)).toBe(expected);
    expect(dataHash([])).toBe(dataHashByLines([]));
  });
});
