import { max, median, type Plan, type QuotaLimit, type ScoringRun } from "../../../../engine/index.js";

/** One category's score distribution: its units by total (highest first), grade thresholds, quota cuts. */
export interface Distribution {
  category: string;
  name: string;
  nameEn?: string;
  units: {
    unit: string;
    name: string;
    nameEn?: string;
    total: number;
    rank: number | null;
    grade: string | null;
  }[];
  median: number;
  /** Each grade's lowest total (minScore), as the plan writes it. */
  thresholds: { grade: string; nameEn?: string; minScore: number }[];
  /** Each limited grade's quota: at most `limit` units, the line drawn after the limit-th. */
  quotas: { grade: string; nameEn?: string; limit: number }[];
}

const finite = (n: number) => Number.isFinite(n);

/** Per category of the plan (in its order; 单列 units apart), the run's totals with grade and quota lines. */
export function distributions(plan: Plan | undefined, run: ScoringRun): Distribution[] {
  const unitEn = new Map((plan?.units ?? []).map((u) => [u.code, u.nameEn]));
  const gradeEn = new Map((plan?.grades ?? []).map((g) => [g.code, g.nameEn]));
  const named = (grade: string) => {
    const nameEn = gradeEn.get(grade);
    return nameEn ? { grade, nameEn } : { grade };
  };
  const thresholds = (plan?.grades ?? [])
    .filter((g) => g.minScore !== undefined)
    .map((g) => ({ ...named(g.code), minScore: g.minScore! }));
  const quotasOf = (category: string, size: number) =>
    run.quotas
      .filter((q: QuotaLimit) => q.category === category && finite(q.limit) && q.limit < size)
      .map((q) => ({ ...named(q.grade), limit: q.limit }));
  return (plan?.categories ?? [])
    .map((c) => {
      const units = run.units
        .filter((u) => u.category === c.code)
        .sort((a, b) => b.total - a.total || a.unit.localeCompare(b.unit))
        .map((u) => {
          const nameEn = unitEn.get(u.unit);
          return {
            unit: u.unit,
            name: u.name,
            ...(nameEn ? { nameEn } : {}),
            total: u.total,
            rank: u.rank,
            grade: u.grade,
          };
        });
      return {
        category: c.code,
        name: c.name,
        ...(c.nameEn ? { nameEn: c.nameEn } : {}),
        units,
        median: median(units.map((u) => u.total)),
        thresholds,
        quotas: quotasOf(c.code, units.length),
      };
    })
    .filter((d) => d.units.length > 0);
}

/** A unit against its category at each top-level indicator: its points, the median's, the best's. */
export interface Comparison {
  node: string;
  name: string;
  nameEn?: string;
  points: number | undefined;
  unit: number;
  median: number;
  best: number;
}

/** The unit's points per top-level indicator beside its category's median and best (the run's numbers). */
export function comparison(
  plan: Plan | undefined,
  units: readonly { unit: string; category: string | null; scores: Record<string, number> }[],
  unit: { unit: string; category: string | null; scores: Record<string, number> },
): Comparison[] {
  const peers = unit.category === null ? [unit] : units.filter((u) => u.category === unit.category);
  return (plan?.indicators ?? [])
    .filter((n) => unit.scores[n.code] !== undefined)
    .map((n) => {
      const column = peers.map((p) => p.scores[n.code] ?? Number.NaN);
      return {
        node: n.code,
        name: n.name,
        ...(n.nameEn ? { nameEn: n.nameEn } : {}),
        points: n.points,
        unit: unit.scores[n.code]!,
        median: median(column),
        best: max(column),
      };
    });
}

/** Points as the charts and their tables write them: at most two decimals. */
export const pts = (x: number) => String(Math.round(x * 100) / 100);
