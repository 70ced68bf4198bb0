import type { Fact, IndicatorResult } from "./types.js";

/** What the ranks support saying about an indicator this year, each claim with the ranks it rests on. */
export interface RankStory {
  rank: Fact;
  /** The year before's rank, when the history has it. */
  previous?: Fact;
  /**
   * "N年来首次": this year's rank is better than in each of the N−1 years before, without a gap in the
   * history; only when N ≥ 3 (two years is just the change on the year before). With those years' ranks.
   */
  record?: { years: number; facts: Fact[] };
}

/**
 * Reads an indicator's rank and history. "十年来首次" is computed, never given: walking back from the
 * year before while the rank was worse than this year's, over consecutive years, counts the years this
 * rank is the best of. The walk stops at a year as good or better (the claim is then "first in the
 * years since") or where the history ends or has a gap ("first in the years recorded").
 */
export function rankStory(ind: IndicatorResult, year: number): RankStory | null {
  if (ind.rank === undefined) return null;
  const byYear = new Map((ind.history ?? []).map((h) => [h.year, h.rank]));
  const fact = (value: number, y: number): Fact => ({ id: ind.id, field: "rank", value, year: y });
  const walked: Fact[] = [];
  for (let y = year - 1; byYear.has(y) && (byYear.get(y) as number) > ind.rank; y--)
    walked.push(fact(byYear.get(y) as number, y));
  const previous = byYear.get(year - 1);
  return {
    rank: fact(ind.rank, year),
    ...(previous !== undefined ? { previous: fact(previous, year - 1) } : {}),
    ...(walked.length >= 2 ? { record: { years: walked.length + 1, facts: walked } } : {}),
  };
}
