import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPlanAndData } from "../../../cli/plan-file.js";
import { canonicalJson, createRandom, type DataRow, scorePlan } from "../../../engine/index.js";
import { AppError } from "../../errors.js";
import {
  canonicalRows,
  carriesTraces,
  explainedAs,
  explainUnit,
  type RunInputs,
  scoreInputs,
} from "./scoring.js";

const examples = join(import.meta.dirname, "..", "..", "..", "..", "examples");

/** An example's frozen inputs as the service would keep them: rows without their source line, sorted. */
async function exampleInputs(name: string): Promise<RunInputs> {
  const { plan, rows } = await readPlanAndData(
    join(examples, name, "plan.json"),
    join(examples, name, "values.csv"),
  );
  return { plan, rows: canonicalRows(rows.map(({ row: _line, ...data }) => data)) };
}

describe.each(["city-departments", "province-cities"])(
  "a run of examples/%s stored without traces",
  (name) => {
    it("holds the full run's numbers, and explains every unit byte for byte as the full run did", async () => {
      const inputs = await exampleInputs(name);
      const full = scorePlan(inputs.plan, inputs.rows);
      if (!full.ok) throw new Error(full.error.message.en);
      const lean = scoreInputs(inputs);
      expect(carriesTraces(full.value)).toBe(true);
      expect(carriesTraces(lean)).toBe(false);
      expect(explainedAs(lean)).toEqual([]);
      const untraced = { ...full.value, units: full.value.units.map((u) => ({ ...u, trace: [] })) };
      expect(canonicalJson(lean)).toBe(canonicalJson(untraced));
      expect(JSON.stringify(lean).length).toBeLessThan(JSON.stringify(full.value).length / 2);
      // As stored: through the database's JSON, which keeps the numbers but not the key order.
      const stored = JSON.parse(JSON.stringify(lean));
      expect(full.value.units.length).toBeGreaterThan(5);
      for (const unit of full.value.units) {
        const explained = explainUnit(inputs, stored, unit.unit);
        expect(JSON.stringify(explained.trace)).toBe(JSON.stringify(unit.trace));
        expect(explained.trace.length).toBeGreaterThan(0);
      }
      // A run stored with its traces explains itself from them.
      expect(explainUnit(inputs, full.value, full.value.units[0]!.unit)).toBe(full.value.units[0]);
    });
  },
);

describe("explaining a unit", () => {
  it("names a unit the run does not have", async () => {
    const inputs = await exampleInputs("city-departments");
    const err = (() => {
      try {
        explainUnit(inputs, scoreInputs(inputs), "nope");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(404);
    expect((err as AppError).messages["zh-CN"]).toContain("nope");
  });

  it("refuses to explain a run whose stored numbers the engine no longer gives", async () => {
    const inputs = await exampleInputs("city-departments");
    const stored = scoreInputs(inputs);
    const unit = stored.units[0]!;
    const changed = { ...stored, units: [{ ...unit, total: unit.total + 1 }, ...stored.units.slice(1)] };
    expect(() => explainUnit(inputs, changed, unit.unit)).toThrow(/scores unit .* differently/);
    expect(explainUnit(inputs, changed, stored.units[1]!.unit).trace.length).toBeGreaterThan(0);
  });
});

describe("the canonical order of a run's rows", () => {
  it("is the order the comparator on canonical JSON gave, with each key written once", async () => {
    const seeded = createRandom(14);
    const random = () => seeded.next();
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
    const rows: DataRow[] = (await exampleInputs("province-cities")).rows.slice(0, 300);
    for (let k = 0; k < 700; k++)
      rows.push({
        unit: pick(["kjj", "KJJ", "fgw", "a-1", "a_1", "市科技局", "Ä", "z"]),
        indicator: pick(["A1", "a1", "A10", "A2", "B-1", "B_1", "B 1"]),
        period: pick(["2022", "2021", "2022Q1"]),
        value: pick([0, 1, -1, 2.5, 10, 1e-7, 123456789]),
        ...(random() < 0.5 ? { source: pick(["统计年报", "任务清单", "Report", "report", "é"]) } : {}),
        ...(random() < 0.3 ? { level: pick(["一等", "二等", "A"]) } : {}),
        ...(random() < 0.2 ? { reviewer: pick(["评委1", "评委2", "r1"]) } : {}),
      });
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const before = [...rows].sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
    const after = canonicalRows(rows);
    expect(after.map((r) => canonicalJson(r))).toEqual(before.map((r) => canonicalJson(r)));
    expect(rows.map((r) => canonicalJson(r))).not.toEqual(before.map((r) => canonicalJson(r)));
  });
});
