import { describe, expect, it } from "vitest";
import type { Plan } from "../../../../engine/index.js";
import { BY_CATEGORY_FROM, hasStandalone, STANDALONE, shownCategory } from "./by-category";

const planOf = (units: number, categories: number): Plan =>
  ({
    units: Array.from({ length: units }, (_, u) => ({ code: `u${u}`, name: `u${u}` })),
    // The last unit in no category (单列).
    categories: Array.from({ length: categories }, (_, c) => ({
      code: `c${c}`,
      name: `c${c}`,
      units: Array.from({ length: units - 1 }, (_, u) => `u${u}`).filter((_, u) => u % categories === c),
    })),
  }) as unknown as Plan;

describe("shownCategory: which category of a large plan's run the results page reads", () => {
  it("reads a plan of fewer units, or of fewer than two categories, whole", () => {
    expect(shownCategory(planOf(BY_CATEGORY_FROM - 1, 3), null, null)).toBeUndefined();
    expect(shownCategory(planOf(BY_CATEGORY_FROM, 1), null, null)).toBeUndefined();
    expect(shownCategory(undefined, "c1", null)).toBeUndefined();
  });

  it("shows the category chosen, else the shown unit's, else the first; the units in no category as one more", () => {
    const plan = planOf(BY_CATEGORY_FROM, 3);
    expect(hasStandalone(plan)).toBe(true);
    expect(shownCategory(plan, null, null)).toBe("c0");
    expect(shownCategory(plan, "c2", null)).toBe("c2");
    expect(shownCategory(plan, null, "u4")).toBe("c1");
    expect(shownCategory(plan, "nowhere", "u5")).toBe("c2");
    expect(shownCategory(plan, null, `u${BY_CATEGORY_FROM - 1}`)).toBe(STANDALONE);
    expect(shownCategory(plan, STANDALONE, null)).toBe(STANDALONE);
    // A plan whose every unit has a category offers no 单列 page.
    const placed = planOf(BY_CATEGORY_FROM, 3);
    placed.categories![0]!.units.push(`u${BY_CATEGORY_FROM - 1}`);
    expect(hasStandalone(placed)).toBe(false);
    expect(shownCategory(placed, STANDALONE, null)).toBe("c0");
  });
});
