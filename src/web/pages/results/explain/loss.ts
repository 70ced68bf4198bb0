import type { NodeTrace } from "../../../../engine/index.js";

/** A unit of the same category as the one analysed, with its points per node (a run's, or as published). */
export interface Peer {
  unit: string;
  name: string;
  scores: Record<string, number>;
  /** Its total, where the viewer may read it (a run's; a publication's only if it shows totals). */
  total?: number;
}

/** One node of 失分分析: what the unit scored, what it lost against full marks and against its category's best. */
export interface NodeLoss {
  node: string;
  name: string;
  score: number;
  max: number;
  /** max − score, never below 0 (an over-achievement bonus loses nothing). */
  lostToFull: number;
  /** The category's highest points at this node, and who scored them; null without peers' numbers. */
  best: number | null;
  bestUnits: string[];
  /** best − score (0 for the best itself); null without peers' numbers. */
  lostToBest: number | null;
  /** 加减分: points outside full marks, so nothing is lost against them. */
  adjustment: boolean;
  children?: NodeLoss[];
}

/** Differences of cleaned scores (at most 9 decimals) read as people write them: 2.5, not 2.4999999999. */
const tidy = (x: number) => Math.round(x * 1e9) / 1e9;

/**
 * The unit's tree with the points it lost per node: from its trace (each node's points and full marks as
 * the engine resolved them) and, for the category's best, the peers' points at the same node. Adjustment
 * nodes (加减分) count no loss. Pure: the same numbers as the run, nothing scored again.
 */
export function lossTree(trace: readonly NodeTrace[], peers: readonly Peer[] | null): NodeLoss[] {
  return trace.map((t) => {
    const adjustment = t.adjustment === true;
    let best: number | null = null;
    let bestUnits: string[] = [];
    if (peers && !adjustment) {
      for (const p of peers) {
        const s = p.scores[t.node];
        if (s === undefined || !Number.isFinite(s)) continue;
        if (best === null || s > best + 1e-9) {
          best = s;
          bestUnits = [p.name];
        } else if (Math.abs(s - best) <= 1e-9) bestUnits.push(p.name);
      }
    }
    return {
      node: t.node,
      name: t.name,
      score: t.points,
      max: t.max,
      lostToFull: adjustment ? 0 : Math.max(0, tidy(t.max - t.points)),
      best,
      bestUnits,
      lostToBest: best === null ? null : Math.max(0, tidy(best - t.points)),
      adjustment,
      ...(t.children?.length ? { children: lossTree(t.children, peers) } : {}),
    };
  });
}

/** The leaves (scored indicators, adjustments left out) where the unit lost most, by `by`, largest first. */
export function largestLosses(
  tree: readonly NodeLoss[],
  by: "lostToFull" | "lostToBest",
  count = 3,
): NodeLoss[] {
  const leaves: NodeLoss[] = [];
  const walk = (nodes: readonly NodeLoss[]) => {
    for (const n of nodes) {
      if (n.children) walk(n.children);
      else if (!n.adjustment && (n[by] ?? 0) > 0) leaves.push(n);
    }
  };
  walk(tree);
  return leaves.sort((a, b) => (b[by] ?? 0) - (a[by] ?? 0) || a.node.localeCompare(b.node)).slice(0, count);
}

/** The peers of a unit: the units of its category (those ranked apart: only itself, as they are not compared). */
export function categoryPeers<U extends Peer & { category: string | null }>(
  units: readonly U[],
  unit: { unit: string; category: string | null },
): Peer[] {
  if (unit.category === null) return units.filter((u) => u.unit === unit.unit);
  return units.filter((u) => u.category === unit.category);
}
