import { ok, type Result } from "../errors.js";
import { createRandom } from "../random.js";
import type { NormaliserSpec } from "../spec.js";
import { countAvailable } from "../stats/moments.js";
import { normaliseColumn } from "../steps/normalise.js";
import type { DataRow } from "./data.js";
import { gradeUnits } from "./grading.js";
import type { Plan } from "./schema.js";
import { preparePlan, unitTotal } from "./score.js";
import type { PlanStructure } from "./structure.js";

/** Which assumptions a sensitivity analysis varies (COINr's SA_specs, for plans). */
export interface SensitivitySpec {
  /** Relative noise on each node's weight, uniform in +-noise: one value, or one per depth (top first). */
  weights?: number | readonly number[];
  /** Switch every relative rule between its own normaliser and its `alternatives`. */
  normalisers?: boolean;
  /** Aggregation methods every parent may switch between. */
  aggregation?: readonly ("arithmetic" | "geometric")[];
  /** Drop one leaf indicator at a time (or none). */
  drop?: boolean;
  /**
   * Re-normalise in every replication instead of reusing each (indicator, normaliser) result. The data
   * are fixed, so both give identical numbers; recomputing only costs time (the benchmark shows both).
   */
  recompute?: boolean;
}

export type SensitivityInput = "weights" | "normaliser" | "aggregation" | "drop";

export interface SensitivityOptions {
  /** Base sample size N; with indices the model is evaluated N x (inputs + 2) times (Saltelli design). */
  runs: number;
  seed: number;
  /** Estimate first-order and total sensitivity indices (default true when there are inputs). */
  indices?: boolean;
}

interface RelativeLeaf {
  values: Float64Array;
  /** Reused buffer for the direction-adjusted values. */
  scratch: Float64Array;
  /** Shares per normaliser choice, filled on first use (unless the spec asks to recompute). */
  memo: (Float64Array | undefined)[];
  choices: NormaliserSpec[];
  outOf: number | undefined;
  direction: 1 | -1;
}

/** Everything needed to re-evaluate a plan under other assumptions, fast and without traces. */
export interface SensitivityModel {
  structure: PlanStructure;
  spec: SensitivitySpec;
  inputs: SensitivityInput[];
  /** Nominal share of full points per leaf and unit (an adjustment leaf: its points). */
  shares: Float64Array[];
  relative: Map<number, RelativeLeaf>;
  /** bonus - penalty per unit. */
  adjust: Float64Array;
  /** Per node, the points it gets outside full marks (fixed under every variant); null where none. */
  extra: (Float64Array | null)[];
  vetoes: string[][];
  nominalRank: Float64Array;
  nominalGrade: (string | null)[];
}

export interface UnitSensitivity {
  unit: string;
  category: string | null;
  nominalRank: number | null;
  medianRank: number | null;
  p5Rank: number | null;
  p95Rank: number | null;
  nominalGrade: string | null;
  /** Probability of each grade over all replications ("等次稳定性"). */
  gradeProbability: Record<string, number>;
}

export interface SensitivityResult {
  seed: number;
  inputs: SensitivityInput[];
  /** Model evaluations performed. */
  evaluations: number;
  design: "saltelli" | "random";
  units: UnitSensitivity[];
  /** Per input: first-order (Si) and total (STi) index of the mean absolute rank shift (COINr's estimators). */
  indices: { input: SensitivityInput; firstOrder: number; total: number }[];
  /** Variance of the mean absolute rank shift, the output the indices decompose. */
  variance: number | null;
}

/** The lean part of a relative rule: shares of full points under a normaliser. */
function relativeShares(
  leaf: RelativeLeaf,
  normaliser: NormaliserSpec,
  units: readonly string[],
  out: Float64Array,
): void {
  const { values, direction, scratch: x } = leaf;
  for (let u = 0; u < values.length; u++) x[u] = (values[u] as number) * direction;
  normaliseColumn(x, normaliser, { code: "", direction, units, target: undefined, warn: () => {} }, out);
  const outOf =
    leaf.outOf ??
    (normaliser.method === "minmax"
      ? (normaliser.range?.[1] ?? 100)
      : normaliser.method === "goalposts"
        ? (normaliser.scale ?? 1)
        : normaliser.method === "scaled"
          ? (normaliser.scaleFactor ?? 100)
          : normaliser.method === "rank"
            ? countAvailable(values)
            : normaliser.method === "borda"
              ? countAvailable(values) - 1
              : 1);
  for (let u = 0; u < out.length; u++) {
    const y = out[u] as number;
    out[u] = Number.isNaN(y) || Number.isNaN(values[u]) ? 0 : Math.min(1, Math.max(0, y / outOf));
  }
}

/** Builds the model: scores the plan once (nominal) and keeps what replications need. */
export function buildSensitivityModel(
  plan: Plan,
  rows: readonly DataRow[],
  spec: SensitivitySpec,
): Result<SensitivityModel> {
  const prepared = preparePlan(plan, rows);
  if (!prepared.ok) return prepared;
  const tree = prepared.value;
  const { structure, values } = tree;
  const { nodes, leaves } = structure;
  const n = structure.units.length;
  // Each leaf's share of its full marks by its rule alone; an adjustment leaf has no full marks and
  // keeps its points (they are fixed, as are the items on a node: `extra`).
  const shares = leaves.map((i, k) =>
    nodes[i]!.adjustment
      ? Float64Array.from(tree.nodeScores[i]!)
      : Float64Array.from(tree.leafScores[k]!.points, (p) => p / nodes[i]!.points),
  );
  const relative = new Map<number, RelativeLeaf>();
  leaves.forEach((i, k) => {
    const rule = nodes[i]!.rule;
    if (rule?.type !== "relative" || !spec.normalisers || !rule.alternatives?.length) return;
    if (nodes[i]!.adjustment) return; // its points are fixed
    if (rule.normaliser.method === "standard" || rule.normaliser.method === "baseIndex") return;
    relative.set(k, {
      values: values.column(nodes[i]!.code, plan.period.key),
      scratch: new Float64Array(n),
      memo: [],
      choices: [rule.normaliser, ...rule.alternatives],
      outOf: rule.outOf,
      direction: nodes[i]!.direction,
    });
  });
  const { adjustments } = tree;
  const adjust = Float64Array.from(adjustments.bonus, (b, u) => b - (adjustments.penalty[u] as number));
  const inputs: SensitivityInput[] = [];
  if (spec.weights !== undefined) inputs.push("weights");
  if (relative.size > 0) inputs.push("normaliser");
  if ((spec.aggregation?.length ?? 0) > 1) inputs.push("aggregation");
  if (spec.drop) inputs.push("drop");
  const model: SensitivityModel = {
    structure,
    spec,
    inputs,
    shares,
    relative,
    adjust,
    extra: tree.extra,
    vetoes: adjustments.vetoes,
    nominalRank: new Float64Array(n),
    nominalGrade: [],
  };
  const nominal = evaluate(model, nominalVariant(model), scratchFor(model));
  model.nominalRank = nominal.rank;
  model.nominalGrade = nominal.grade;
  return ok(model);
}

interface Variant {
  /** Weight factor per node (1 = nominal). */
  factors: Float64Array | null;
  /** Index into each relative rule's normalisers (own first), or -1 for the nominal scores. */
  normaliser: number;
  aggregation: "arithmetic" | "geometric";
  /** Leaf position dropped, or -1. */
  drop: number;
}

function nominalVariant(model: SensitivityModel): Variant {
  return {
    factors: null,
    normaliser: -1,
    aggregation: model.spec.aggregation?.[0] ?? "arithmetic",
    drop: -1,
  };
}

/** Maps one sample (a uniform number per input) to the assumptions it stands for. */
function variantOf(model: SensitivityModel, sample: ArrayLike<number>): Variant {
  const v = nominalVariant(model);
  const { nodes, leaves } = model.structure;
  model.inputs.forEach((input, d) => {
    const x = sample[d] as number;
    if (input === "weights") {
      const random = createRandom(Math.floor(x * 2 ** 31));
      const noise = model.spec.weights!;
      v.factors = Float64Array.from(nodes, (node) => {
        const level =
          typeof noise === "number" ? noise : (noise[Math.min(node.depth, noise.length - 1)] ?? 0);
        return 1 + level * (2 * random.next() - 1);
      });
    } else if (input === "normaliser") v.normaliser = Math.floor(x * 1e6);
    else if (input === "aggregation") {
      const methods = model.spec.aggregation!;
      v.aggregation = methods[Math.min(methods.length - 1, Math.floor(x * methods.length))]!;
    } else v.drop = Math.min(leaves.length, Math.floor(x * (leaves.length + 1))) - 1;
  });
  return v;
}

interface Scratch {
  nodeScores: Float64Array[];
  leafShares: Float64Array[];
  totals: Float64Array;
}

function scratchFor(model: SensitivityModel): Scratch {
  const n = model.structure.units.length;
  return {
    nodeScores: model.structure.nodes.map(() => new Float64Array(n)),
    leafShares: model.structure.leaves.map(() => new Float64Array(n)),
    totals: new Float64Array(n),
  };
}

/** One replication: (re)normalise, aggregate, total, rank and grade. */
function evaluate(
  model: SensitivityModel,
  v: Variant,
  s: Scratch,
): { rank: Float64Array; grade: (string | null)[] } {
  const { structure } = model;
  const { nodes, leaves, roots, units } = structure;
  const n = units.length;
  /** Adds what a node gets outside its full marks (fixed under every variant). */
  const addExtra = (extra: Float64Array | null | undefined, out: Float64Array) => {
    if (extra) for (let u = 0; u < n; u++) out[u] = (out[u] as number) + (extra[u] as number);
  };
  leaves.forEach((i, k) => {
    const rel = model.relative.get(k);
    let shares = model.shares[k]!;
    if (rel && v.normaliser >= 0) {
      const choice = v.normaliser % rel.choices.length;
      if (model.spec.recompute) {
        relativeShares(rel, rel.choices[choice]!, units, s.leafShares[k]!);
        shares = s.leafShares[k]!;
      } else {
        let memo = rel.memo[choice];
        if (!memo) {
          memo = new Float64Array(n);
          relativeShares(rel, rel.choices[choice]!, units, memo);
          rel.memo[choice] = memo;
        }
        shares = memo;
      }
    }
    const out = s.nodeScores[i]!;
    if (nodes[i]!.adjustment) {
      out.set(shares);
      return;
    }
    const p = nodes[i]!.points;
    for (let u = 0; u < n; u++) out[u] = (shares[u] as number) * p;
    addExtra(model.extra[i], out);
  });
  // The node index of the dropped leaf (or -1): its weight becomes 0 and its parent averages the rest.
  const dropped = v.drop >= 0 ? (leaves[v.drop] as number) : -1;
  const weightOf = (c: number) =>
    (c === dropped ? 0 : nodes[c]!.weight) * (v.factors ? (v.factors[c] as number) : 1);
  const combine = (children: number[], points: number, out: Float64Array) => {
    const w = children.map(weightOf);
    const wsum = w.reduce((a, b) => a + b, 0);
    out.fill(0);
    if (wsum === 0) return;
    if (v.aggregation === "arithmetic") {
      children.forEach((c, k) => {
        const f = ((w[k] as number) / wsum) * (points / nodes[c]!.points);
        const src = s.nodeScores[c]!;
        for (let u = 0; u < n; u++) out[u] = (out[u] as number) + f * (src[u] as number);
      });
    } else {
      // Geometric mean of shares; a share at or below zero is floored at 0.1% so one zero does not erase the rest.
      children.forEach((c, k) => {
        const f = (w[k] as number) / wsum;
        const src = s.nodeScores[c]!;
        const max = nodes[c]!.points;
        for (let u = 0; u < n; u++)
          out[u] = (out[u] as number) + f * Math.log(Math.max(1e-3, (src[u] as number) / max));
      });
      for (let u = 0; u < n; u++) out[u] = points * Math.exp(out[u] as number);
    }
  };
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (nodes[i]!.children.length === 0) continue;
    combine(nodes[i]!.counted, nodes[i]!.points, s.nodeScores[i]!);
    addExtra(model.extra[i], s.nodeScores[i]!);
  }
  const base = new Float64Array(n);
  const nominalSum = !v.factors && v.aggregation === "arithmetic";
  if (nominalSum) {
    for (const r of roots)
      for (let u = 0; u < n; u++) base[u] = (base[u] as number) + (s.nodeScores[r]![u] as number);
  } else {
    combine(structure.countedRoots, structure.maxBase, base);
    for (const r of roots) if (nodes[r]!.adjustment) addExtra(s.nodeScores[r], base);
  }
  const cap = structure.plan.caps?.total ?? Number.POSITIVE_INFINITY;
  const failedMust = new Uint8Array(n);
  for (const i of leaves) {
    if (!nodes[i]!.must) continue;
    const scores = s.nodeScores[i]!;
    for (let u = 0; u < n; u++) if ((scores[u] as number) < nodes[i]!.points - 1e-9) failedMust[u] = 1;
  }
  for (let u = 0; u < n; u++) {
    s.totals[u] = unitTotal(base[u] as number, model.adjust[u] as number, cap);
  }
  const graded = gradeUnits({
    structure,
    totals: s.totals,
    nodeScore: (code) => s.nodeScores[structure.byCode.get(code)!]!,
    vetoes: model.vetoes,
    failedMust,
    quiet: true,
  });
  if (!graded.ok) throw new Error(graded.error.message.en); // cannot happen: no overrides are given
  return { rank: graded.value.rank, grade: graded.value.gradeByRules };
}

/** The sample matrix: rows of uniforms, Saltelli's A, B and AB_i blocks when indices are wanted. */
export function sensitivitySamples(
  model: SensitivityModel,
  options: SensitivityOptions,
): { rows: Float64Array; count: number; design: "saltelli" | "random" } {
  const d = model.inputs.length;
  const random = createRandom(options.seed);
  const N = options.runs;
  const draw = () => Float64Array.from({ length: N * d }, () => random.next());
  const A = draw();
  const saltelli = (options.indices ?? true) && d > 0;
  if (!saltelli) return { rows: A, count: N, design: "random" };
  const B = draw();
  const rows = new Float64Array(N * (d + 2) * d);
  rows.set(A, 0);
  rows.set(B, N * d);
  for (let i = 0; i < d; i++) {
    const block = A.slice();
    for (let r = 0; r < N; r++) block[r * d + i] = B[r * d + i] as number;
    rows.set(block, (2 + i) * N * d);
  }
  return { rows, count: N * (d + 2), design: "saltelli" };
}

/** Evaluates sample rows [from, to): ranks (0 = unranked) and grade indices (0 = none) per row and unit. */
export function evaluateSamples(
  model: SensitivityModel,
  rows: Float64Array,
  from: number,
  to: number,
  onRow?: () => void,
): { ranks: Uint16Array; grades: Uint8Array } {
  const d = model.inputs.length;
  const n = model.structure.units.length;
  const scratch = scratchFor(model);
  const gradeIndex = new Map((model.structure.plan.grades ?? []).map((g, k) => [g.code, k + 1] as const));
  const ranks = new Uint16Array((to - from) * n);
  const grades = new Uint8Array((to - from) * n);
  for (let r = from; r < to; r++) {
    const result = evaluate(model, variantOf(model, rows.subarray(r * d, (r + 1) * d)), scratch);
    const base = (r - from) * n;
    for (let u = 0; u < n; u++) {
      const rank = result.rank[u] as number;
      ranks[base + u] = Number.isNaN(rank) ? 0 : rank;
      grades[base + u] = gradeIndex.get(result.grade[u] as string) ?? 0;
    }
    onRow?.();
  }
  return { ranks, grades };
}

/** R's default quantile (type 7) of sorted values. */
function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Turns evaluated ranks and grades into per-unit rank bands, grade probabilities and sensitivity indices. */
export function summariseSensitivity(
  model: SensitivityModel,
  options: SensitivityOptions,
  design: "saltelli" | "random",
  count: number,
  ranks: Uint16Array,
  grades: Uint8Array,
): SensitivityResult {
  const { structure } = model;
  const n = structure.units.length;
  const gradeCodes = (structure.plan.grades ?? []).map((g) => g.code);
  const units: UnitSensitivity[] = structure.units.map((unit, u) => {
    const c = structure.categoryOf[u] as number;
    const own: number[] = [];
    const counts = new Array<number>(gradeCodes.length + 1).fill(0);
    for (let r = 0; r < count; r++) {
      const rank = ranks[r * n + u] as number;
      if (rank > 0) own.push(rank);
      const g = grades[r * n + u] as number;
      counts[g] = (counts[g] as number) + 1;
    }
    own.sort((a, b) => a - b);
    const nominal = model.nominalRank[u] as number;
    return {
      unit,
      category: c === -1 ? null : (structure.categories[c] as string),
      nominalRank: Number.isNaN(nominal) ? null : nominal,
      medianRank: own.length ? quantile(own, 0.5) : null,
      p5Rank: own.length ? quantile(own, 0.05) : null,
      p95Rank: own.length ? quantile(own, 0.95) : null,
      nominalGrade: model.nominalGrade[u] ?? null,
      gradeProbability: Object.fromEntries(gradeCodes.map((g, k) => [g, (counts[k + 1] as number) / count])),
    };
  });
  // Output for the indices: the mean absolute rank shift against the nominal ranking (COINr's choice).
  const y = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    let sum = 0;
    let m = 0;
    for (let u = 0; u < n; u++) {
      const nominal = model.nominalRank[u] as number;
      const rank = ranks[r * n + u] as number;
      if (!Number.isNaN(nominal) && rank > 0) {
        sum += Math.abs(rank - nominal);
        m++;
      }
    }
    y[r] = m ? sum / m : 0;
  }
  const indices: SensitivityResult["indices"] = [];
  let variance: number | null = null;
  if (design === "saltelli") {
    const N = options.runs;
    const yA = y.subarray(0, N);
    const yB = y.subarray(N, 2 * N);
    const both = y.subarray(0, 2 * N);
    const mean = both.reduce((a, b) => a + b, 0) / both.length;
    variance = both.reduce((a, b) => a + (b - mean) ** 2, 0) / (both.length - 1);
    model.inputs.forEach((input, i) => {
      const yAB = y.subarray((2 + i) * N, (3 + i) * N);
      let first = 0;
      let total = 0;
      for (let r = 0; r < N; r++) {
        first += (yB[r] as number) * ((yAB[r] as number) - (yA[r] as number));
        total += ((yA[r] as number) - (yAB[r] as number)) ** 2;
      }
      const v = variance as number;
      indices.push({ input, firstOrder: v > 0 ? first / N / v : 0, total: v > 0 ? total / (2 * N * v) : 0 });
    });
  }
  return { seed: options.seed, inputs: model.inputs, evaluations: count, design, units, indices, variance };
}

/** Runs a whole analysis in this thread (the browser's way; the CLI spreads evaluations over workers). */
export function runSensitivity(
  model: SensitivityModel,
  options: SensitivityOptions,
  onRow?: () => void,
): SensitivityResult {
  const { rows, count, design } = sensitivitySamples(model, options);
  const { ranks, grades } = evaluateSamples(model, rows, 0, count, onRow);
  return summariseSensitivity(model, options, design, count, ranks, grades);
}
