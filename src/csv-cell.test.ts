import { describe, expect, it } from "vitest";
import { numberCell, toCsv } from "./cli/csv.js";
import { csvCell, csvLine } from "./csv-cell.js";

describe("csvCell", () => {
  it("neutralises text that a spreadsheet would run as a formula", () => {
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("@SUM(1)")).toBe("'@SUM(1)");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe('"\'\rx"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("plain, text")).toBe('"plain, text"');
    expect(csvCell("市科技局")).toBe("市科技局");
  });

  it("leaves numbers as numbers, negative and non-finite ones too", () => {
    expect(csvCell(-2.5)).toBe("-2.5");
    expect(csvCell(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(csvCell(Number.NEGATIVE_INFINITY)).toBe("-Inf");
    expect(csvCell(Number.NaN)).toBe("NaN");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell({ a: "=1" })).toBe('"{""a"":""=1""}"');
    expect(csvLine([1, "-1", -1])).toBe("1,'-1,-1");
  });

  it("is what the command line's CSV writer uses", () => {
    expect(
      toCsv(
        ["unit", "total"],
        [
          ["=1+1", -2.5],
          ["kjj", numberCell(3, true)],
        ],
      ),
    ).toBe("unit,total\n'=1+1,-2.5\nkjj,\n");
  });
});
