import type { EngineWarning, Result } from "../errors.js";
import { type Adjustments, scoreAdjustments } from "./adjustments.js";
import { cleanScore } from "./clean-score.js";
import { type DataRow, indexPlanData, type PlanValues } from "./data.js";
import { type LeafScore, scoreLeaf } from "./rules/index.js";
import { applyScenario, type ScenarioChanges } from "./scenario.js";
import type { Plan } from "./schema.js";
import {
  combine,
  type OfficialScores,
  officialOf,
  type PlanScores,
  scoreOfficial,
  type UnitLists,
  unitLists,
} from "./score.js";
import { buildPlanStructure, type PlanStructure, reweighStructure } from "./structure.js";
import { valueProblem } from "./value-rules.js";

/**
 * 模拟测算 at frame speed: a scorer keeps a plan's scored columns and scores a what-if scenario (the
 * run's inputs with changes made) by redoing only what the change since the last one touches. A weight
 * changed re-weights the unchanged node scores (a leaf whose full points follow the weight is rescaled,
 * not normalised again); a value changed scores that one leaf's column again; then the tree above them
 * is added up again and the units are ranked and graded. The numbers are exactly those of scoring the
 * scenario from nothing (`applyScenario` then `scoreOfficial`): the same arithmetic in the same order.
 * A change it cannot do so (points, a reviewer's mark, an item's value, a value in another period, a
 * plan with lead departments' noTies) is scored from nothing. No input hashes: a scenario is no run.
 */
export interface Scorer {
  /** The scores of the base inputs with `changes` made (the whole scenario, not a change on the last one). */
  score(changes: ScenarioChanges): Result<OfficialScores>;
}

/** A node's rounded points (cleanScore), written when first read: most re-scores read few of them. */
class RoundedColumn {
  private column: Float64Array | undefined;
  constructor(private readonly write: () => Float64Array) {}
  get(): Float64Array {
    this.column ??= this.write();
    return this.column;
  }
}

/** The nodes' rounded columns as an array (`PlanScores.nodeScores`), each written when first read. */
function roundedColumns(cells: readonly RoundedColumn[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    Object.defineProperty(out, i, { get: () => cell.get(), enumerable: true });
  }
  return out;
}

/** What the last scenario scored to, kept to be reused by the next one. */
interface State {
  plan: Plan;
  structure: PlanStructure;
  /** Per leaf code: the scenario's values of the plan period's column (unit index → value, null: none). */
  cells: Map<string, Map<number, number | null>>;
  columns: Map<string, Float64Array>;
  leafScores: LeafScore[];
  leafWarnings: EngineWarning[][];
  /**
   * Per node: points before rounding (its extra included); for a leaf added up from its shares
   * (`scaled`, nothing added to it) none: its column is its leaf score's, written only when read.
   */
  raw: (Float64Array | undefined)[];
  /** Per node: its leaf score (leaves only). */
  byNode: (LeafScore | undefined)[];
  scaled: (LeafScore["scaled"] | undefined)[];
  /** Per node: its extra, its rounded points, what it was added up from. */
  extra: (Float64Array | null)[];
  rounded: RoundedColumn[];
  signature: string[];
  /** The scenario's weights and grades (as JSON), and the units' lists. */
  planChanges: string;
  lists?: UnitLists;
}

/** Rounds a column of points (cleanScore, as the full score rounds its node columns). */
function cleaned(score: Float64Array): Float64Array {
  const n = score.length;
  const clean = new Float64Array(n);
  for (let u = 0; u < n; u++) clean[u] = cleanScore(score[u] as number);
  return clean;
}

const NO_PLAN_CHANGES = JSON.stringify([{}, {}]);

export function createScorer(plan: Plan, rows: readonly DataRow[]): Result<Scorer> {
  const built = buildPlanStructure(plan);
  if (!built.ok) return built;
  const indexed = indexPlanData(built.value, rows);
  if (!indexed.ok) return indexed;
  const base = indexed.value;
  const n = built.value.units.length;
  const adjustments = scoreAdjustments(plan, base, n);
  // A dropped leaf (noTies) depends on every leaf's scores: such plans are always scored from nothing.
  const ties = built.value.nodes.some((node) => node.spec.noTies !== undefined);
  let state: State | null = null;

  const fromNothing = (changes: ScenarioChanges): Result<OfficialScores> => {
    state = null;
    const applied = applyScenario(plan, rows, changes);
    if (!applied.ok) return applied;
    return scoreOfficial(applied.value.plan, applied.value.rows, { hashes: false });
  };

  return {
    ok: true,
    value: {
      score(changes) {
        if (ties || Object.keys(changes.points ?? {}).length > 0) return fromNothing(changes);
        // The plan's changes: the last scenario's structure where they are the same, re-weighed where
        // only weights differ, built from nothing otherwise.
        const planChanges = JSON.stringify([changes.weights ?? {}, changes.grades ?? {}]);
        let structure: PlanStructure;
        let scenarioPlan: Plan;
        const last: State | null = state;
        if (last !== null && last.planChanges === planChanges) {
          structure = last.structure;
          scenarioPlan = last.plan;
        } else if (planChanges === NO_PLAN_CHANGES) {
          // The plan as given: its structure is the one built above.
          structure = built.value;
          scenarioPlan = plan;
        } else {
          const planned = applyScenario(plan, [], { weights: changes.weights, grades: changes.grades });
          if (!planned.ok) return planned;
          scenarioPlan = planned.value.plan;
          const next =
            (last && reweighStructure(last.structure, scenarioPlan)) ?? buildPlanStructure(scenarioPlan);
          if (!next.ok) return next;
          structure = next.value;
        }
        // The scenario's values, where each can be placed in a leaf's column of the plan period.
        const cells = new Map<string, Map<number, number | null>>();
        for (const v of changes.values ?? []) {
          const u = structure.unitIndex.get(v.unit);
          const i = structure.byCode.get(v.indicator);
          const leaf = i === undefined ? undefined : structure.nodes[i]!;
          if (
            u === undefined ||
            leaf === undefined ||
            leaf.children.length > 0 ||
            leaf.rule?.type === "expert" ||
            v.reviewer !== undefined ||
            v.period !== plan.period.key ||
            (v.value !== null && valueProblem(structure, i!, u, v.value))
          )
            return fromNothing(changes);
          let column = cells.get(v.indicator);
          if (!column) {
            column = new Map();
            cells.set(v.indicator, column);
          }
          column.set(u, v.value);
        }
        const scored = rescore(structure, scenarioPlan, cells, last);
        const s: State = { ...scored, planChanges };
        const tree = treeOf(s);
        // The units' lists again only for the units whose values changed, unless a must-indicator moved.
        const mustMoved = structure.leaves.some((i) => structure.nodes[i]!.must && scored.dirty[i] === 1);
        s.lists =
          last?.lists && scored.sameTree && !mustMoved
            ? scored.touched.size === 0
              ? last.lists
              : unitLists(tree, { units: scored.touched, previous: last.lists })
            : unitLists(tree);
        state = s;
        return officialOf(
          scenarioPlan,
          tree,
          { hashes: false },
          () => {
            throw new Error("a scenario has no input hashes");
          },
          s.lists,
        );
      },
    },
  };

  function treeOf(s: State): PlanScores {
    const totalOf = new Float64Array(n);
    for (const r of s.structure.roots) {
      const column = rawOf(s, r);
      for (let u = 0; u < n; u++) totalOf[u] = (totalOf[u] as number) + (column[u] as number);
    }
    return {
      structure: s.structure,
      values: valuesOf(s.columns),
      leafScores: s.leafScores,
      nodeScores: roundedColumns(s.rounded),
      base: totalOf,
      adjustments: adjustments as Adjustments,
      extra: s.extra,
      warnings: s.leafWarnings.flat(),
      breaches: [],
      dropped: new Set(),
    };
  }

  /** A node's points before rounding (a leaf added up from its shares: its leaf score's column). */
  function rawOf(s: Pick<State, "raw" | "byNode">, i: number): Float64Array {
    return s.raw[i] ?? s.byNode[i]!.points;
  }

  /** The base data with the scenario's columns in place of the base ones. */
  function valuesOf(columns: Map<string, Float64Array>): PlanValues {
    const period = plan.period.key;
    return {
      column: (indicator, p) =>
        (p === period ? columns.get(indicator) : undefined) ?? base.column(indicator, p),
      marks: (indicator, p) => base.marks(indicator, p),
      claims: (item) => base.claims(item),
    };
  }

  function rescore(
    structure: PlanStructure,
    next: Plan,
    cells: Map<string, Map<number, number | null>>,
    last: State | null,
  ): Omit<State, "planChanges" | "lists"> & { dirty: Uint8Array; sameTree: boolean; touched: Set<number> } {
    const { nodes, leaves } = structure;
    const same = last !== null && last.structure.nodes.length === nodes.length;
    // Columns whose scenario values differ from the last scenario's are written again.
    const columns = new Map<string, Float64Array>();
    const changedColumn = new Set<string>();
    // The units whose values changed since the last scenario.
    const touched = new Set<number>();
    for (const code of new Set([...cells.keys(), ...(last?.cells.keys() ?? [])])) {
      const now = cells.get(code);
      const before = last?.cells.get(code);
      const equal =
        same &&
        (now?.size ?? 0) === (before?.size ?? 0) &&
        [...(now ?? [])].every(([u, v]) => before?.has(u) && before.get(u) === v);
      if (equal) {
        const kept = last.columns.get(code);
        if (kept) columns.set(code, kept);
        continue;
      }
      changedColumn.add(code);
      for (const u of now?.keys() ?? []) touched.add(u);
      for (const u of before?.keys() ?? []) touched.add(u);
      if (!now) continue;
      const column = Float64Array.from(base.column(code, plan.period.key));
      for (const [u, v] of now) column[u] = v === null ? Number.NaN : v;
      columns.set(code, column);
    }
    const values = valuesOf(columns);
    const n = structure.units.length;
    const leafScores: LeafScore[] = new Array(leaves.length);
    const leafWarnings: EngineWarning[][] = new Array(leaves.length);
    const raw: (Float64Array | undefined)[] = new Array(nodes.length);
    const byNode: (LeafScore | undefined)[] = new Array(nodes.length);
    const scaled: (LeafScore["scaled"] | undefined)[] = new Array(nodes.length);
    const extra: (Float64Array | null)[] = new Array(nodes.length).fill(null);
    const rounded: RoundedColumn[] = new Array(nodes.length);
    const signature: string[] = new Array(nodes.length);
    const dirty = new Uint8Array(nodes.length);
    leaves.forEach((i, k) => {
      const node = nodes[i]!;
      const before = same ? last.structure.nodes[i]! : undefined;
      const sameRule =
        before !== undefined &&
        before.code === node.code &&
        before.direction === node.direction &&
        (before.rule === node.rule || JSON.stringify(before.rule) === JSON.stringify(node.rule));
      const prior = same ? last.leafScores[k]! : undefined;
      if (sameRule && prior && !changedColumn.has(node.code) && before.points === node.points) {
        leafScores[k] = prior;
        leafWarnings[k] = last!.leafWarnings[k]!;
        byNode[i] = prior;
        return;
      }
      dirty[i] = 1;
      let scored: LeafScore & { warnings?: EngineWarning[] };
      if (sameRule && prior?.rescale && !changedColumn.has(node.code)) {
        scored = prior.rescale(node.points);
        leafWarnings[k] = last!.leafWarnings[k]!;
      } else {
        scored = scoreLeaf({
          structure,
          values,
          leaf: node,
          target: structure.targets[k]!,
          period: next.period.key,
          previous: next.period.previous,
        });
        leafWarnings[k] = scored.warnings ?? [];
      }
      leafScores[k] = scored;
      byNode[i] = scored;
    });
    // Added up as scoreTree does, bottom up; a node is added up again where a child or a weight changed.
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i]!;
      const counted = node.counted.map((c) => `${nodes[c]!.weight}:${nodes[c]!.points}`).join(",");
      signature[i] = `${node.combine}|${node.points}|${counted}|${node.children.join(",")}`;
      if (!same || signature[i] !== last.signature[i] || node.children.some((c) => dirty[c] === 1))
        dirty[i] = 1;
      if (dirty[i] === 0 && last) {
        raw[i] = last.raw[i];
        scaled[i] = last.scaled[i];
        extra[i] = last.extra[i]!;
        rounded[i] = last.rounded[i]!;
        continue;
      }
      const leaf = byNode[i];
      const adds = node.children.filter((c) => nodes[c]!.adjustment).map((c) => rawOf({ raw, byNode }, c));
      const items = adjustments.atNode.get(node.code);
      if (items) adds.push(items.points);
      if (leaf && adds.length === 0) {
        // A leaf with nothing added: its points are its leaf score's; a parent adds up its shares
        // where it has them, and its column is written only when read.
        scaled[i] = leaf.scaled;
        if (!leaf.scaled) raw[i] = leaf.points;
        const by = leaf.scaled;
        rounded[i] = new RoundedColumn(() => {
          if (!by) return cleaned(leaf.points);
          const { max, share } = by;
          const clean = new Float64Array(n);
          for (let u = 0; u < n; u++) clean[u] = cleanScore(max * (share[u] as number));
          return clean;
        });
        continue;
      }
      let score = leaf ? leaf.points : combine(node, nodes, raw, n, scaled);
      if (adds.length > 0) {
        const out = new Float64Array(n);
        for (const a of adds) for (let u = 0; u < n; u++) out[u] = (out[u] as number) + (a[u] as number);
        score = Float64Array.from(score);
        for (let u = 0; u < n; u++) score[u] = (score[u] as number) + (out[u] as number);
        extra[i] = out;
      }
      raw[i] = score;
      const column = score;
      rounded[i] = new RoundedColumn(() => cleaned(column));
    }
    return {
      plan: next,
      structure,
      cells,
      columns,
      leafScores,
      leafWarnings,
      raw,
      byNode,
      scaled,
      extra,
      rounded,
      signature,
      dirty,
      sameTree: same,
      touched,
    };
  }
}
