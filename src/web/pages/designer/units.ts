import type { Plan } from "../../../engine/index.js";

export type Units = Pick<Plan, "units" | "categories">;

/** A unit moved to a category (null: none): out of every other, into this one. */
export function assignUnit(p: Units, unit: string, category: string | null): Units {
  return {
    ...p,
    categories: p.categories.map((c) => ({
      ...c,
      units:
        c.code === category
          ? [...c.units.filter((u) => u !== unit), unit]
          : c.units.filter((u) => u !== unit),
    })),
  };
}

/** 单列: a standalone unit is in no category (the engine refuses one that is). */
export function setStandalone(p: Units, unit: string, standalone: boolean): Units {
  const units = p.units.map((u) => {
    if (u.code !== unit) return u;
    const { standalone: _s, ...rest } = u;
    return standalone ? { ...rest, standalone: true } : rest;
  });
  return standalone ? assignUnit({ ...p, units }, unit, null) : { ...p, units };
}

/** Where a unit is dropped on the categories board: a category, none (未分类), or 单列. */
export type Place = { category: string } | "none" | "standalone";

/** A unit dropped on the board: into a category (no longer 单列), out of every one, or 单列. */
export function placeUnit(p: Units, unit: string, place: Place): Units {
  if (place === "standalone") return setStandalone(p, unit, true);
  const ranked = setStandalone(p, unit, false);
  return assignUnit(ranked, unit, place === "none" ? null : place.category);
}

/** The units of each place on the board, in the plan's order of units. */
export function board(p: Units): { category: string | null; standalone: boolean; units: string[] }[] {
  const placed = new Set(p.categories.flatMap((c) => c.units));
  return [
    ...p.categories.map((c) => ({
      category: c.code,
      standalone: false,
      units: p.units.filter((u) => c.units.includes(u.code)).map((u) => u.code),
    })),
    {
      category: null,
      standalone: false,
      units: p.units.filter((u) => !u.standalone && !placed.has(u.code)).map((u) => u.code),
    },
    {
      category: null,
      standalone: true,
      units: p.units.filter((u) => u.standalone).map((u) => u.code),
    },
  ];
}
