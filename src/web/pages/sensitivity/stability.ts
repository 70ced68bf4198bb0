import type { SensitivityResult, UnitSensitivity } from "../../../engine/index.js";

/** A grade kept in fewer replications than this is unstable (issue 10: e.g. under 80%). */
export const STABLE = 0.8;

/** The units whose nominal grade the analysis keeps in fewer than STABLE of its replications, least stable first. */
export function unstableUnits(result: Pick<SensitivityResult, "units">): UnitSensitivity[] {
  const kept = (u: UnitSensitivity) => u.gradeProbability[u.nominalGrade ?? ""] ?? 0;
  return result.units
    .filter((u) => u.nominalGrade !== null && kept(u) < STABLE)
    .sort((a, b) => kept(a) - kept(b) || a.unit.localeCompare(b.unit));
}

/** The rank intervals drawn per category: the units of each category, by nominal rank. */
export function byCategory(
  units: readonly UnitSensitivity[],
): { category: string | null; units: UnitSensitivity[] }[] {
  const groups = new Map<string | null, UnitSensitivity[]>();
  for (const u of units) {
    if (u.nominalRank === null) continue;
    const list = groups.get(u.category) ?? [];
    list.push(u);
    groups.set(u.category, list);
  }
  return [...groups].map(([category, list]) => ({
    category,
    units: list.sort((a, b) => (a.nominalRank ?? 0) - (b.nominalRank ?? 0)),
  }));
}
