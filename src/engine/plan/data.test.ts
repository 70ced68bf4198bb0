import { describe, expect, it } from "vitest";
import { rowsOf, testPlan } from "./_fixtures.js";
import { type DataRow, indexPlanData } from "./data.js";
import { buildPlanStructure } from "./structure.js";

const plan = testPlan([
  { code: "x", name: "x", points: 50, rule: { type: "relative", normaliser: { method: "minmax" } } },
  { code: "y", name: "y", points: 50, rule: { type: "yesno" } },
]);
const structure = (() => {
  const built = buildPlanStructure(plan);
  if (!built.ok) throw new Error(built.error.message.en);
  return built.value;
})();

describe("indexing a plan's data (indexPlanData)", () => {
  it("puts every value in its unit's cell, whatever order the rows come in", () => {
    const rows: DataRow[] = [
      ...rowsOf("x", { A: 1, B: 2, C: 3 }),
      ...rowsOf("y", { A: 1, B: 0 }),
      ...rowsOf("x", { D: 4 }),
      ...rowsOf("x", { A: 7, S: 9 }, "2021"),
      ...rowsOf("x", { E: 5 }),
    ];
    const indexed = indexPlanData(structure, rows);
    if (!indexed.ok) throw new Error(indexed.error.message.en);
    expect(Array.from(indexed.value.column("x", "2022"))).toEqual([1, 2, 3, 4, 5, Number.NaN, Number.NaN]);
    expect(Array.from(indexed.value.column("y", "2022"))).toEqual([1, 0, ...Array(5).fill(Number.NaN)]);
    expect(Array.from(indexed.value.column("x", "2021"))).toEqual([7, ...Array(5).fill(Number.NaN), 9]);
    expect(Array.from(indexed.value.column("y", "2021"))).toEqual(Array(7).fill(Number.NaN));
  });

  it("refuses a second value for a cell, naming the row that had it first", () => {
    const numbered = (rows: DataRow[]) => rows.map((r, k) => ({ ...r, row: k + 2 }));
    const cases: [DataRow[], string][] = [
      // Right after the first (the row before's column), and far from it.
      [
        numbered(rowsOf("x", { A: 1, B: 2, C: 3 }).concat(rowsOf("x", { C: 4 }))),
        "row 5: duplicate value of x for C in 2022 (already on row 4)",
      ],
      [
        numbered([...rowsOf("x", { A: 1, B: 2 }), ...rowsOf("y", { A: 1 }), ...rowsOf("x", { A: 3 })]),
        "row 5: duplicate value of x for A in 2022 (already on row 2)",
      ],
      // A leaf whose values are checked (yes/no).
      [
        numbered([...rowsOf("y", { A: 1, B: 0 }), ...rowsOf("y", { B: 1 })]),
        "row 4: duplicate value of y for B in 2022 (already on row 3)",
      ],
    ];
    for (const [rows, message] of cases) {
      const indexed = indexPlanData(structure, rows);
      expect(indexed.ok).toBe(false);
      if (!indexed.ok) {
        expect(indexed.error.code).toBe("DUPLICATE_VALUE");
        expect(indexed.error.message.en).toBe(message);
      }
    }
  });

  it("still checks a value against its leaf's rule", () => {
    const indexed = indexPlanData(structure, [...rowsOf("x", { A: 1 }), ...rowsOf("y", { A: 2 })]);
    expect(indexed.ok).toBe(false);
    if (!indexed.ok) expect(indexed.error.code).toBe("BAD_YESNO");
  });
});
