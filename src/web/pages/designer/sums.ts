import type { DesignerState } from "./state";

/** What the designer shows at a node: its points as resolved, and its children's sums against them. */
export interface NodeSum {
  /** 分值: written, or worked out from its weight and its parent's points; null when neither. */
  points: number | null;
  /** The node's points were worked out from its weight (not written). */
  derived: boolean;
  /** The counted children's (adjustments aside) points and weights added up; null for a leaf. */
  childPoints: number | null;
  childWeights: number | null;
  combine: "sum" | "weighted";
  /** A `sum` node whose children's points do not add up to its own (the engine's POINTS_DO_NOT_ADD_UP). */
  mismatch: boolean;
  /** A `weighted` node with a counted child without a weight (the engine's WEIGHT_REQUIRED). */
  weightMissing: boolean;
}

export interface TreeSums {
  nodes: Record<string, NodeSum>;
  /** The top-level indicators' points added up, and the plan's pointsTotal (a mismatch when both differ). */
  top: { points: number | null; total: number | null; mismatch: boolean };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Sums at every node, as the engine resolves points (structure.ts): children written with weights
 * alone share their parent's points by weight. Unlike the engine, which stops at the first fault, every
 * node is worked out, so each mismatch shows where it is.
 */
export function treeSums(s: DesignerState): TreeSums {
  const out: Record<string, NodeSum> = {};
  const counted = (keys: readonly string[]) => keys.filter((k) => !s.nodes[k]!.spec.adjustment);
  /** Resolves the points of `keys` (siblings) under a parent of `total` points (null: unknown). */
  const share = (keys: readonly string[], total: number | null) => {
    const own = counted(keys);
    const weightOnly = own.length > 0 && own.every((k) => s.nodes[k]!.spec.points === undefined);
    const weights = own.reduce((w, k) => w + (s.nodes[k]!.spec.weight ?? 0), 0);
    for (const k of keys) {
      const spec = s.nodes[k]!.spec;
      const derived = weightOnly && !spec.adjustment && spec.weight !== undefined && total !== null;
      const points =
        spec.points ?? (derived && weights > 0 ? ((total as number) * spec.weight!) / weights : null);
      visit(k, points, derived && spec.points === undefined);
    }
  };
  const visit = (key: string, points: number | null, derived: boolean) => {
    const node = s.nodes[key]!;
    const combine = node.spec.combine ?? "sum";
    const kids = node.children ?? [];
    if (kids.length > 0) share(kids, points);
    const own = counted(kids);
    const childPts = own.map((k) => out[k]!.points);
    const childPoints =
      kids.length === 0 || childPts.some((p) => p === null)
        ? null
        : childPts.reduce<number>((a, p) => a + (p as number), 0);
    const childWeights =
      kids.length === 0 ? null : own.reduce((w, k) => w + (s.nodes[k]!.spec.weight ?? 0), 0);
    out[key] = {
      points,
      derived,
      childPoints,
      childWeights,
      combine,
      mismatch:
        combine === "sum" &&
        kids.length > 0 &&
        points !== null &&
        (childPoints === null || !close(childPoints, points)),
      weightMissing: combine === "weighted" && own.some((k) => s.nodes[k]!.spec.weight === undefined),
    };
  };
  const total = s.plan.pointsTotal ?? null;
  share(s.roots, total);
  const tops = counted(s.roots).map((k) => out[k]!.points);
  const points = tops.some((p) => p === null) ? null : tops.reduce<number>((a, p) => a + (p as number), 0);
  return {
    nodes: out,
    top: { points, total, mismatch: total !== null && (points === null || !close(points, total)) },
  };
}
