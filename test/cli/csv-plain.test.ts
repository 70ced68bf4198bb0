import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv, plainCsvRecords } from "../../src/cli/csv.js";
import { csvLineEnds } from "../../src/csv-cell.js";

/** csv-parse with parseCsv's options: the reader the plain path must agree with. */
function byCsvParse(text: string) {
  const records = parse(text, {
    bom: true,
    info: true,
    record_delimiter: csvLineEnds,
    relax_column_count: false,
    skip_empty_lines: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return records.map((r) => ({ line: r.info.lines, cells: r.record }));
}

// Texts of few characters, so lone \r, \r\n, empty lines, a BOM, trailing commas and ragged rows all come up.
const text = fc
  .array(fc.constantFrom("a", "1", ",", ",", "\n", "\r\n", "\r", " ", "单位", "\uFEFF", "2.5"), {
    maxLength: 40,
  })
  .map((parts) => parts.join(""));

describe("CSV without quotes", () => {
  it("is read exactly as csv-parse reads it: records, their lines, and a refusal where it refuses", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          text.map((t) => `\uFEFFunit,value\n${t}`),
        ),
        (t) => {
          let expected: ReturnType<typeof byCsvParse> | null;
          try {
            expected = byCsvParse(t);
          } catch {
            expected = null;
          }
          const plain = plainCsvRecords(t);
          // Null hands the text to csv-parse: where it refuses (ragged rows), or a lone \r it counts as a line.
          if (plain !== null) expect(plain).toEqual(expected);
          else if (expected !== null) expect(/\r(?!\n)/.test(t)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("gives parseCsv the same table either way, and a quoted file still goes through csv-parse", () => {
    const plain = "unit,indicator,period,value\r\nA,x,2024,1\n\nB,x,2024,2.5\n";
    expect(parseCsv(plain, "v.csv")).toEqual({
      file: "v.csv",
      header: ["unit", "indicator", "period", "value"],
      rows: [
        { line: 2, cells: ["A", "x", "2024", "1"] },
        { line: 4, cells: ["B", "x", "2024", "2.5"] },
      ],
    });
    expect(plainCsvRecords('unit,value\n"A,B",1\n')).toBeNull();
    expect(parseCsv('unit,value\n"A,B",1\n', "v.csv").rows).toEqual([{ line: 2, cells: ["A,B", "1"] }]);
  });
});
