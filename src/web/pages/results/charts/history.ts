import type { PlanHistory } from "../../../../server/modules/runs/schema.js";

/** One year of a unit's trend: its total, rank within its category (of how many) and grade. */
export type TrendRow = PlanHistory["items"][number]["years"][number];

/** One unit's 进位: its rank within its category in a year and the year before. */
export interface RankChange {
  unit: string;
  name: string;
  category: string | null;
  categoryName: string | null;
  before: number;
  after: number;
  /** Places gained (positive: 进位; negative: 退位): the earlier rank minus the later. */
  change: number;
  /** The unit was ranked in another category the year before: its ranks are not of one list. */
  movedCategory: boolean;
}

/**
 * The years the 进位 chart compares for a plan of `period`: that year and the series' year before it;
 * undefined when the series has no year before (or no year `period`).
 */
export function changeYears(history: PlanHistory, period: string): { from: string; to: string } | undefined {
  const i = history.years.findIndex((y) => y.period === period);
  if (i <= 0) return undefined;
  return { from: history.years[i - 1]!.period, to: period };
}

/**
 * Each unit's rank change from `from` to `to`, most places gained first (then by the later rank, then
 * code): only units ranked in both years (单列 units and units new to the series have none).
 */
export function rankChanges(history: PlanHistory, from: string, to: string): RankChange[] {
  const out: RankChange[] = [];
  for (const u of history.items) {
    const a = u.years.find((y) => y.period === from);
    const b = u.years.find((y) => y.period === to);
    if (a?.rank == null || b?.rank == null) continue;
    out.push({
      unit: u.unit,
      name: u.name,
      category: b.category,
      categoryName: b.categoryName,
      before: a.rank,
      after: b.rank,
      change: a.rank - b.rank,
      movedCategory: a.category !== b.category,
    });
  }
  return out.sort((x, y) => y.change - x.change || x.after - y.after || x.unit.localeCompare(y.unit));
}
