import type { Plan, PlanStructure } from "../../../engine/index.js";
import type { TemplateLayout } from "./layout.js";
import { templateRows } from "./templates.js";

/**
 * The office's import (数据导入): values of many units in one long table, one row per unit, indicator
 * and period, e.g. figures the statistics bureau or a lead department supplies for every unit.
 */
export const IMPORT_TEMPLATE = {
  sheet: "导入",
  columns: [
    { key: "unit", zh: "单位代码", en: "unit", width: 12 },
    { key: "unitName", zh: "单位名称", en: "unit name", width: 24 },
    { key: "indicator", zh: "指标代码", en: "indicator", width: 12 },
    { key: "name", zh: "指标名称", en: "name", width: 36 },
    { key: "period", zh: "期间", en: "period", width: 10 },
    { key: "value", zh: "数值", en: "value", width: 12 },
    { key: "note", zh: "说明", en: "note", width: 30 },
  ],
  required: ["unit", "indicator", "period", "value"],
  editable: ["value", "note"],
  help: (plan: Plan) => [
    `${plan.name}（${plan.period.key}）数据导入`,
    "在“数值”列填写各单位的数值（是/否类填 1 或 0），不导入的行留空；其他列不要修改。",
    "导入的数据进入审核（状态为已提交）；已提交或已审核的数据不会被覆盖，整个文件要么全部导入，要么全部不导入。",
    "Fill in the value column for the rows to import; leave the others empty. Imported values await review.",
  ],
} as const satisfies TemplateLayout<string>;

export type ImportTemplateKey = (typeof IMPORT_TEMPLATE)["columns"][number]["key"];

export interface ImportTemplateRow {
  unit: string;
  unitName: string;
  indicator: string;
  name: string;
  period: string;
  value: null;
  note: null;
}

/** Every cell units report in the plan (as in their value templates), for every unit, values blank. */
export function importTemplateRows(structure: PlanStructure): ImportTemplateRow[] {
  return structure.plan.units.flatMap((u) =>
    templateRows(structure, u.code, []).map((r) => ({
      unit: u.code,
      unitName: u.name,
      indicator: r.indicator,
      name: r.name,
      period: r.period,
      value: null,
      note: null,
    })),
  );
}
