import { type IndicatorSpec, type Plan, reportedPeriods } from "../../../engine/index.js";

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
 * leaves are left out (reviewers mark them). Top-level leaves go into a group of their own.
 */
export function entryForm(plan: Plan, unit: string, lang: "zh-CN" | "en"): EntryGroup[] {
  const label = (n: { name: string; nameEn?: string | undefined }) =>
    lang === "en" && n.nameEn ? n.nameEn : n.name;
  const leafFields = (node: IndicatorSpec): EntryField[] => {
    if (!node.rule || node.rule.type === "expert" || node.dataType === "expert") return [];
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

/**
 * Checks what was typed before it is sent (the server checks again): a number; 0 or 1 for yes/no; a
 * positive whole number for a rank. Returns the message key of the problem, or null.
 */
export function checkInput(
  field: EntryField,
  text: string,
): "entry.invalid.number" | "entry.invalid.yesno" | "entry.invalid.rank" | "entry.invalid.required" | null {
  const trimmed = text.trim();
  if (trimmed === "") return "entry.invalid.required";
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return "entry.invalid.number";
  if (field.dataType === "yesno" && value !== 0 && value !== 1) return "entry.invalid.yesno";
  if (field.dataType === "rank" && !(Number.isInteger(value) && value >= 1)) return "entry.invalid.rank";
  return null;
}
