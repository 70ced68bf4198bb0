import type { Plan, PlanDiff } from "../../engine/index.js";
import type { useLocale } from "../locales";

type T = ReturnType<typeof useLocale>["t"];
type Changed = { code: string; field: string; before: unknown; after: unknown }[];
/** A plan's diff as diffPlans gives it, or as a run diff carries it (its fields' names as strings). */
type Changes = Pick<PlanDiff, "rules" | "targets" | "other"> & {
  tree: Omit<PlanDiff["tree"], "changed"> & { changed: Changed };
  units: Omit<PlanDiff["units"], "changed"> & { changed: Changed };
};

const show = (v: unknown) =>
  v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);

/** Names by code of units, indicators (every node) and items, as the plan writes them (English where given). */
export function planNames(plan: Plan | undefined, en: boolean): (code: string) => string {
  const names = new Map<string, string>();
  if (plan) {
    const pick = (x: { name: string; nameEn?: string | undefined }) => (en && x.nameEn ? x.nameEn : x.name);
    for (const u of plan.units) names.set(u.code, pick(u));
    const walk = (nodes: Plan["indicators"]) => {
      for (const n of nodes) {
        names.set(n.code, pick(n));
        if (n.children) walk(n.children);
      }
    };
    walk(plan.indicators);
    for (const i of [...(plan.bonus ?? []), ...(plan.penalties ?? []), ...(plan.vetoes ?? [])])
      names.set(i.code, pick(i));
  }
  return (code) => names.get(code) ?? code;
}

/**
 * The engine's diffPlans as sentences: targets, rules, nodes, units, other parts. The one wording for a
 * plan's changes, in the designer's save dialog and in a diff of two runs.
 */
export function planDiffLines(t: T, plan: Changes, name: (code: string) => string): string[] {
  const num = (n: number | null) => (n === null ? t("planDiff.absent") : String(n));
  const label = (code: string) => (name(code) === code ? code : `${code} ${name(code)}`);
  return [
    ...plan.targets.map((x) =>
      t("planDiff.target", {
        indicator: label(x.indicator),
        unit: name(x.unit),
        before: num(x.before),
        after: num(x.after),
      }),
    ),
    ...plan.rules.map((r) =>
      t("planDiff.rule", {
        indicator: label(r.code),
        changes: [
          ...(r.typeBefore !== r.typeAfter
            ? [t("planDiff.ruleType", { before: show(r.typeBefore), after: show(r.typeAfter) })]
            : []),
          ...r.parameters.map((p) => `${p.path} ${show(p.before)} → ${show(p.after)}`),
        ].join("；"),
      }),
    ),
    ...plan.tree.changed.map((c) =>
      t("planDiff.node", {
        indicator: label(c.code),
        field: c.field,
        before: show(c.before),
        after: show(c.after),
      }),
    ),
    ...plan.tree.added.map((n) => t("planDiff.added", { indicator: `${n.code} ${n.name}` })),
    ...plan.tree.removed.map((n) => t("planDiff.removed", { indicator: `${n.code} ${n.name}` })),
    ...plan.tree.moved.map((m) =>
      t("planDiff.moved", { indicator: label(m.code), to: m.to === null ? t("planDiff.top") : label(m.to) }),
    ),
    ...plan.units.changed.map((c) =>
      t("planDiff.unit", {
        unit: name(c.code),
        field: c.field,
        before: show(c.before),
        after: show(c.after),
      }),
    ),
    ...plan.units.added.map((u) => t("planDiff.unitAdded", { unit: u.name })),
    ...plan.units.removed.map((u) => t("planDiff.unitRemoved", { unit: u.name })),
    ...(plan.other.length > 0 ? [t("planDiff.other", { parts: plan.other.join("、") })] : []),
  ];
}
