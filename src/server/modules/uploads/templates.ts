import { appliesTo, type Plan, type PlanStructure, reportedPeriods } from "../../../engine/index.js";
import type { ReportedValue } from "../values/service.js";
import type { TemplateLayout } from "./layout.js";

/** The value template (填报): the Chinese headers are written, the English ones accepted too. */
export const VALUE_TEMPLATE = {
  sheet: "填报",
  columns: [
    { key: "indicator", zh: "指标代码", en: "indicator", width: 12 },
    { key: "name", zh: "指标名称", en: "name", width: 36 },
    { key: "unit", zh: "计量单位", en: "unit", width: 10 },
    { key: "period", zh: "期间", en: "period", width: 10 },
    { key: "target", zh: "目标值", en: "target", width: 10 },
    { key: "value", zh: "填报值", en: "value", width: 12 },
    { key: "note", zh: "说明", en: "note", width: 30 },
    { key: "revision", zh: "版本", en: "revision", width: 8 },
  ],
  required: ["indicator", "period", "value"],
  editable: ["value", "note"],
  help: (plan: Plan, unit: string) => [
    `${plan.name}（${plan.period.key}）`,
    `单位：${unit}`,
    "在“填报”表的“填报值”列填写数值（是/否类填 1 或 0），可在“说明”列写明情况；不要修改其他列。",
    "“版本”列用于防止覆盖他人的修改：上传时若数据已被他人改过，将提示冲突，请重新下载模板。",
    "Fill in the value column (1 or 0 for yes/no), optionally a note; leave the other columns as they are.",
  ],
} as const satisfies TemplateLayout<string>;

export type ValueTemplateKey = (typeof VALUE_TEMPLATE)["columns"][number]["key"];

export interface TemplateRow {
  indicator: string;
  name: string;
  unit: string;
  period: string;
  target: number | null;
  value: number | null;
  note: string | null;
  revision: number;
}

/**
 * The rows a unit reports for a plan: every leaf indicator except expert marks and those that do not
 * apply to it (适用单位), for the plan period, plus the earlier periods its rules compare with (the
 * previous period for 进位 rules, the base period of a base-year index), with the values already saved
 * and their revisions. With no unit (""), the plan's cells: every leaf's, whoever it applies to.
 */
export function templateRows(
  structure: PlanStructure,
  unit: string,
  saved: readonly ReportedValue[],
): TemplateRow[] {
  const { plan, nodes, leaves, targets, unitIndex } = structure;
  const u = unitIndex.get(unit) ?? -1;
  const rows: TemplateRow[] = [];
  leaves.forEach((i, k) => {
    const node = nodes[i]!;
    const rule = node.rule!;
    if (rule.type === "expert" || (unit !== "" && !appliesTo(node, unit))) return;
    for (const period of reportedPeriods(plan, rule)) {
      const existing = saved.find((v) => v.indicator === node.code && v.period === period);
      const target = targets[k]?.[u];
      rows.push({
        indicator: node.code,
        name: node.name,
        unit: node.spec.unit ?? "",
        period,
        target: target === undefined || Number.isNaN(target) ? null : target,
        value: existing?.value ?? null,
        note: existing?.note ?? null,
        revision: existing?.revision ?? 0,
      });
    }
  });
  return rows;
}

/**
 * The rows of a unit's own template: its cells, but those its lead department scores for every unit
 * (scoredBy: lead), which the unit does not report. What the unit downloads and may upload back.
 */
export function unitTemplateRows(
  structure: PlanStructure,
  unit: string,
  saved: readonly ReportedValue[],
): TemplateRow[] {
  return templateRows(structure, unit, saved).filter(
    (r) => !structure.nodes[structure.byCode.get(r.indicator)!]!.scoredByLead,
  );
}
