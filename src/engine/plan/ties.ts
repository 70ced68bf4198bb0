import type { EngineWarning, Lang } from "../errors.js";
import { cleanScore } from "./clean-score.js";
import { pts } from "./explain.js";
import type { LeafScore } from "./rules/index.js";
import type { PlanNode, PlanStructure } from "./structure.js";

/**
 * 拉开档次: a lead department that scores the units must not give two of them the same points on an
 * indicator marked `noTies`. A breach is the department's, recorded in the run with its consequence.
 */
export interface LeadBreach {
  code: "LEAD_TIED_SCORES";
  /** The lead department (牵头部门) that gave the tied scores. */
  lead: string;
  indicator: string;
  /** What the plan says (`noTies`) and what was done: a drop with no sibling left to rescale is flagged. */
  consequence: "drop" | "flag";
  applied: "drop" | "flag";
  /** Each set of units given the same points (units with data only), in plan order. */
  ties: { points: number; units: string[] }[];
  message: Record<Lang, string>;
}

/** Tied points (to 1e-9, as totals tie) among the units with data, grouped; none when all differ. */
function tiesOf(score: LeafScore, units: readonly string[]): { points: number; units: string[] }[] {
  const groups = new Map<number, string[]>();
  units.forEach((unit, u) => {
    if (score.missing[u]) return;
    const p = cleanScore(score.points[u] as number);
    const g = groups.get(p);
    if (g) g.push(unit);
    else groups.set(p, [unit]);
  });
  return [...groups.entries()].filter(([, g]) => g.length > 1).map(([points, g]) => ({ points, units: g }));
}

const tieText = (t: { points: number; units: string[] }, sep: string) =>
  `${t.units.join(sep)} ${pts(t.points)}`;

/**
 * Finds every `noTies` leaf whose lead department tied units, and which leaves leave their parent's
 * full marks (drop): never a parent's last counted child, which is flagged instead.
 */
export function findLeadBreaches(
  structure: PlanStructure,
  leafScores: readonly LeafScore[],
): { breaches: LeadBreach[]; dropped: Set<number> } {
  const { nodes, leaves, units } = structure;
  const breaches: LeadBreach[] = [];
  const dropped = new Set<number>();
  leaves.forEach((i, k) => {
    const node = nodes[i]!;
    const consequence = node.spec.noTies;
    if (!consequence) return;
    const ties = tiesOf(leafScores[k]!, units);
    if (ties.length === 0) return;
    const parent = nodes[node.parent]!;
    const left = parent.counted.filter((c) => c !== i && !dropped.has(c));
    const applied = consequence === "drop" && left.length > 0 ? "drop" : "flag";
    if (applied === "drop") dropped.add(i);
    breaches.push({
      code: "LEAD_TIED_SCORES",
      lead: node.lead!,
      indicator: node.code,
      consequence,
      applied,
      ties,
      message: breachMessage(node, parent, ties, consequence, applied),
    });
  });
  return { breaches, dropped };
}

function breachMessage(
  node: PlanNode,
  parent: PlanNode,
  ties: { points: number; units: string[] }[],
  consequence: "drop" | "flag",
  applied: "drop" | "flag",
): Record<Lang, string> {
  const zh = `牵头部门 ${node.lead} 对指标 ${node.code}（${node.name}）给出相同得分（${ties.map((t) => tieText(t, "、")).join("；")} 分），未拉开档次`;
  const en = `lead department ${node.lead} gave tied scores on indicator ${node.code} (${node.nameEn ?? node.name}): ${ties.map((t) => tieText(t, ", ")).join("; ")} points`;
  if (applied === "drop")
    return {
      "zh-CN": `${zh}：本项不计入年度总分，上级 ${parent.code} 按其余下级指标的得分率折算`,
      en: `${en}: the indicator leaves the annual total and its parent ${parent.code} is rescaled to its other items`,
    };
  const fallback = consequence === "drop";
  return {
    "zh-CN": `${zh}：提请考核办审定${fallback ? `（上级 ${parent.code} 无其他下级指标可折算，本项仍计分）` : ""}`,
    en: `${en}: flagged for the assessment office${fallback ? ` (its parent ${parent.code} has no other item to rescale to, so it still counts)` : ""}`,
  };
}

/** The office is told of every breach through the run's warnings as well. */
export const breachWarning = (b: LeadBreach): EngineWarning => ({
  code: b.code,
  indicator: b.indicator,
  message: b.message,
});

/**
 * The structure scored once drops are known: each parent that lost a leaf averages its other items'
 * shares weighted by their points (for a sum parent: its points × their points' share of theirs),
 * which is the rescaling; the dropped leaf stays in the tree (and its trace) but counts nowhere.
 */
export function withoutDropped(structure: PlanStructure, dropped: ReadonlySet<number>): PlanStructure {
  if (dropped.size === 0) return structure;
  const nodes = [...structure.nodes];
  for (const i of dropped) {
    const p = nodes[i]!.parent;
    const parent = nodes[p]!;
    nodes[p] = { ...parent, combine: "weighted", counted: parent.counted.filter((c) => !dropped.has(c)) };
  }
  return { ...structure, nodes };
}
