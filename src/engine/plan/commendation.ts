import { type EngineError, engineError, type Lang } from "../errors.js";
import type { Plan } from "./schema.js";

/** One unit's withholding of this period's commendations (取消评优评先资格), as the plan lists it. */
export type NoCommendation = NonNullable<Plan["noCommendation"]>[number];

/**
 * Checks the plan's `noCommendation`: every unit is one of the plan's, and some grade or title is
 * marked `commendation` (a list that could withhold nothing would be silently ignored).
 */
export function checkNoCommendation(plan: Plan, unitIndex: ReadonlyMap<string, number>): EngineError | null {
  const list = plan.noCommendation ?? [];
  for (const [k, entry] of list.entries()) {
    if (!unitIndex.has(entry.unit))
      return engineError(
        "UNKNOWN_UNIT",
        `取消评优评先资格 noCommendation[${k}] 中的单位 ${entry.unit} 不在方案的单位列表中`,
        `noCommendation[${k}] (withheld commendation): unit ${entry.unit} is not a unit of the plan`,
        { unit: entry.unit },
      );
  }
  const marked = [...(plan.grades ?? []), ...(plan.titles ?? [])].some((g) => g.commendation);
  if (list.length > 0 && !marked)
    return engineError(
      "NO_COMMENDATION_MARKED",
      `方案列出了取消评优评先资格的单位（noCommendation），但没有等次或称号标为评优评先（commendation: true）`,
      `the plan lists units withheld commendation (noCommendation), but no grade or title is marked commendation: true`,
      {
        hint: {
          "zh-CN": "在属于评优评先的等次或称号上写 commendation: true，如 优秀、先进单位",
          en: "write commendation: true on the grades and titles that commend, e.g. 优秀 or 先进单位",
        },
      },
    );
  return null;
}

const none: readonly NoCommendation[] = Object.freeze([]);
/** Per plan document: grading runs thousands of times in a sensitivity analysis, the list never changes. */
const byPlan = new WeakMap<Plan, readonly (readonly NoCommendation[])[]>();

/** The withholdings per unit (plan order of units), each unit's in the order the plan lists them. */
export function withheldByUnit(
  plan: Plan,
  unitIndex: ReadonlyMap<string, number>,
): readonly (readonly NoCommendation[])[] {
  const known = byPlan.get(plan);
  if (known) return known;
  const out: (readonly NoCommendation[])[] = new Array(unitIndex.size).fill(none);
  for (const entry of plan.noCommendation ?? []) {
    const u = unitIndex.get(entry.unit);
    if (u !== undefined) out[u] = [...out[u]!, entry];
  }
  byPlan.set(plan, out);
  return out;
}

/** "取消评优评先资格（2024 年度…）" / "commendation withheld (…)": the cause a grade reason names. */
export function withheldCause(entries: readonly NoCommendation[]): Record<Lang, string> {
  return {
    "zh-CN": `取消评优评先资格（${entries.map((e) => e.reason).join("；")}）`,
    en: `commendation withheld (${entries.map((e) => e.reasonEn ?? e.reason).join("; ")})`,
  };
}
