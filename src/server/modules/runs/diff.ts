import { canonicalJson, type DataRow, diffPlans, type ScoringRun } from "../../../engine/index.js";
import type { RunDiff, RunInputChange } from "./schema.js";
import type { RunInputs } from "./scoring.js";

/** One side of a diff: a run's frozen inputs, its result and the plan version it scored. */
export interface DiffSide {
  id: string;
  planVersion: number;
  inputHash: string;
  inputs: RunInputs;
  result: ScoringRun;
}

type Kind = RunInputChange["kind"];

/** What a row is: a reviewer's mark, a bonus/penalty/veto item's row, or a reported value. */
function kindOf(row: DataRow, items: Set<string>): Kind {
  if (row.reviewer !== undefined) return "mark";
  return items.has(row.indicator) ? "item" : "value";
}

const itemCodes = (inputs: RunInputs) =>
  new Set(
    [...(inputs.plan.bonus ?? []), ...(inputs.plan.penalties ?? []), ...(inputs.plan.vetoes ?? [])].map(
      (i) => i.code,
    ),
  );

/**
 * A row's identity: who, what and when (and, for marks, which reviewer; for items, which achievement
 * and level), never its value or source, so a changed value is one change and not a removal plus an
 * addition.
 */
const keyOf = (r: DataRow) =>
  canonicalJson([r.unit, r.indicator, r.period, r.reviewer ?? null, r.ref ?? null, r.level ?? null]);

function rowChanges(a: DiffSide, b: DiffSide): RunInputChange[] {
  const items = new Set([...itemCodes(a.inputs), ...itemCodes(b.inputs)]);
  const before = new Map(a.inputs.rows.map((r) => [keyOf(r), r]));
  const after = new Map(b.inputs.rows.map((r) => [keyOf(r), r]));
  const out: RunInputChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(key);
    const y = after.get(key);
    if (x && y && x.value === y.value && (x.source ?? null) === (y.source ?? null)) continue;
    const row = (y ?? x)!;
    out.push({
      kind: kindOf(row, items),
      unit: row.unit,
      indicator: row.indicator,
      period: row.period,
      // Which reviewer gave a mark is not said: the office reads marks by their trimmed mean.
      ...(row.level !== undefined ? { level: row.level } : {}),
      ...(row.ref !== undefined ? { ref: row.ref } : {}),
      before: x ? x.value : null,
      after: y ? y.value : null,
      ...(x?.source !== y?.source ? { sourceBefore: x?.source ?? null, sourceAfter: y?.source ?? null } : {}),
    });
  }
  const order: Record<Kind, number> = { value: 0, mark: 1, item: 2 };
  return out.sort(
    (p, q) =>
      order[p.kind] - order[q.kind] ||
      p.unit.localeCompare(q.unit) ||
      p.indicator.localeCompare(q.indicator) ||
      p.period.localeCompare(q.period),
  );
}

/** Units in both runs whose total, rank, grade or any node's points differ, in the later run's order. */
function unitChanges(a: ScoringRun, b: ScoringRun): RunDiff["units"] {
  const before = new Map(a.units.map((u) => [u.unit, u]));
  const units: RunDiff["units"] = [];
  for (const after of b.units) {
    const prev = before.get(after.unit);
    if (!prev) continue;
    const codes = [...new Set([...Object.keys(prev.scores), ...Object.keys(after.scores)])];
    const changed = codes.filter((code) => prev.scores[code] !== after.scores[code]);
    if (
      changed.length === 0 &&
      prev.rank === after.rank &&
      prev.grade === after.grade &&
      prev.total === after.total
    )
      continue;
    units.push({
      unit: after.unit,
      name: after.name,
      category: after.category,
      totalBefore: prev.total,
      totalAfter: after.total,
      rankBefore: prev.rank,
      rankAfter: after.rank,
      gradeBefore: prev.grade,
      gradeAfter: after.grade,
      changed,
    });
  }
  return units;
}

/**
 * What changed from run `a` to run `b`: their inputs (values, marks, items, the plan as scored: its
 * version, targets, tree, rules) and their results (each unit's total, rank, grade and the nodes whose
 * points moved). Pure, over the runs' frozen inputs and stored results; the plan part is the engine's
 * own plan diff, the one the revision history shows.
 */
export function diffRuns(a: DiffSide, b: DiffSide): RunDiff {
  const plan = diffPlans(a.inputs.plan, b.inputs.plan);
  const rows = rowChanges(a, b);
  const side = (s: DiffSide) => ({ id: s.id, planVersion: s.planVersion, inputHash: s.inputHash });
  return {
    from: side(a),
    to: side(b),
    inputs: {
      same: a.inputHash === b.inputHash,
      planVersion: a.planVersion === b.planVersion ? null : { before: a.planVersion, after: b.planVersion },
      values: rows.filter((r) => r.kind === "value"),
      marks: rows.filter((r) => r.kind === "mark"),
      items: rows.filter((r) => r.kind === "item"),
      plan,
    },
    units: unitChanges(a.result, b.result),
  };
}
