import type { Plan, ScoringRun, UnitResult } from "../../../engine/index.js";

export type Shown = "total" | "rank" | "grade" | "titles" | "scores";

/** A number as published pages show it: rounded to the plan's display precision (default 2 decimals). */
const rounder = (decimals: number) => {
  const factor = 10 ** decimals;
  return (x: number) => (Number.isFinite(x) ? Math.round(x * factor) / factor : x);
};

/**
 * What the public sees of a run: only the fields the plan allows (by default grades and titles), the
 * units sorted by rank within each category (in the plan's category order; unranked units last), names
 * in both languages where an English name is known (the plan's, else the organisation's), numbers
 * rounded to the plan's `publication.decimals`. Built once at publication and never changed.
 */
export function publicViewOf(
  plan: Plan,
  run: ScoringRun,
  englishNames: ReadonlyMap<string, string> = new Map(),
) {
  const show = new Set<Shown>(plan.publication?.show ?? ["grade", "titles"]);
  const round = rounder(plan.publication?.decimals ?? 2);
  const unitEn = new Map(plan.units.map((u) => [u.code, u.nameEn ?? englishNames.get(u.code)]));
  const categoryEn = new Map(plan.categories.map((c) => [c.name, c.nameEn]));
  const order = new Map(plan.categories.map((c, i) => [c.name, i]));
  const position = (u: UnitResult) =>
    u.categoryName === null ? plan.categories.length : order.get(u.categoryName)!;
  const units = [...run.units].sort(
    (a, b) =>
      position(a) - position(b) ||
      (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) ||
      a.unit.localeCompare(b.unit),
  );
  return units.map((u) => {
    const nameEn = unitEn.get(u.unit);
    const catEn = u.categoryName === null ? undefined : categoryEn.get(u.categoryName);
    return {
      unit: u.unit,
      name: u.name,
      ...(nameEn ? { nameEn } : {}),
      category: u.categoryName,
      ...(catEn ? { categoryEn: catEn } : {}),
      ...(show.has("total") ? { total: round(u.total) } : {}),
      ...(show.has("rank") ? { rank: u.rank } : {}),
      ...(show.has("grade") ? { grade: u.grade } : {}),
      ...(show.has("titles") ? { titles: u.titles } : {}),
      ...(show.has("scores")
        ? { scores: Object.fromEntries(Object.entries(u.scores).map(([k, v]) => [k, round(v)])) }
        : {}),
    };
  });
}
