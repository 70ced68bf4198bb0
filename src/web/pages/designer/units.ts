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
