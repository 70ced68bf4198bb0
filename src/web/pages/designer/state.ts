import type { IndicatorSpec, Plan } from "../../../engine/index.js";

/** One indicator in the designer: its own fields, and its children by key (undefined: a leaf). */
export interface DesignNode {
  key: string;
  spec: Omit<IndicatorSpec, "children">;
  children: string[] | undefined;
}

/**
 * The plan as the designer edits it: the indicator tree flattened to nodes by a stable key (a code may
 * be edited, a key never is), the rest of the document as it was.
 */
export interface DesignerState {
  plan: Omit<Plan, "indicators">;
  nodes: Record<string, DesignNode>;
  roots: string[];
  /** The next free key number. */
  next: number;
}

/** A plan document to the designer's state; `toPlan` gives the same document back. */
export function toDesigner(plan: Plan): DesignerState {
  const { indicators, ...rest } = plan;
  const nodes: Record<string, DesignNode> = {};
  let next = 1;
  const add = (spec: IndicatorSpec): string => {
    const key = `n${next++}`;
    const { children, ...own } = spec;
    nodes[key] = { key, spec: own, children: undefined };
    if (children !== undefined) nodes[key].children = children.map(add);
    return key;
  };
  const roots = indicators.map(add);
  return { plan: rest, nodes, roots, next };
}

/** The designer's state to a plan document (a node without children is a leaf, with no `children`). */
export function toPlan(state: DesignerState): Plan {
  const build = (key: string): IndicatorSpec => {
    const node = state.nodes[key]!;
    const kids = node.children ?? [];
    return kids.length > 0 ? { ...node.spec, children: kids.map(build) } : { ...node.spec };
  };
  return { ...state.plan, indicators: state.roots.map(build) };
}

/** Where a node sits: its parent's key (null: the top level) and its place among its siblings. */
export function locate(state: DesignerState, key: string): { parent: string | null; index: number } | null {
  const top = state.roots.indexOf(key);
  if (top >= 0) return { parent: null, index: top };
  for (const node of Object.values(state.nodes)) {
    const i = node.children?.indexOf(key) ?? -1;
    if (i >= 0) return { parent: node.key, index: i };
  }
  return null;
}

/** The node's key by its indicator code (codes may repeat while being edited: the first one). */
export function keyOfCode(state: DesignerState, code: string): string | undefined {
  const walk = (keys: readonly string[]): string | undefined => {
    for (const k of keys) {
      if (state.nodes[k]!.spec.code === code) return k;
      const found = walk(state.nodes[k]!.children ?? []);
      if (found) return found;
    }
    return undefined;
  };
  return walk(state.roots);
}

/** An empty plan to design from nothing. */
export function emptyPlan(id: string, name: string, period: string): Plan {
  return {
    format: "kaohe-plan/1",
    id,
    name,
    period: { key: period },
    units: [],
    categories: [],
    indicators: [{ code: "A", name: "一级指标", points: 100, target: 100, rule: { type: "completion" } }],
  };
}
