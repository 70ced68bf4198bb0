import { type EngineError, engineError, fail, ok, type Result } from "../errors.js";
import type { GradingResult } from "./grading.js";
import type { Plan } from "./schema.js";
import type { PlanStructure } from "./structure.js";

type Office = NonNullable<Plan["offices"]>[number];

/** A unit's office in a run: code and name (null: no office collects it), rank where the office ranks. */
export interface UnitOffice {
  code: string | null;
  name: string | null;
  rank: number | null;
  rankOf: number | null;
}

/** The office as a message names it: "汇总部门 xwb（市委县域办）" / "office xwb (county affairs office)". */
const named = (o: Office) => ({
  zh: `汇总部门 ${o.code}（${o.name}）`,
  en: `office ${o.code} (${o.nameEn ?? o.name})`,
});

const officeError = (code: string, o: Office, zh: string, en: string, unit?: string): EngineError => {
  const n = named(o);
  return engineError(code, `${n.zh}${zh}`, `${n.en}${en}`, unit === undefined ? {} : { unit });
};

/**
 * 汇总部门: which office collects each unit (-1: none). An office is a grouping for collection, not a
 * ranking category: it changes no rank, grade or quota, unless it names its `category` (then it is that
 * category, ranked and graded with its quotas) or `ranks` (then it also ranks its units among themselves).
 */
export function assignOffices(
  plan: Plan,
  unitIndex: ReadonlyMap<string, number>,
): Result<{ offices: string[]; officeOf: Int32Array }> {
  const officeOf = new Int32Array(unitIndex.size).fill(-1);
  const offices = plan.offices ?? [];
  const seen = new Set<string>();
  for (const [o, office] of offices.entries()) {
    if (seen.has(office.code))
      return fail(
        engineError(
          "DUPLICATE_OFFICE",
          `汇总部门代码 ${office.code} 重复`,
          `duplicate office code ${office.code}`,
        ),
      );
    seen.add(office.code);
    if ((office.units === undefined) === (office.category === undefined))
      return fail(
        officeError(
          "OFFICE_UNITS",
          office,
          "须写明所汇总的单位（units）或类别（category），二者选一",
          " needs the units it collects (units) or its category (category), one of the two",
        ),
      );
    let members: readonly string[];
    if (office.category !== undefined) {
      const category = plan.categories.find((c) => c.code === office.category);
      if (!category)
        return fail(
          officeError(
            "UNKNOWN_CATEGORY",
            office,
            `的类别 ${office.category} 不存在`,
            `: unknown category ${office.category}`,
          ),
        );
      members = category.units;
    } else members = office.units!;
    for (const unit of members) {
      const u = unitIndex.get(unit);
      if (u === undefined)
        return fail(
          officeError(
            "UNKNOWN_UNIT",
            office,
            `中的单位 ${unit} 不在方案的单位列表中`,
            `: unit ${unit} is not a unit of the plan`,
            unit,
          ),
        );
      if (officeOf[u] !== -1) {
        const other = offices[officeOf[u]!]!;
        return fail(
          engineError(
            "UNIT_IN_TWO_OFFICES",
            `单位 ${unit} 同时由${named(other).zh}和${named(office).zh}汇总，一个单位只能由一个汇总部门汇总`,
            `unit ${unit} is collected by two offices, ${named(other).en} and ${named(office).en}: a unit has one office`,
            { unit },
          ),
        );
      }
      officeOf[u] = o;
    }
  }
  return ok({ offices: offices.map((o) => o.code), officeOf });
}

/** A unit's office in a run's result: its code and name, and its rank in the office where it ranks. */
export function unitOffice(
  plan: Plan,
  structure: PlanStructure,
  graded: GradingResult,
  u: number,
): UnitOffice {
  const o = structure.officeOf[u] as number;
  const rank = graded.officeRank[u] as number;
  return {
    code: o === -1 ? null : (structure.offices[o] as string),
    name: o === -1 ? null : plan.offices![o]!.name,
    rank: Number.isNaN(rank) ? null : rank,
    rankOf: Number.isNaN(rank) ? null : (graded.officeRankOf[u] as number),
  };
}
