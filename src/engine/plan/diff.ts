import { canonicalJson } from "../hash.js";
import type { IndicatorSpec, Plan } from "./schema.js";
import { buildPlanStructure } from "./structure.js";

/**
 * What changed from one plan version to the next (方案修订的差异): the indicator tree, the scoring
 * rules, the targets and the units. Pure, so that the server's revision history and the web app's plan
 * designer show the very same diff. Indicators and units are matched by code; a renamed code is a
 * removal plus an addition.
 */
export interface PlanDiff {
  /** True when nothing below differs. */
  same: boolean;
  tree: {
    added: { code: string; name: string; parent: string | null }[];
    removed: { code: string; name: string; parent: string | null }[];
    /** Nodes whose parent changed (a reorder among the same siblings is not a move). */
    moved: { code: string; from: string | null; to: string | null }[];
    /** Properties of nodes in both versions; `points` compares the resolved 分值 (also from weights). */
    changed: { code: string; field: NodeField; before: unknown; after: unknown }[];
  };
  /** Leaf indicators in both versions whose rule's type or parameters changed. */
  rules: {
    code: string;
    typeBefore: string | null;
    typeAfter: string | null;
    /** Each changed parameter by its path in the rule (`tiers[0].threshold`), the type excluded. */
    parameters: { path: string; before: unknown; after: unknown }[];
  }[];
  /** Effective targets (per-unit target, else the indicator's) of indicators and units in both versions. */
  targets: { indicator: string; unit: string; before: number | null; after: number | null }[];
  units: {
    added: { code: string; name: string }[];
    removed: { code: string; name: string }[];
    /** Units in both versions whose category (or categories), name or 单列 status changed. */
    changed: { code: string; field: "category" | "name" | "standalone"; before: unknown; after: unknown }[];
  };
  /** Other top-level parts of the document that differ (period, grades, bonus, publication…). */
  other: string[];
}

export const nodeFields = [
  "name",
  "nameEn",
  "points",
  "weight",
  "combine",
  "dataType",
  "unit",
  "direction",
  "must",
  "evidence",
  "lead",
  "scoredBy",
  "noTies",
  "values",
  "adjustment",
  "appliesTo",
] as const;
export type NodeField = (typeof nodeFields)[number];

interface Flat {
  spec: IndicatorSpec;
  parent: string | null;
  leaf: boolean;
}

function flatten(plan: Plan): Map<string, Flat> {
  const out = new Map<string, Flat>();
  const walk = (specs: readonly IndicatorSpec[], parent: string | null) => {
    for (const spec of specs) {
      const leaf = !spec.children || spec.children.length === 0;
      out.set(spec.code, { spec, parent, leaf });
      if (!leaf) walk(spec.children!, spec.code);
    }
  };
  walk(plan.indicators, null);
  return out;
}

/** The resolved points of every node, when the plan builds (a plan being designed may not yet). */
function resolvedPoints(plan: Plan): Map<string, number> | undefined {
  const built = buildPlanStructure(plan);
  return built.ok ? new Map(built.value.nodes.map((n) => [n.code, n.points])) : undefined;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** Leaves of a value as path → value (`tiers[0].threshold`, `step.points`), for parameter diffs. */
function paths(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((v, i) => {
      paths(v, `${prefix}[${i}]`, out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) paths(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) out.set(prefix, value);
  return out;
}

function ruleParameters(before: unknown, after: unknown): PlanDiff["rules"][number]["parameters"] {
  const strip = (rule: unknown) => {
    if (!rule || typeof rule !== "object") return {};
    const { type: _, ...rest } = rule as Record<string, unknown>;
    return rest;
  };
  const a = paths(strip(before), "", new Map());
  const b = paths(strip(after), "", new Map());
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((k) => !same(a.get(k), b.get(k)))
    .map((k) => ({ path: k, before: a.get(k) ?? null, after: b.get(k) ?? null }));
}

function categoriesOf(plan: Plan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of plan.categories) {
    for (const u of c.units) out.set(u, [...(out.get(u) ?? []), c.code]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

const effectiveTarget = (plan: Plan, spec: IndicatorSpec, unit: string): number | null =>
  plan.targets?.[spec.code]?.[unit] ?? spec.target ?? null;

/** The top-level keys compared elsewhere (tree, targets, units) or never meaningful in a diff. */
const covered = new Set(["indicators", "targets", "units", "categories", "version", "format"]);

/** The difference from plan version `a` to plan version `b`. */
export function diffPlans(a: Plan, b: Plan): PlanDiff {
  const fa = flatten(a);
  const fb = flatten(b);
  const pa = resolvedPoints(a);
  const pb = resolvedPoints(b);

  const tree: PlanDiff["tree"] = { added: [], removed: [], moved: [], changed: [] };
  const rules: PlanDiff["rules"] = [];
  const targets: PlanDiff["targets"] = [];
  const unitsA = new Map(a.units.map((u) => [u.code, u]));
  const unitsB = new Map(b.units.map((u) => [u.code, u]));
  const common = b.units.filter((u) => unitsA.has(u.code)).map((u) => u.code);

  for (const [code, x] of fa) {
    if (!fb.has(code)) tree.removed.push({ code, name: x.spec.name, parent: x.parent });
  }
  for (const [code, y] of fb) {
    const x = fa.get(code);
    if (!x) {
      tree.added.push({ code, name: y.spec.name, parent: y.parent });
      continue;
    }
    if (x.parent !== y.parent) tree.moved.push({ code, from: x.parent, to: y.parent });
    for (const field of nodeFields) {
      const before = field === "points" ? (pa?.get(code) ?? x.spec.points) : x.spec[field];
      const after = field === "points" ? (pb?.get(code) ?? y.spec.points) : y.spec[field];
      if (!same(before, after))
        tree.changed.push({ code, field, before: before ?? null, after: after ?? null });
    }
    if (x.leaf || y.leaf) {
      const ra = x.leaf ? x.spec.rule : undefined;
      const rb = y.leaf ? y.spec.rule : undefined;
      if (!same(ra, rb)) {
        rules.push({
          code,
          typeBefore: ra?.type ?? null,
          typeAfter: rb?.type ?? null,
          parameters: ruleParameters(ra, rb),
        });
      }
    }
    if (x.leaf && y.leaf) {
      for (const unit of common) {
        const before = effectiveTarget(a, x.spec, unit);
        const after = effectiveTarget(b, y.spec, unit);
        if (before !== after) targets.push({ indicator: code, unit, before, after });
      }
    }
  }

  const catA = categoriesOf(a);
  const catB = categoriesOf(b);
  const units: PlanDiff["units"] = {
    added: b.units.filter((u) => !unitsA.has(u.code)).map((u) => ({ code: u.code, name: u.name })),
    removed: a.units.filter((u) => !unitsB.has(u.code)).map((u) => ({ code: u.code, name: u.name })),
    changed: [],
  };
  for (const code of common) {
    const ua = unitsA.get(code)!;
    const ub = unitsB.get(code)!;
    const ca = catA.get(code) ?? [];
    const cb = catB.get(code) ?? [];
    if (!same(ca, cb)) units.changed.push({ code, field: "category", before: ca, after: cb });
    if (ua.name !== ub.name) units.changed.push({ code, field: "name", before: ua.name, after: ub.name });
    if (Boolean(ua.standalone) !== Boolean(ub.standalone))
      units.changed.push({
        code,
        field: "standalone",
        before: Boolean(ua.standalone),
        after: Boolean(ub.standalone),
      });
  }

  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !covered.has(k)).sort();
  const other = keys.filter(
    (k) => !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );

  const nothing =
    tree.added.length + tree.removed.length + tree.moved.length + tree.changed.length === 0 &&
    rules.length + targets.length + other.length === 0 &&
    units.added.length + units.removed.length + units.changed.length === 0;
  return { same: nothing, tree, rules, targets, units, other };
}
