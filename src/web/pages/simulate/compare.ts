import {
  applyScenario,
  type DataRow,
  type EngineError,
  type OfficialScores,
  type Plan,
  type ScenarioChanges,
  type Scorer,
  type ScoringRun,
  scoreOfficial,
} from "../../../engine/index.js";

/** One unit's official and simulated total, rank and grade. */
export interface ComparedUnit {
  unit: string;
  name: string;
  category: string | null;
  categoryName: string | null;
  official: { total: number; rank: number | null; grade: string | null };
  simulated: { total: number; rank: number | null; grade: string | null };
  /** Places gained (positive) or lost; null for units without a rank. */
  places: number | null;
  moved: boolean;
}

export type Simulation =
  | { ok: true; scores: OfficialScores; units: ComparedUnit[]; moved: number; ms: number }
  | { ok: false; error: EngineError; ms: number };

const rankOf = (x: number): number | null => (Number.isNaN(x) ? null : x);

/**
 * Scores the run's inputs with the scenario's changes, in the browser, by the engine the server scores
 * with, and sets each unit beside its official result: the run's own stored numbers, never re-scored.
 * A unit moved when its rank or grade changed or its total by a hundredth of a point or more. With
 * `scorer` (createScorer on the same inputs) only what the change touches is scored again: the same numbers.
 */
export function simulate(
  inputs: { plan: Plan; rows: readonly DataRow[] },
  official: ScoringRun,
  changes: ScenarioChanges,
  clock: () => number = () => performance.now(),
  scorer?: Scorer,
): Simulation {
  const start = clock();
  const applied = scorer ? null : applyScenario(inputs.plan, inputs.rows, changes);
  const scored = scorer
    ? scorer.score(changes)
    : applied!.ok
      ? scoreOfficial(applied!.value.plan, applied!.value.rows, { hashes: false })
      : applied!;
  const ms = clock() - start;
  if (!scored.ok) return { ok: false, error: scored.error, ms };
  const s = scored.value;
  const byCode = new Map(official.units.map((u) => [u.unit, u]));
  const units: ComparedUnit[] = [];
  s.tree.structure.units.forEach((code, u) => {
    const before = byCode.get(code);
    if (!before) return;
    const simulated = {
      total: s.totals[u] as number,
      rank: rankOf(s.graded.rank[u] as number),
      grade: s.graded.grade[u] ?? null,
    };
    const places = before.rank !== null && simulated.rank !== null ? before.rank - simulated.rank : null;
    units.push({
      unit: code,
      name: before.name,
      category: before.category,
      categoryName: before.categoryName,
      official: { total: before.total, rank: before.rank, grade: before.grade },
      simulated,
      places,
      moved:
        before.rank !== simulated.rank ||
        before.grade !== simulated.grade ||
        Math.abs(before.total - simulated.total) >= 0.005,
    });
  });
  // By category as the plan orders them, then by the simulated rank (unranked last).
  const order = new Map((inputs.plan.categories ?? []).map((c, k) => [c.code, k]));
  units.sort(
    (a, b) =>
      (order.get(a.category ?? "") ?? 1e9) - (order.get(b.category ?? "") ?? 1e9) ||
      (a.simulated.rank ?? 1e9) - (b.simulated.rank ?? 1e9) ||
      a.unit.localeCompare(b.unit),
  );
  return { ok: true, scores: s, units, moved: units.filter((u) => u.moved).length, ms };
}

/**
 * The changes with one edit made: a value equal to the run's own removes the change, so a scenario
 * holds only what differs (and an edit undone leaves it empty).
 */
export function withPoints(
  changes: ScenarioChanges,
  kind: "points" | "weights",
  node: string,
  value: number | null,
  original: number | undefined,
): ScenarioChanges {
  const next = { ...(changes[kind] ?? {}) };
  if (value === null || value === original) delete next[node];
  else next[node] = value;
  const out: ScenarioChanges = { ...changes, [kind]: next };
  if (Object.keys(next).length === 0) delete out[kind];
  return out;
}

export function withGrade(
  changes: ScenarioChanges,
  grade: string,
  field: "minScore" | "share",
  value: number | null,
  original: number | undefined,
): ScenarioChanges {
  const grades = { ...(changes.grades ?? {}) };
  const g = { ...(grades[grade] ?? {}) };
  if (value === (original ?? null)) delete g[field];
  else g[field] = value;
  if (Object.keys(g).length === 0) delete grades[grade];
  else grades[grade] = g;
  const out: ScenarioChanges = { ...changes, grades };
  if (Object.keys(grades).length === 0) delete out.grades;
  return out;
}

export function withValue(
  changes: ScenarioChanges,
  row: Pick<DataRow, "unit" | "indicator" | "period" | "reviewer">,
  value: number | null,
  original: number | undefined,
): ScenarioChanges {
  const same = (v: NonNullable<ScenarioChanges["values"]>[number]) =>
    v.unit === row.unit &&
    v.indicator === row.indicator &&
    v.period === row.period &&
    (v.reviewer ?? undefined) === (row.reviewer ?? undefined);
  const values = (changes.values ?? []).filter((v) => !same(v));
  if (value !== original)
    values.push({
      unit: row.unit,
      indicator: row.indicator,
      period: row.period,
      ...(row.reviewer ? { reviewer: row.reviewer } : {}),
      value,
    });
  const out: ScenarioChanges = { ...changes, values };
  if (values.length === 0) delete out.values;
  return out;
}
