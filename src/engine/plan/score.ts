import { type EngineWarning, type Lang, ok, type Result } from "../errors.js";
import { canonicalJson, nobleSha256, type Sha256Factory, sha256 } from "../hash.js";
import { ENGINE_VERSION } from "../version.js";
import { type AdjustmentLine, type Adjustments, scoreAdjustments } from "./adjustments.js";
import { cleanScore } from "./clean-score.js";
import { dataHash } from "./columnar/data-hash.js";
import { type DataRow, indexPlanData, type PlanValues } from "./data.js";
import { type GradeOverride, type GradingResult, gradeUnits, type QuotaLimit } from "./grading.js";
import { type UnitOffice, unitOffice } from "./offices.js";
import { type LeafScore, scoreLeaf } from "./rules/index.js";
import type { Plan, Rule } from "./schema.js";
import { buildPlanStructure, type PlanNode, type PlanStructure } from "./structure.js";
import { breachWarning, findLeadBreaches, type LeadBreach, withoutDropped } from "./ties.js";
import { unitTrace } from "./trace.js";

export { rowJson } from "./columnar/data-hash.js";
export { cleanScore };

/** How one node's points for one unit came about. */
export interface NodeTrace {
  node: string;
  name: string;
  points: number;
  max: number;
  rule?: Rule;
  inputs?: Record<string, number | string | null>;
  text: Record<Lang, string>;
  children?: NodeTrace[];
  /** 加减分: a node whose points go to its parent (or the total) outside full marks. */
  adjustment?: true;
  /** The bonus and penalty items on this node (their `node`), added outside its full marks. */
  adjustments?: AdjustmentLine[];
}

export interface UnitResult {
  unit: string;
  name: string;
  category: string | null;
  categoryName: string | null;
  /** Sum of the top-level indicators' points. */
  base: number;
  bonus: number;
  penalty: number;
  /** base + bonus - penalty, capped. */
  total: number;
  rank: number | null;
  rankOf: number | null;
  /**
   * 汇总部门, present when the plan has `offices`: the office that collects the unit (null: none), and
   * its rank among that office's units where the office ranks (`ranks: true`; null elsewhere).
   */
  office?: UnitOffice;
  /** The grade the rules give. */
  gradeByRules: string | null;
  /** The grade in force: the rules' grade, or a recorded override. */
  grade: string | null;
  override: GradeOverride | null;
  titles: string[];
  vetoes: string[];
  /** Must-indicators (必达指标) not fully achieved. */
  failedMust: string[];
  /** Indicators without data. */
  missing: string[];
  /** Points per node code. */
  scores: Record<string, number>;
  trace: NodeTrace[];
  adjustments: { item: string; points: number; text: Record<Lang, string> }[];
  gradeReasons: Record<Lang, string>[];
}

/** A scoring run: a pure function of (plan, data, overrides), identified by its input hash. */
export interface ScoringRun {
  engineVersion: string;
  planId: string;
  planVersion: number | null;
  period: string;
  inputHash: { plan: string; data: string; overrides: string; run: string };
  /** Node codes in tree order (parents before children). */
  nodes: string[];
  units: UnitResult[];
  quotas: QuotaLimit[];
  warnings: EngineWarning[];
  /** Lead departments' breaches of 拉开档次 (noTies); present only when there is one. */
  breaches?: LeadBreach[];
}

export interface ScoreOptions {
  overrides?: readonly GradeOverride[];
  /**
   * Whose traces to write: every unit's (the default), or only the units named. Writing every trace
   * is most of a large run's time and memory, and the numbers do not depend on it: a trace left out
   * is an empty list, and scoring again with the unit named gives exactly the trace a full run gives.
   */
  explain?: "all" | readonly string[];
  /** The SHA-256 of the input hashes: the engine's own by default, or the platform's faster one. */
  sha256?: Sha256Factory;
  /**
   * false: no input hashes (each is ""). For a what-if simulation, which is no run and is never stored
   * or verified: hashing the inputs at every change was most of its time in the browser.
   */
  hashes?: boolean;
}

/** The leaf scores and node columns of one evaluation, before ranking. */
export interface PlanScores {
  structure: PlanStructure;
  values: PlanValues;
  leafScores: LeafScore[];
  /** Points per node (index as in structure.nodes), per unit, rounded by cleanScore. */
  nodeScores: Float64Array[];
  /**
   * Sum of the top-level nodes' points per unit, added up before any rounding: two units whose
   * totals are equal must tie, however their points are split (26/3 + 20/3 = 31/3 + 5).
   */
  base: Float64Array;
  /** Bonus, penalty and veto items: those on the total, and those on a node (already in its score). */
  adjustments: Adjustments;
  /**
   * Per node: the points added to it outside its full marks (its adjustment children and the items on
   * it), per unit; null where none.
   */
  extra: (Float64Array | null)[];
  warnings: EngineWarning[];
  /** Lead departments' tied scores (noTies), and the leaves dropped for them (node indices). */
  breaches: LeadBreach[];
  dropped: ReadonlySet<number>;
}

/** Scores every leaf with its rule and adds the tree up. */
export function scoreTree(given: PlanStructure, values: PlanValues): PlanScores {
  const { leaves, plan } = given;
  const n = given.units.length;
  const warnings: EngineWarning[] = [];
  const leafScores = leaves.map((i, k) => {
    const s = scoreLeaf({
      structure: given,
      values,
      leaf: given.nodes[i]!,
      target: given.targets[k]!,
      period: plan.period.key,
      previous: plan.period.previous,
    });
    warnings.push(...(s.warnings ?? []));
    return s;
  });
  // A leaf dropped for tied scores leaves its parent's counted items before anything is added up.
  const { breaches, dropped } = findLeadBreaches(given, leafScores);
  warnings.push(...breaches.map(breachWarning));
  const structure = withoutDropped(given, dropped);
  const { nodes } = structure;
  const adjustments = scoreAdjustments(plan, values, n);
  const nodeScores: Float64Array[] = new Array(nodes.length);
  // A leaf whose points are full points × a share (`scaled`) is added up from its shares, and its
  // column is written only when its rule explains a unit: a column fewer per leaf (24 MB in a
  // province's plan). An adjustment leaf, or one with items on it, keeps its column.
  const scaled: (LeafScore["scaled"] | undefined)[] = new Array(nodes.length);
  leaves.forEach((i, k) => {
    const leaf = leafScores[k]!;
    if (leaf.scaled && !nodes[i]!.adjustment && !adjustments.atNode.has(nodes[i]!.code))
      scaled[i] = leaf.scaled;
    else nodeScores[i] = leaf.points;
  });
  const extra: (Float64Array | null)[] = new Array(nodes.length).fill(null);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.children.length > 0) nodeScores[i] = combine(node, nodes, nodeScores, n, scaled);
    // Outside full marks, before the node is weighted into its parent: its adjustment children's
    // points and the items on it.
    const adds = node.children.filter((c) => nodes[c]!.adjustment).map((c) => nodeScores[c]!);
    const items = adjustments.atNode.get(node.code);
    if (items) adds.push(items.points);
    if (adds.length === 0) continue;
    const out = new Float64Array(n);
    for (const a of adds) for (let u = 0; u < n; u++) out[u] = (out[u] as number) + (a[u] as number);
    const score = Float64Array.from(nodeScores[i]!);
    for (let u = 0; u < n; u++) score[u] = (score[u] as number) + (out[u] as number);
    nodeScores[i] = score;
    extra[i] = out;
  }
  const base = new Float64Array(n);
  for (const r of structure.roots) {
    const by = scaled[r];
    for (let u = 0; u < n; u++)
      base[u] = (base[u] as number) + (by ? by.max * (by.share[u] as number) : (nodeScores[r]![u] as number));
  }
  // Rounded in place, except a leaf's own column: its rule explains from it, and a what-if's re-score
  // (which reuses leaf scores) must explain the same unrounded points. A scaled leaf's rounded column
  // is written from its shares (max × share: its points, bit for bit).
  const own = new Set(leaves.map((i) => nodeScores[i]).filter((c) => c !== undefined));
  for (let i = 0; i < nodeScores.length; i++) {
    const by = scaled[i];
    if (by) {
      const clean = new Float64Array(n);
      for (let u = 0; u < n; u++) clean[u] = cleanScore(by.max * (by.share[u] as number));
      nodeScores[i] = clean;
      continue;
    }
    const column = nodeScores[i]!;
    const clean = own.has(column) ? new Float64Array(n) : column;
    for (let u = 0; u < n; u++) clean[u] = cleanScore(column[u] as number);
    nodeScores[i] = clean;
  }
  return {
    structure,
    values,
    leafScores,
    nodeScores,
    base,
    adjustments,
    extra,
    warnings,
    breaches,
    dropped,
  };
}

/** A unit's total: the unrounded base plus bonus minus penalty, capped, and only then rounded. */
export function unitTotal(base: number, adjust: number, cap: number): number {
  return cleanScore(Math.min(cap, base + adjust));
}

/**
 * A parent's points within its full marks: the sum of its children's, or its points times their
 * weighted mean share (adjustment children are added apart, outside full marks). A child whose points
 * are `max * share[u]` (`scaled`, a what-if's rescaled leaf) is added from its shares without its column
 * being written: the same multiplication, so the same numbers bit for bit.
 */
export function combine(
  node: PlanNode,
  nodes: PlanNode[],
  scores: readonly (Float64Array | undefined)[],
  n: number,
  scaled?: readonly (LeafScore["scaled"] | undefined)[],
  /** Where to add them up (zeros, n long): a what-if's re-score takes its columns from one buffer. */
  into?: Float64Array,
): Float64Array {
  const out = into ?? new Float64Array(n);
  const { counted } = node;
  const weighted = node.combine !== "sum";
  const wsum = weighted ? counted.reduce((s, c) => s + nodes[c]!.weight, 0) : 0;
  // Each child adds f × (m × column[u]) to the units' points, in the children's order: f is its weight's
  // factor (1 in a sum), m its full points where it is added up from its shares (else 1). A product
  // with 1 is exact, so this is the child's points, or f times them, bit for bit.
  const f = new Float64Array(counted.length);
  const m = new Float64Array(counted.length);
  const columns: Float64Array[] = [];
  for (const [j, c] of counted.entries()) {
    f[j] = weighted ? (node.points * nodes[c]!.weight) / wsum / nodes[c]!.points : 1;
    const by = scaled?.[c];
    m[j] = by ? by.max : 1;
    columns.push(by ? by.share : scores[c]!);
  }
  // Up to five children at a time, one pass over the units each (the same additions in the same order).
  for (let j = 0; j < counted.length; ) {
    const left = counted.length - j;
    const f0 = f[j] as number;
    const m0 = m[j] as number;
    const a0 = columns[j]!;
    if (left >= 5) {
      const [f1, f2, f3, f4] = [
        f[j + 1] as number,
        f[j + 2] as number,
        f[j + 3] as number,
        f[j + 4] as number,
      ];
      const [m1, m2, m3, m4] = [
        m[j + 1] as number,
        m[j + 2] as number,
        m[j + 3] as number,
        m[j + 4] as number,
      ];
      const [a1, a2, a3, a4] = [columns[j + 1]!, columns[j + 2]!, columns[j + 3]!, columns[j + 4]!];
      for (let u = 0; u < n; u++)
        out[u] =
          (out[u] as number) +
          f0 * (m0 * (a0[u] as number)) +
          f1 * (m1 * (a1[u] as number)) +
          f2 * (m2 * (a2[u] as number)) +
          f3 * (m3 * (a3[u] as number)) +
          f4 * (m4 * (a4[u] as number));
      j += 5;
      continue;
    }
    if (left === 4) {
      const [f1, f2, f3] = [f[j + 1] as number, f[j + 2] as number, f[j + 3] as number];
      const [m1, m2, m3] = [m[j + 1] as number, m[j + 2] as number, m[j + 3] as number];
      const [a1, a2, a3] = [columns[j + 1]!, columns[j + 2]!, columns[j + 3]!];
      for (let u = 0; u < n; u++)
        out[u] =
          (out[u] as number) +
          f0 * (m0 * (a0[u] as number)) +
          f1 * (m1 * (a1[u] as number)) +
          f2 * (m2 * (a2[u] as number)) +
          f3 * (m3 * (a3[u] as number));
    } else if (left === 3) {
      const [f1, f2] = [f[j + 1] as number, f[j + 2] as number];
      const [m1, m2] = [m[j + 1] as number, m[j + 2] as number];
      const [a1, a2] = [columns[j + 1]!, columns[j + 2]!];
      for (let u = 0; u < n; u++)
        out[u] =
          (out[u] as number) +
          f0 * (m0 * (a0[u] as number)) +
          f1 * (m1 * (a1[u] as number)) +
          f2 * (m2 * (a2[u] as number));
    } else if (left === 2) {
      const f1 = f[j + 1] as number;
      const m1 = m[j + 1] as number;
      const a1 = columns[j + 1]!;
      for (let u = 0; u < n; u++)
        out[u] = (out[u] as number) + f0 * (m0 * (a0[u] as number)) + f1 * (m1 * (a1[u] as number));
    } else {
      for (let u = 0; u < n; u++) out[u] = (out[u] as number) + f0 * (m0 * (a0[u] as number));
    }
    j += left;
  }
  return out;
}

/** Validates the plan, checks and indexes the data, and scores the tree: the start of every evaluation. */
export function preparePlan(plan: Plan, rows: readonly DataRow[]): Result<PlanScores> {
  const built = buildPlanStructure(plan);
  if (!built.ok) return built;
  const indexed = indexPlanData(built.value, rows);
  if (!indexed.ok) return indexed;
  return ok(scoreTree(built.value, indexed.value));
}

/** Hashes of the inputs that fully determine a run; `sha256` may be the platform's faster one. */
export function runHashes(
  plan: Plan,
  rows: readonly DataRow[],
  overrides: readonly GradeOverride[] = [],
  sha256Of: Sha256Factory = nobleSha256,
) {
  // The data hash is of the rows' canonical JSON, sorted, one per line, fed to the hash as bytes in
  // one pass (millions of rows are never one string, nor a line each).
  const dataHashed = dataHash(rows, sha256Of);
  const planHash = sha256(canonicalJson(plan));
  const overridesHash = sha256(canonicalJson([...overrides].sort((a, b) => (a.unit < b.unit ? -1 : 1))));
  return {
    plan: planHash,
    data: dataHashed,
    overrides: overridesHash,
    run: sha256(`${ENGINE_VERSION}\n${planHash}\n${dataHashed}\n${overridesHash}`),
  };
}

/**
 * The numbers of a run, column by column over the units, with its input hashes: what every output of
 * it is read from (the run's unit results, a unit's trace on demand). No per-cell object or text.
 */
export interface OfficialScores {
  plan: Plan;
  tree: PlanScores;
  /** Per unit: base + bonus - penalty, capped, rounded. */
  totals: Float64Array;
  /** Per unit: its must-indicators not fully achieved, and its indicators without data. */
  failedMust: string[][];
  missing: string[][];
  graded: GradingResult;
  inputHash: ScoringRun["inputHash"];
}

/** Scores a plan on its data to numbers: points per node and unit, totals, ranks, grades, hashes. */
export function scoreOfficial(
  plan: Plan,
  rows: readonly DataRow[],
  options: Omit<ScoreOptions, "explain"> = {},
): Result<OfficialScores> {
  const prepared = preparePlan(plan, rows);
  if (!prepared.ok) return prepared;
  return officialOf(plan, prepared.value, options, () =>
    runHashes(plan, rows, options.overrides, options.sha256),
  );
}

/** Per unit: whether a must-indicator failed, which ones, and its indicators without data. */
export interface UnitLists {
  failed: Uint8Array;
  failedMust: string[][];
  missing: string[][];
}

/** The units' lists of a scored tree (all of them, or only `only`'s into copies of `previous`'s). */
export function unitLists(
  tree: PlanScores,
  only?: { units: Iterable<number>; previous: UnitLists },
): UnitLists {
  const { nodes, leaves } = tree.structure;
  const n = tree.structure.units.length;
  if (only) {
    const failed = Uint8Array.from(only.previous.failed);
    const failedMust = only.previous.failedMust.slice();
    const missing = only.previous.missing.slice();
    for (const u of only.units) {
      failed[u] = 0;
      failedMust[u] = [];
      missing[u] = [];
      leaves.forEach((i, k) => {
        const node = nodes[i]!;
        if (tree.leafScores[k]!.missing[u]) missing[u]!.push(node.code);
        if (node.must && (tree.nodeScores[i]![u] as number) < node.points - 1e-9) {
          failed[u] = 1;
          failedMust[u]!.push(node.code);
        }
      });
    }
    return { failed, failedMust, missing };
  }
  const failed = new Uint8Array(n);
  const failedMust: string[][] = Array.from({ length: n }, () => []);
  const missing: string[][] = Array.from({ length: n }, () => []);
  // Column by column, in leaf order (the order the lists are read in).
  leaves.forEach((i, k) => {
    const node = nodes[i]!;
    const absent = tree.leafScores[k]!.missing;
    for (let u = 0; u < n; u++) if (absent[u]) missing[u]!.push(node.code);
    if (!node.must) return;
    // Only a must-indicator's points are read (a what-if's columns are written when first read).
    const scores = tree.nodeScores[i]!;
    for (let u = 0; u < n; u++) {
      if ((scores[u] as number) < node.points - 1e-9) {
        failed[u] = 1;
        failedMust[u]!.push(node.code);
      }
    }
  });
  return { failed, failedMust, missing };
}

/** The totals, must-indicator and missing lists, ranks and grades of a scored tree, with its input hashes. */
export function officialOf(
  plan: Plan,
  tree: PlanScores,
  options: Omit<ScoreOptions, "explain">,
  hashes: () => ScoringRun["inputHash"],
  lists?: UnitLists,
): Result<OfficialScores> {
  const { structure, adjustments } = tree;
  const n = structure.units.length;
  const totals = new Float64Array(n);
  const cap = plan.caps?.total ?? Number.POSITIVE_INFINITY;
  for (let u = 0; u < n; u++) {
    const adjust = (adjustments.bonus[u] as number) - (adjustments.penalty[u] as number);
    totals[u] = unitTotal(tree.base[u] as number, adjust, cap);
  }
  const { failed, failedMust, missing } = lists ?? unitLists(tree);
  const graded = gradeUnits({
    structure,
    totals,
    nodeScore: (code) => tree.nodeScores[structure.byCode.get(code)!]!,
    vetoes: adjustments.vetoes,
    failedMust: failed,
    failedMustCodes: failedMust,
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  if (!graded.ok) return graded;
  return ok({
    plan,
    tree,
    totals,
    failedMust,
    missing,
    graded: graded.value,
    inputHash: options.hashes === false ? { plan: "", data: "", overrides: "", run: "" } : hashes(),
  });
}

/**
 * Scores a plan on its data: every unit at every node with a trace, totals with bonus and penalty,
 * ranks within categories, grades under quotas, titles, and any recorded overrides.
 */
export function scorePlan(
  plan: Plan,
  rows: readonly DataRow[],
  options: ScoreOptions = {},
): Result<ScoringRun> {
  const scored = scoreOfficial(plan, rows, options);
  if (!scored.ok) return scored;
  const s = scored.value;
  const { graded, tree } = s;
  const { structure } = tree;
  const explained =
    options.explain === undefined || options.explain === "all" ? null : new Set(options.explain);
  return ok({
    engineVersion: ENGINE_VERSION,
    planId: plan.id,
    planVersion: plan.version ?? null,
    period: plan.period.key,
    inputHash: s.inputHash,
    nodes: structure.nodes.map((node) => node.code),
    units: plan.units.map((unit, u) => unitResult(s, u, !explained || explained.has(unit.code))),
    quotas: graded.quotas,
    warnings: tree.warnings,
    ...(tree.breaches.length > 0 ? { breaches: tree.breaches } : {}),
  });
}

/** One unit's result (plan order index `u`), with its trace where `traced` (else an empty one). */
export function unitResult(s: OfficialScores, u: number, traced: boolean): UnitResult {
  const { plan, tree, graded: g } = s;
  const { structure, adjustments } = tree;
  const { nodes } = structure;
  const c = structure.categoryOf[u] as number;
  const scores: Record<string, number> = {};
  for (let i = 0; i < nodes.length; i++) scores[nodes[i]!.code] = tree.nodeScores[i]![u] as number;
  return {
    unit: plan.units[u]!.code,
    name: plan.units[u]!.name,
    category: c === -1 ? null : (structure.categories[c] as string),
    categoryName: c === -1 ? null : (plan.categories[c]!.name as string),
    base: cleanScore(tree.base[u] as number),
    bonus: adjustments.bonus[u] as number,
    penalty: adjustments.penalty[u] as number,
    total: s.totals[u] as number,
    rank: Number.isNaN(g.rank[u]) ? null : (g.rank[u] as number),
    rankOf: Number.isNaN(g.rankOf[u]) ? null : (g.rankOf[u] as number),
    ...(plan.offices ? { office: unitOffice(plan, structure, g, u) } : {}),
    gradeByRules: g.gradeByRules[u] ?? null,
    grade: g.grade[u] ?? null,
    override: g.override[u] ?? null,
    titles: g.titles[u]!,
    vetoes: adjustments.vetoes[u]!,
    failedMust: s.failedMust[u]!,
    missing: s.missing[u]!,
    scores,
    trace: traced ? unitTrace(s, u) : [],
    adjustments: adjustments.lines[u]!,
    gradeReasons: g.reasonsOf(u),
  };
}
