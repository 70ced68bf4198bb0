import { describe, expect, it } from "vitest";
import { defaultSheetLimits, readCsvTable } from "./spreadsheet.js";

describe("readCsvTable", () => {
  it("reads a CSV whose lines end in CRLF and LF mixed, a quoted line break kept in its cell", () => {
    const body = Buffer.from(
      '\uFEFFunit,indicator,value\r\nkjj,A1,24\nkjj,A2,"2.87"\r\nfgw,"A\n3",1\n',
      "utf8",
    );
    const read = readCsvTable(body, defaultSheetLimits);
    expect(read.ok).toBe(true);
    if (read.ok)
      expect(read.table.rows.map((r) => r.cells)).toEqual([
        ["unit", "indicator", "value"],
        ["kjj", "A1", "24"],
        ["kjj", "A2", "2.87"],
        ["fgw", "A\n3", "1"],
      ]);
  });
});
