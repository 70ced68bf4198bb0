/**
 * The official scoring path as it was before it was made columnar (issue 14), kept verbatim as the
 * reference the engine is tested against: every unit's result built unit by unit with its trace
 * written eagerly, and the data hash of the rows' lines sorted as strings. Only its imports changed
 * (the trace's sentences now live in src/engine/plan/trace.ts, unchanged).
 */

import { ok } from "../../src/engine/errors.js";
import { TextHash } from "../../src/engine/hash.js";
import {
  canonicalJson,
  cleanScore,
  type DataRow,
  type GradeOverride,
  gradeUnits,
  type NodeTrace,
  type Plan,
  preparePlan,
  type Result,
  type ScoreOptions,
  type ScoringRun,
  sha256,
  type UnitResult,
  unitTotal,
} from "../../src/engine/index.js";
import { rowJson } from "../../src/engine/plan/columnar/data-hash.js";
import { asAdjustment, pts } from "../../src/engine/plan/explain.js";
import { unitOffice } from "../../src/engine/plan/offices.js";
import { outsideText, sumText, weightedText, withBreach, withItems } from "../../src/engine/plan/trace.js";
import { ENGINE_VERSION } from "../../src/engine/version.js";

export function referenceRunHashes(
  plan: Plan,
  rows: readonly DataRow[],
  overrides: readonly GradeOverride[] = [],
) {
  // The data hash is of the rows' canonical JSON, sorted, one per line: fed to the hash line by line,
  // never joined into one string (millions of rows would not fit in one).
  const lines = rows.map(rowJson).sort();
  const data = new TextHash();
  for (let i = 0; i < lines.length; i++) data.update(i === 0 ? (lines[i] as string) : `\n${lines[i]}`);
  const planHash = sha256(canonicalJson(plan));
  const dataHash = data.digest();
  const overridesHash = sha256(canonicalJson([...overrides].sort((a, b) => (a.unit < b.unit ? -1 : 1))));
  return {
    plan: planHash,
    data: dataHash,
    overrides: overridesHash,
    run: sha256(`${ENGINE_VERSION}\n${planHash}\n${dataHash}\n${overridesHash}`),
  };
}
export function referenceScorePlan(
  plan: Plan,
  rows: readonly DataRow[],
  options: ScoreOptions = {},
): Result<ScoringRun> {
  const prepared = preparePlan(plan, rows);
  if (!prepared.ok) return prepared;
  const tree = prepared.value;
  const { structure } = tree;
  const { nodes, leaves, roots, units } = structure;
  const n = units.length;
  const { adjustments } = tree;
  const base = tree.base.map(cleanScore);
  const totals = new Float64Array(n);
  const cap = plan.caps?.total ?? Number.POSITIVE_INFINITY;
  for (let u = 0; u < n; u++) {
    const adjust = (adjustments.bonus[u] as number) - (adjustments.penalty[u] as number);
    totals[u] = unitTotal(tree.base[u] as number, adjust, cap);
  }
  const failedMust = new Uint8Array(n);
  const failedMustCodes: string[][] = Array.from({ length: n }, () => []);
  for (const i of leaves) {
    if (!nodes[i]!.must) continue;
    for (let u = 0; u < n; u++) {
      if ((tree.nodeScores[i]![u] as number) < nodes[i]!.points - 1e-9) {
        failedMust[u] = 1;
        failedMustCodes[u]!.push(nodes[i]!.code);
      }
    }
  }
  const graded = gradeUnits({
    structure,
    totals,
    nodeScore: (code) => tree.nodeScores[structure.byCode.get(code)!]!,
    vetoes: adjustments.vetoes,
    failedMust,
    failedMustCodes,
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  if (!graded.ok) return graded;
  const g = graded.value;
  const leafPosition = new Map(leaves.map((i, k) => [i, k] as const));
  const breachOf = new Map(tree.breaches.map((b) => [b.indicator, b] as const));
  const traceOf = (i: number, u: number): NodeTrace => {
    const node = nodes[i]!;
    const points = tree.nodeScores[i]![u] as number;
    const k = leafPosition.get(i);
    const items = tree.adjustments.atNode.get(node.code)?.lines[u] ?? [];
    // Said only where something was added for this unit: an adjustment child, or an item that applied.
    const adds = items.length > 0 || node.children.some((c) => nodes[c]!.adjustment);
    const extra = adds ? tree.extra[i]?.[u] : undefined;
    const marked = {
      ...(node.adjustment ? { adjustment: true as const } : {}),
      ...(items.length > 0 ? { adjustments: items } : {}),
    };
    if (k !== undefined) {
      const e = tree.leafScores[k]!.explain(u);
      const own = tree.leafScores[k]!.points[u] as number;
      const rated = node.adjustment ? asAdjustment(e.text, own, node.points) : e.text;
      const breach = breachOf.get(node.code);
      const text = breach ? withBreach(rated, breach) : rated;
      return {
        node: node.code,
        name: node.name,
        points,
        max: node.points,
        rule: node.rule!,
        inputs: e.inputs,
        text: extra === undefined ? text : withItems(text, items, points),
        ...marked,
      };
    }
    const how = node.combine === "sum" ? sumText() : weightedText(node, nodes, tree.nodeScores, u);
    const outside = extra === undefined ? null : outsideText(node, nodes, tree.nodeScores, items, u);
    return {
      node: node.code,
      name: node.name,
      points,
      max: node.points,
      text: outside
        ? {
            "zh-CN": `${how.zh}，为 ${pts(points - extra!)} 分；${outside.zh}，得 ${pts(points)} 分（满分 ${pts(node.points)} 分，加减分不计入满分）`,
            en: `${how.en}: ${pts(points - extra!)} points; ${outside.en}: ${pts(points)} of ${pts(node.points)} points (adjustments outside full marks)`,
          }
        : {
            "zh-CN": `${how.zh}，得 ${pts(points)} 分（满分 ${pts(node.points)} 分）`,
            en: `${how.en}: ${pts(points)} of ${pts(node.points)} points`,
          },
      children: node.children.map((c) => traceOf(c, u)),
      ...marked,
    };
  };
  const explained =
    options.explain === undefined || options.explain === "all" ? null : new Set(options.explain);
  const unitResults: UnitResult[] = plan.units.map((unit, u) => {
    const c = structure.categoryOf[u] as number;
    const leafMissing = leaves
      .filter((i) => tree.leafScores[leafPosition.get(i)!]!.missing[u])
      .map((i) => nodes[i]!.code);
    return {
      unit: unit.code,
      name: unit.name,
      category: c === -1 ? null : (structure.categories[c] as string),
      categoryName: c === -1 ? null : (plan.categories[c]!.name as string),
      base: base[u] as number,
      bonus: adjustments.bonus[u] as number,
      penalty: adjustments.penalty[u] as number,
      total: totals[u] as number,
      rank: Number.isNaN(g.rank[u]) ? null : (g.rank[u] as number),
      rankOf: Number.isNaN(g.rankOf[u]) ? null : (g.rankOf[u] as number),
      ...(plan.offices ? { office: unitOffice(plan, structure, g, u) } : {}),
      gradeByRules: g.gradeByRules[u] ?? null,
      grade: g.grade[u] ?? null,
      override: g.override[u] ?? null,
      titles: g.titles[u]!,
      vetoes: adjustments.vetoes[u]!,
      failedMust: failedMustCodes[u]!,
      missing: leafMissing,
      scores: Object.fromEntries(nodes.map((node, i) => [node.code, tree.nodeScores[i]![u] as number])),
      trace: explained && !explained.has(unit.code) ? [] : roots.map((r) => traceOf(r, u)),
      adjustments: adjustments.lines[u]!,
      gradeReasons: g.reasons[u]!,
    };
  });
  return ok({
    engineVersion: ENGINE_VERSION,
    planId: plan.id,
    planVersion: plan.version ?? null,
    period: plan.period.key,
    inputHash: referenceRunHashes(plan, rows, options.overrides),
    nodes: nodes.map((node) => node.code),
    units: unitResults,
    quotas: g.quotas,
    warnings: tree.warnings,
    ...(tree.breaches.length > 0 ? { breaches: tree.breaches } : {}),
  });
}
