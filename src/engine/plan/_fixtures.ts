import type { DataRow } from "./data.js";
import type { IndicatorSpec, Plan } from "./schema.js";

/** A small plan for tests: units A-F in two categories (A-D "dept", E-F "district") plus standalone S. */
export function testPlan(indicators: IndicatorSpec[], extra: Partial<Plan> = {}): Plan {
  return {
    format: "kaohe-plan/1",
    id: "test",
    name: "测试方案",
    period: { key: "2022", previous: "2021" },
    units: ["A", "B", "C", "D", "E", "F"]
      .map((code) => ({ code, name: `单位${code}` }))
      .concat([{ code: "S", name: "单列单位", standalone: true } as never]),
    categories: [
      { code: "dept", name: "部门", units: ["A", "B", "C", "D"] },
      { code: "district", name: "区县", units: ["E", "F"] },
    ],
    indicators,
    ...extra,
  };
}

/** Rows for one indicator in one period: { A: 1, B: 2 } -> data rows. */
export function rowsOf(indicator: string, values: Record<string, number>, period = "2022"): DataRow[] {
  return Object.entries(values).map(([unit, value]) => ({ unit, indicator, period, value }));
}
