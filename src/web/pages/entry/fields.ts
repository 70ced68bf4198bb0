import { formatError, type Lang } from "../../../engine/errors.js";
import { reportedPeriods } from "../../../engine/plan/periods.js";
import type { IndicatorSpec, Plan } from "../../../engine/plan/schema.js";
import { buildPlanStructure, type PlanStructure } from "../../../engine/plan/structure.js";
import { type ValueRule, valueProblem } from "../../../engine/plan/value-rules.js";

/** One value the unit reports: a leaf indicator (not expert-marked) for one period. */
export interface EntryField {
  key: string;
  code: string;
  name: string;
  period: string;
  /** The plan's own period (the others are earlier ones its rule compares with). */
  current: boolean;
  unit: string;
  dataType: NonNullable<IndicatorSpec["dataType"]>;
  target: number | null;
  baseline: number | null;
  must: boolean;
  evidence: { required: boolean; description?: string | undefined } | null;
}

/** A node of the plan's tree above the leaves: a heading over its fields and sub-groups. */
export interface EntryGroup {
  code: string;
  name: string;
  depth: number;
  points: number | undefined;
  fields: EntryField[];
  groups: EntryGroup[];
}

export const fieldKey = (indicator: string, period: string) => `${indicator}\u0000${period}`;

/**
 * The data-entry form of a plan for one unit: its tree grouped by the nodes above the leaves, each leaf a
 * field per period with its unit of measure, the unit's target and baseline (基期值). Expert-marked
 * leaves are left out (reviewers mark them), and those that do not apply to the unit (appliesTo). Top-level leaves go into a group of their own.
 */
export function entryForm(plan: Plan, unit: string, lang: "zh-CN" | "en"): EntryGroup[] {
  const label = (n: { name: string; nameEn?: string | undefined }) =>
    lang === "en" && n.nameEn ? n.nameEn : n.name;
  const leafFields = (node: IndicatorSpec): EntryField[] => {
    if (!node.rule || node.rule.type === "expert" || node.dataType === "expert") return [];
    if (node.appliesTo && !node.appliesTo.includes(unit)) return []; // 适用单位: not this unit's
    const target = plan.targets?.[node.code]?.[unit] ?? node.target ?? null;
    const baseline = plan.baselines?.[node.code]?.[unit] ?? null;
    return reportedPeriods(plan, node.rule).map((period) => ({
      key: fieldKey(node.code, period),
      code: node.code,
      name: label(node),
      period,
      current: period === plan.period.key,
      unit: node.unit ?? "",
      dataType: node.dataType ?? "number",
      target: period === plan.period.key ? target : null,
      baseline: period === plan.period.key ? baseline : null,
      must: Boolean(node.must),
      evidence: node.evidence ?? null,
    }));
  };
  const group = (node: IndicatorSpec, depth: number): EntryGroup => {
    const g: EntryGroup = {
      code: node.code,
      name: label(node),
      depth,
      points: node.points,
      fields: [],
      groups: [],
    };
    for (const child of node.children ?? []) {
      if (child.children) {
        const sub = group(child, depth + 1);
        if (sub.fields.length > 0 || sub.groups.length > 0) g.groups.push(sub);
      } else g.fields.push(...leafFields(child));
    }
    return g;
  };
  const groups: EntryGroup[] = [];
  const loose: EntryField[] = [];
  for (const node of plan.indicators) {
    if (node.children) {
      const g = group(node, 0);
      if (g.fields.length > 0 || g.groups.length > 0) groups.push(g);
    } else loose.push(...leafFields(node));
  }
  if (loose.length > 0)
    groups.push({ code: "", name: plan.name, depth: 0, points: undefined, fields: loose, groups: [] });
  return groups;
}

/** Every field of the form, in order (for the summary, keyboard order and upload errors). */
export const allFields = (groups: EntryGroup[]): EntryField[] =>
  groups.flatMap((g) => [...g.fields, ...allFields(g.groups)]);

/** The engine's check of one unit's values in a plan: the rule the server applies, in the browser. */
export interface ValueCheck {
  structure: PlanStructure;
  unit: number;
}

/** The plan as the engine indexes it, for one unit; undefined when the plan or unit will not index. */
export function valueCheck(plan: Plan, unit: string): ValueCheck | undefined {
  const built = buildPlanStructure(plan);
  const u = built.ok ? built.value.unitIndex.get(unit) : undefined;
  return built.ok && u !== undefined ? { structure: built.value, unit: u } : undefined;
}

/** The value rule of a field's leaf (range, decimals, rank, yes/no), as the engine resolved it. */
export const fieldRule = (check: ValueCheck | undefined, field: EntryField): ValueRule | undefined =>
  check?.structure.nodes[check.structure.byCode.get(field.code) ?? -1]?.accepts;

/**
 * Checks what was typed before it is sent: a number, then the engine's own rule (valueProblem), so the
 * message at the field is the one the server would give. Without a check (a plan that will not index)
 * the server's answer is the only one.
 */
export function inputProblem(
  field: EntryField,
  text: string,
  check: ValueCheck | undefined,
  lang: Lang,
): { key: "entry.invalid.number" | "entry.invalid.required" } | { message: string } | null {
  const trimmed = text.trim();
  if (trimmed === "") return { key: "entry.invalid.required" };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { key: "entry.invalid.number" };
  const leaf = check?.structure.byCode.get(field.code);
  const problem = check && leaf !== undefined ? valueProblem(check.structure, leaf, check.unit, value) : null;
  return problem ? { message: formatError(problem, lang) } : null;
}
