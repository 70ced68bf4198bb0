import { desc, eq, ne, sql } from "drizzle-orm";
import type { UnitResult } from "../../../engine/index.js";
import type { Database } from "../../db/client.js";
import { plans, planVersions, scoringRuns } from "../../db/schema/index.js";
import { inScope, type UnitScope } from "../../policies.js";
import { runInForce } from "../publication/service.js";
import type { PlanHistory } from "./schema.js";

/*
 * 历年考核结果 (a plan's assessment series across years): per unit per year its total, rank within its
 * category and grade, from each year's run in force.
 *
 * Plans carry no series link: each year is its own plan (2022年度…, 2023年度…), and a plan document
 * names only the period before its own (`period.previous`). The rule, one home here:
 * - the plan of the year before plan P is, among the plans in force (a version not a draft) whose
 *   period is P's `period.previous`, the one sharing the most units with P (Jaccard share of the unit
 *   codes, at least one half; ties by plan code). A plan of another kind in that year (人才工作 beside
 *   目标责任制) shares few units and is never taken.
 * - the plan of the year after P is, among the plans whose year before is P by that rule, the one with
 *   the greatest share; the series is P with the chain back and the chain forward.
 * - each year's run in force: the run of the plan's current publication (公示 or final, not superseded,
 *   not withdrawn); without one, its latest run (the office and reviewers only: a unit's people see
 *   only published years once the public does, embargo over, and only their own unit).
 */

/** A plan's version in force as the series rule reads it: its period, the one before, its units. */
interface SeriesPlan {
  planId: string;
  code: string;
  name: string;
  period: string;
  previous: string | undefined;
  units: ReadonlySet<string>;
}

/** The share of units two plans have in common (|A ∩ B| / |A ∪ B|). */
function share(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let common = 0;
  for (const u of a) if (b.has(u)) common++;
  const union = a.size + b.size - common;
  return union === 0 ? 0 : common / union;
}

/** The least share of units for two plans of successive years to be one series. */
export const SERIES_SHARE = 0.5;

/** The plan of the year before `p` among `all` by the series rule; undefined if there is none. */
function before(p: SeriesPlan, all: readonly SeriesPlan[]): SeriesPlan | undefined {
  if (p.previous === undefined) return undefined;
  let best: { plan: SeriesPlan; share: number } | undefined;
  for (const q of all) {
    if (q.planId === p.planId || q.period !== p.previous) continue;
    const s = share(p.units, q.units);
    if (s < SERIES_SHARE) continue;
    if (!best || s > best.share || (s === best.share && q.code < best.plan.code))
      best = { plan: q, share: s };
  }
  return best?.plan;
}

/** The series of `start` among `all`, oldest year first (see the rule above). */
export function seriesOf(start: SeriesPlan, all: readonly SeriesPlan[]): SeriesPlan[] {
  const chain = [start];
  const seen = new Set([start.planId]);
  for (let p = before(start, all); p && !seen.has(p.planId); p = before(p, all)) {
    chain.unshift(p);
    seen.add(p.planId);
  }
  for (let p: SeriesPlan | undefined = start; p; ) {
    const from: SeriesPlan = p;
    const next: SeriesPlan | undefined = all
      .filter((r) => !seen.has(r.planId) && before(r, all)?.planId === from.planId)
      .sort(
        (a, b) => share(b.units, from.units) - share(a.units, from.units) || a.code.localeCompare(b.code),
      )[0];
    if (next) {
      chain.push(next);
      seen.add(next.planId);
    }
    p = next;
  }
  return chain;
}

/** The history reads: the series of a plan and each year's run in force. */
export function createHistoryService(deps: { db: Database; now: () => Date }) {
  const { db } = deps;

  /** Every plan's newest version in force (not a draft), as the series rule reads it. */
  async function plansInForce(): Promise<SeriesPlan[]> {
    const rows = await db
      .select({
        planId: planVersions.planId,
        version: planVersions.version,
        code: plans.code,
        name: plans.name,
        period: planVersions.periodKey,
        // The period before, read in the database: the plan documents themselves are not needed here.
        previous: sql<string | null>`${planVersions.document}->'period'->>'previous'`,
        units: planVersions.unitCodes,
      })
      .from(planVersions)
      .innerJoin(plans, eq(plans.id, planVersions.planId))
      .where(ne(planVersions.status, "draft"))
      .orderBy(planVersions.planId, desc(planVersions.version));
    const newest = new Map<string, SeriesPlan>();
    for (const r of rows) {
      if (newest.has(r.planId)) continue;
      newest.set(r.planId, {
        planId: r.planId,
        code: r.code,
        name: r.name,
        period: r.period,
        previous: r.previous ?? undefined,
        units: new Set(r.units),
      });
    }
    return [...newest.values()];
  }

  /** A plan's run in force; a unit's people see a year when the public does, not while its notice is embargoed. */
  const runOf = (planId: string, publishedOnly: boolean) =>
    runInForce(db, planId, publishedOnly ? { publishedOnly, visibleAt: deps.now() } : {});

  /** The run's units as the history keeps them (their numbers only). */
  async function unitsOf(runId: string): Promise<UnitResult[]> {
    const [row] = await db
      .select({ result: scoringRuns.result })
      .from(scoringRuns)
      .where(eq(scoringRuns.id, runId));
    return (row?.result as { units?: UnitResult[] } | undefined)?.units ?? [];
  }

  return {
    /**
     * The history of the series `current` (the plan's current version) belongs to: each year with a
     * run in force, and per unit in `scope` its numbers in each of those years. A unit's people
     * (`publishedOnly`) see only years with published results.
     */
    async history(
      current: {
        planId: string;
        name: string;
        period: string;
        previous: string | undefined;
        units: string[];
      },
      scope: UnitScope,
      publishedOnly: boolean,
    ): Promise<PlanHistory> {
      const all = await plansInForce();
      const start = all.find((p) => p.planId === current.planId) ?? {
        ...current,
        code: "",
        units: new Set(current.units),
      };
      const series = seriesOf(start, all);
      const years: PlanHistory["years"] = [];
      const byUnit = new Map<string, PlanHistory["items"][number]>();
      for (const p of series) {
        const run = await runOf(p.planId, publishedOnly);
        if (!run) continue;
        years.push({ period: p.period, planId: p.planId, planName: p.name, ...run });
        for (const u of await unitsOf(run.runId)) {
          if (!inScope(scope, u.unit)) continue;
          const entry = byUnit.get(u.unit) ?? { unit: u.unit, name: u.name, years: [] };
          entry.name = u.name;
          entry.years.push({
            period: p.period,
            total: u.total,
            rank: u.rank,
            rankOf: u.rankOf,
            category: u.category,
            categoryName: u.categoryName,
            grade: u.grade,
          });
          byUnit.set(u.unit, entry);
        }
      }
      return {
        planId: current.planId,
        years,
        items: [...byUnit.values()].sort((a, b) => a.unit.localeCompare(b.unit)),
      };
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
