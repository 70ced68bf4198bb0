import type { Plan } from "../../../../engine/index.js";

/** From this many units, a plan's run is read and shown one category at a time (a province's cities). */
export const BY_CATEGORY_FROM = 500;

/** The picker's and the address's value for the units in no category (单列): no category's code is empty. */
export const STANDALONE = "";

/** The plan has units in no category (单列): the picker offers them as one more page. */
export function hasStandalone(plan: Plan): boolean {
  const placed = new Set((plan.categories ?? []).flatMap((c) => c.units));
  return plan.units.some((u) => !placed.has(u.code));
}

/**
 * The category a large plan's results show (`?category=`, else the shown unit's, else the first;
 * STANDALONE for the units in no category), or undefined where the run is read whole: a plan of fewer
 * units, or without two categories to page by.
 */
export function shownCategory(
  plan: Plan | undefined,
  chosen: string | null,
  unit: string | null,
): string | undefined {
  const categories = plan?.categories ?? [];
  if (!plan || plan.units.length < BY_CATEGORY_FROM || categories.length < 2) return undefined;
  if (chosen === STANDALONE && hasStandalone(plan)) return STANDALONE;
  if (chosen && categories.some((c) => c.code === chosen)) return chosen;
  if (!unit) return categories[0]!.code;
  return categories.find((c) => c.units.includes(unit))?.code ?? STANDALONE;
}
