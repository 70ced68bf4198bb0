import type { Plan, PlanStructure } from "../../../engine/index.js";
import type { TargetAdjustment } from "../targets/service.js";
import type { TemplateLayout } from "./layout.js";

/**
 * The target template (目标): a unit's targets with their baselines, the target as set in the plan and
 * as it now stands (after approved adjustments); the unit fills in a new target and the reason to ask
 * for an adjustment (目标调整), which the office then approves or rejects.
 */
export const TARGET_TEMPLATE = {
  sheet: "目标",
  columns: [
    { key: "indicator", zh: "指标代码", en: "indicator", width: 12 },
    { key: "name", zh: "指标名称", en: "name", width: 36 },
    { key: "unit", zh: "计量单位", en: "unit", width: 10 },
    { key: "baseline", zh: "基期值", en: "baseline", width: 10 },
    { key: "original", zh: "下达目标", en: "original target", width: 10 },
    { key: "current", zh: "现行目标", en: "current target", width: 10 },
    { key: "target", zh: "申请调整为", en: "requested target", width: 12 },
    { key: "reason", zh: "调整理由", en: "reason", width: 40 },
  ],
  required: ["indicator", "target", "reason"],
  editable: ["target", "reason"],
  help: (plan: Plan, unit: string) => [
    `${plan.name}（${plan.period.key}）目标值`,
    `单位：${unit}`,
    "如需调整目标，在“申请调整为”列填写新的目标值，并在“调整理由”列说明理由；不调整的行留空。",
    "上传后每一行成为一项目标调整申请，由考核办审批；下达目标保留不变。",
    "To ask for a target adjustment, fill in the requested target and the reason; leave other rows empty.",
  ],
} as const satisfies TemplateLayout<string>;

export type TargetTemplateKey = (typeof TARGET_TEMPLATE)["columns"][number]["key"];

export interface TargetTemplateRow {
  indicator: string;
  name: string;
  unit: string;
  baseline: number | null;
  original: number;
  current: number;
  target: null;
  reason: null;
}

/** Every leaf indicator that has a target for the unit, with its baseline and current target. */
export function targetTemplateRows(
  structure: PlanStructure,
  unit: string,
  approved: readonly TargetAdjustment[],
): TargetTemplateRow[] {
  const { plan, nodes, leaves, targets, unitIndex } = structure;
  const u = unitIndex.get(unit) ?? -1;
  const rows: TargetTemplateRow[] = [];
  leaves.forEach((i, k) => {
    const original = targets[k]?.[u];
    if (original === undefined || Number.isNaN(original)) return;
    const node = nodes[i]!;
    // The latest approved adjustment is the target that now applies.
    const adjusted = approved.filter((a) => a.unitCode === unit && a.indicator === node.code).at(-1);
    rows.push({
      indicator: node.code,
      name: node.name,
      unit: node.spec.unit ?? "",
      baseline: plan.baselines?.[node.code]?.[unit] ?? null,
      original,
      current: adjusted?.requested ?? original,
      target: null,
      reason: null,
    });
  });
  return rows;
}
