import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { type DataRow, type Plan, planSchema } from "../../src/engine/index.js";

const dir = join(import.meta.dirname, "..", "..", "examples", "city-departments");

/** The municipal example's plan and every data row (levels, refs and reviewers kept), as the engine takes them. */
export function exampleInputs(): { plan: Plan; rows: DataRow[] } {
  const plan = planSchema.parse(JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")));
  const records = parse(readFileSync(join(dir, "values.csv")), { bom: true, columns: true }) as Record<
    string,
    string
  >[];
  const rows = records.map((r) => ({
    unit: r.unit!,
    indicator: r.indicator!,
    period: r.period!,
    value: Number(r.value),
    ...(r.level ? { level: r.level } : {}),
    ...(r.ref ? { ref: r.ref } : {}),
    ...(r.reviewer ? { reviewer: r.reviewer } : {}),
  }));
  return { plan, rows };
}
