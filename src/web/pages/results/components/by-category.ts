import type { Plan } from "../../../../engine/index.js";

/** From this many units, a plan's run is read and shown one category at a time (a province's cities). */
export const BY_CATEGORY_FROM = 500;

/**
 * The category a large plan's results show (`?category=`, else the shown unit's, else the first), or
 * undefined where the run is read whole: a plan of fewer units or without two categories to page by, and
 * a 单列 unit's page.
 */
export function shownCategory(
  plan: Plan | undefined,
  chosen: string | null,
  unit: string | null,
): string | undefined {
  const categories = plan?.categories ?? [];
  if (!plan || plan.units.length < BY_CATEGORY_FROM || categories.length < 2) return undefined;
  if (chosen && categories.some((c) => c.code === chosen)) return chosen;
  if (!unit) return categories[0]!.code;
  // A unit in no category (单列) is not in any category's page: its page reads the run whole.
  return categories.find((c) => c.units.includes(unit))?.code;
}
