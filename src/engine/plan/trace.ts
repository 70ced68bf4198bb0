/**
 * A unit's trace (how its points came about, node by node, in both languages), written on demand from
 * a run's scored columns: nothing here runs while a plan is scored.
 */
import type { Lang } from "../errors.js";
import type { AdjustmentLine } from "./adjustments.js";
import { asAdjustment, pct, pts, signed, val } from "./explain.js";
import type { NodeTrace, OfficialScores } from "./score.js";
import type { PlanNode } from "./structure.js";
import type { LeadBreach } from "./ties.js";

/**
 * How one unit's points came about, node by node from the top: written from the scored columns
 * when asked for (a run is a pure function of its inputs, so it is the same text every time).
 */
export function unitTrace(s: OfficialScores, u: number): NodeTrace[] {
  const { tree } = s;
  const { nodes, leaves, roots } = tree.structure;
  const leafPosition = new Map(leaves.map((i, k) => [i, k] as const));
  const breachOf = new Map(tree.breaches.map((b) => [b.indicator, b] as const));
  const traceOf = (i: number): NodeTrace => {
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
      children: node.children.map(traceOf),
      ...marked,
    };
  };
  return roots.map(traceOf);
}

export const sumText = () => ({ zh: "各项得分合计", en: "sum of its items" });

/** What a node gets outside its full marks: each adjustment child and each item on it, signed. */
export function outsideText(
  node: PlanNode,
  nodes: PlanNode[],
  scores: Float64Array[],
  items: readonly AdjustmentLine[],
  u: number,
) {
  const zh: string[] = [];
  const en: string[] = [];
  for (const c of node.children) {
    if (!nodes[c]!.adjustment) continue;
    const p = scores[c]![u] as number;
    zh.push(`${nodes[c]!.code} ${nodes[c]!.name} ${signed(p)} 分`);
    en.push(`${nodes[c]!.code} ${nodes[c]!.nameEn ?? nodes[c]!.name} ${signed(p)}`);
  }
  for (const line of items) {
    zh.push(line.text["zh-CN"]);
    en.push(line.text.en);
  }
  return { zh: `加减分：${zh.join("；")}`, en: `adjustments: ${en.join("; ")}` };
}

/** A leaf's rule sentence followed by the items on it and the points it then counts. */
export function withItems(text: Record<Lang, string>, items: readonly AdjustmentLine[], points: number) {
  return {
    "zh-CN": `${text["zh-CN"]}；${items.map((l) => l.text["zh-CN"]).join("；")}，本项计 ${pts(points)} 分（加减分不计入满分）`,
    en: `${text.en}; ${items.map((l) => l.text.en).join("; ")}: ${pts(points)} points (adjustments outside full marks)`,
  };
}

/**
 * A weighted parent's arithmetic: each child's share of its full marks times its weight, the weighted
 * mean of the shares, which the parent's points are multiplied by.
 */
export function weightedText(node: PlanNode, nodes: PlanNode[], scores: Float64Array[], u: number) {
  const wsum = node.counted.reduce((s, c) => s + nodes[c]!.weight, 0);
  let mean = 0;
  const zh: string[] = [];
  const en: string[] = [];
  for (const c of node.counted) {
    const child = nodes[c]!;
    const share = (scores[c]![u] as number) / child.points;
    mean += (share * child.weight) / wsum;
    zh.push(`${child.code} 得分率 ${pct(share)} × 权重 ${val(child.weight)}`);
    en.push(`${child.code} ${pct(share)} of full marks × weight ${val(child.weight)}`);
  }
  const divide = Math.abs(wsum - 1) < 1e-9 ? "" : ` ÷ 权重合计 ${val(wsum)}`;
  const divideEn = Math.abs(wsum - 1) < 1e-9 ? "" : ` ÷ weights' sum ${val(wsum)}`;
  const open = divide ? "（" : "";
  const close = divide ? "）" : "";
  return {
    zh: `按权重折算：${open}${zh.join(" + ")}${close}${divide} = ${pct(mean)}，乘以本项分值 ${pts(node.points)}`,
    en: `weighted mean of its items' shares: ${divide ? "(" : ""}${en.join(" + ")}${divide ? ")" : ""}${divideEn} = ${pct(mean)}, times its ${pts(node.points)} points`,
  };
}

/** A leaf's rule sentence followed by its lead department's breach (拉开档次). */
export function withBreach(text: Record<Lang, string>, breach: LeadBreach): Record<Lang, string> {
  return { "zh-CN": `${text["zh-CN"]}；${breach.message["zh-CN"]}`, en: `${text.en}; ${breach.message.en}` };
}
