import { z } from "zod";
import { engineError, fail, ok, type Result } from "../errors.js";
import type { DataRow } from "./data.js";
import type { IndicatorSpec, Plan, Rule } from "./schema.js";

/**
 * 模拟测算: a what-if scenario is a list of changes to a run's frozen inputs (a node's points or weight,
 * a grade's line or quota, a unit's value or mark). Applying it gives another plan and data that the
 * engine scores like any other: never a run, never published. One home for what a change means, so the
 * browser's instant re-score and the server's check of a saved scenario agree.
 */

const code = z.string().min(1).max(100);
const finite = z.number().finite();

export const scenarioChangesSchema = z.strictObject({
  /** A node's new full points: its subtree is scaled to them, and the parents that add up follow. */
  points: z.record(code, finite.positive().max(1e6)).optional(),
  /** A node's weight among its siblings (where the plan weighs them). */
  weights: z.record(code, finite.positive().max(1e6)).optional(),
  /** A grade's minimum score and its quota's share (null: none). */
  grades: z
    .record(
      code,
      z.strictObject({
        minScore: finite.min(-1e6).max(1e6).nullable().optional(),
        share: finite.min(0).max(1).nullable().optional(),
      }),
    )
    .optional(),
  /** A unit's value (or one reviewer's mark) in place of the run's; null removes it (no data). */
  values: z
    .array(
      z.strictObject({
        unit: code,
        indicator: code,
        period: z.string().min(1).max(40),
        reviewer: code.optional(),
        value: finite.nullable(),
      }),
    )
    .max(10_000)
    .optional(),
});
export type ScenarioChanges = z.infer<typeof scenarioChangesSchema>;

/** How many changes a scenario makes (what a list of saved scenarios shows). */
export const scenarioSize = (c: ScenarioChanges): number =>
  Object.keys(c.points ?? {}).length +
  Object.keys(c.weights ?? {}).length +
  Object.keys(c.grades ?? {}).length +
  (c.values?.length ?? 0);

/**
 * A rule's points scaled with its node's (a tier, a rank step, a place gained): the same rule at
 * another size. Marks out of the node's points keep their scale: the old points become the full mark.
 */
function scaleRule(rule: Rule, factor: number, oldPoints: number): Rule {
  switch (rule.type) {
    case "tiers":
      return { ...rule, tiers: rule.tiers.map((t) => ({ ...t, points: t.points * factor })) };
    case "completion":
      return rule.deductPerPercent === undefined
        ? rule
        : { ...rule, deductPerPercent: rule.deductPerPercent * factor };
    case "rank": {
      const scaled: Rule = { ...rule };
      if (rule.step) {
        scaled.step = { ...rule.step };
        if (rule.step.points !== undefined) scaled.step.points = rule.step.points * factor;
        if (rule.step.first !== undefined) scaled.step.first = rule.step.first * factor;
      }
      if (rule.table) {
        scaled.table = { ...rule.table };
        if (rule.table.top) scaled.table.top = rule.table.top.map((p) => p * factor);
        if (rule.table.bottom) scaled.table.bottom = rule.table.bottom.map((p) => p * factor);
      }
      if (rule.improvement) {
        scaled.improvement = { ...rule.improvement, perPlace: rule.improvement.perPlace * factor };
        if (rule.improvement.cap !== undefined) scaled.improvement.cap = rule.improvement.cap * factor;
      }
      return scaled;
    }
    case "expert":
    case "mark":
      return rule.markMax === undefined ? { ...rule, markMax: oldPoints } : rule;
    default:
      return rule;
  }
}

function scaleNode(node: IndicatorSpec, factor: number): IndicatorSpec {
  const scaled: IndicatorSpec = { ...node };
  if (node.points !== undefined) scaled.points = node.points * factor;
  if (node.rule && node.points !== undefined) scaled.rule = scaleRule(node.rule, factor, node.points);
  if (node.children) scaled.children = node.children.map((c) => scaleNode(c, factor));
  return scaled;
}

/** The path of nodes from a top-level indicator down to `code`, or null. */
function pathTo(nodes: readonly IndicatorSpec[], target: string): IndicatorSpec[] | null {
  for (const node of nodes) {
    if (node.code === target) return [node];
    const below = node.children ? pathTo(node.children, target) : null;
    if (below) return [node, ...below];
  }
  return null;
}

const unknownNode = (node: string) =>
  fail(
    engineError("SCENARIO_UNKNOWN_NODE", `方案中没有指标 ${node}`, `the plan has no indicator ${node}`, {
      indicator: node,
    }),
  );

/**
 * Which nodes above the end of `path` (top first) take a change of its points: a parent whose points
 * are the sum of its children's follows, up to the first that does not (a weighted average keeps its
 * own points, an adjustment counts in no full marks), and none above that.
 */
function followers(path: readonly IndicatorSpec[]): boolean[] {
  const follows = path.map(() => false);
  for (let k = path.length - 2; k >= 0; k--) {
    const parent = path[k]!;
    if (parent.combine === "weighted" || parent.points === undefined || path[k + 1]!.adjustment) break;
    follows[k] = true;
  }
  return follows;
}

/** Rewrites the node at `path` (top first) with `change`, copying the nodes above it (plus `delta` where they follow). */
function rewrite(
  nodes: IndicatorSpec[],
  path: readonly IndicatorSpec[],
  change: (node: IndicatorSpec) => IndicatorSpec,
  delta: number,
  follows: readonly boolean[] = followers(path),
  depth = 0,
): IndicatorSpec[] {
  const head = path[depth];
  return nodes.map((n) => {
    if (n !== head) return n;
    if (depth === path.length - 1) return change(n);
    const children = rewrite(n.children ?? [], path, change, delta, follows, depth + 1);
    return { ...n, children, ...(follows[depth] ? { points: n.points! + delta } : {}) };
  });
}

export interface AppliedScenario {
  plan: Plan;
  rows: DataRow[];
}

/**
 * The plan and data a scenario scores: the run's inputs with its changes made. Refuses (with the
 * indicator or unit named) a change to something the plan does not have; what the changed plan means
 * is the engine's to check when it scores it, like any plan.
 */
export function applyScenario(
  plan: Plan,
  rows: readonly DataRow[],
  changes: ScenarioChanges,
): Result<AppliedScenario> {
  let indicators = plan.indicators as IndicatorSpec[];
  let pointsTotal = plan.pointsTotal;
  for (const [node, points] of Object.entries(changes.points ?? {})) {
    const path = pathTo(indicators, node);
    if (!path) return unknownNode(node);
    const target = path[path.length - 1]!;
    if (target.points === undefined)
      return fail(
        engineError(
          "SCENARIO_NO_POINTS",
          `指标 ${node} 的分值由权重算出，请改其权重`,
          `indicator ${node} has its points from a weight: change its weight`,
          { indicator: node },
        ),
      );
    const delta = points - target.points;
    const factor = points / target.points;
    indicators = rewrite(indicators, path, (n) => scaleNode(n, factor), delta);
    // The plan's total follows when the change adds up to the top level.
    const reachesTop = path.length === 1 || followers(path)[0] === true;
    if (pointsTotal !== undefined && !path[0]!.adjustment && reachesTop) pointsTotal += delta;
  }
  for (const [node, weight] of Object.entries(changes.weights ?? {})) {
    const path = pathTo(indicators, node);
    if (!path) return unknownNode(node);
    indicators = rewrite(indicators, path, (n) => ({ ...n, weight }), 0);
  }
  let grades = plan.grades;
  for (const [grade, change] of Object.entries(changes.grades ?? {})) {
    const i = grades?.findIndex((g) => g.code === grade) ?? -1;
    if (!grades || i === -1)
      return fail(
        engineError("SCENARIO_UNKNOWN_GRADE", `方案中没有等次 ${grade}`, `the plan has no grade ${grade}`),
      );
    const g = { ...grades[i]! };
    if (change.minScore === null) delete g.minScore;
    else if (change.minScore !== undefined) g.minScore = change.minScore;
    if (change.share === null) delete g.quota;
    else if (change.share !== undefined) g.quota = { ...g.quota, share: change.share };
    grades = grades.map((x, k) => (k === i ? g : x));
  }
  // The plan's unit codes, only where values change (a what-if's weight change has none to check).
  const units = new Set(changes.values?.length ? plan.units.map((u) => u.code) : []);
  const key = (r: { unit: string; indicator: string; period: string; reviewer?: string | undefined }) =>
    `${r.unit}\u0000${r.indicator}\u0000${r.period}\u0000${r.reviewer ?? ""}`;
  const changed = new Map<string, NonNullable<ScenarioChanges["values"]>[number]>();
  for (const v of changes.values ?? []) {
    if (!units.has(v.unit))
      return fail(
        engineError("SCENARIO_UNKNOWN_UNIT", `方案中没有单位 ${v.unit}`, `the plan has no unit ${v.unit}`, {
          unit: v.unit,
        }),
      );
    changed.set(key(v), v);
  }
  const out: DataRow[] = [];
  for (const r of rows) {
    const c = changed.get(key(r));
    if (!c) out.push(r);
    else {
      changed.delete(key(r));
      if (c.value !== null) out.push({ ...r, value: c.value });
    }
  }
  for (const c of changed.values()) {
    if (c.value === null) continue;
    out.push({
      unit: c.unit,
      indicator: c.indicator,
      period: c.period,
      value: c.value,
      ...(c.reviewer ? { reviewer: c.reviewer } : {}),
    });
  }
  const next: Plan = { ...plan, indicators: indicators as Plan["indicators"] };
  if (pointsTotal !== undefined) next.pointsTotal = pointsTotal;
  if (grades) next.grades = grades;
  return ok({ plan: next, rows: out });
}
