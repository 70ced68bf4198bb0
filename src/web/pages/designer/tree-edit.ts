import type { IndicatorSpec } from "../../../engine/index.js";
import { firstFreeCode } from "./codes";
import { type DesignerState, type DesignNode, locate } from "./state";

/**
 * Editing the designer's indicator tree: pure functions from one state to the next (the page keeps
 * the history). A refused edit (a node into its own subtree) returns the state unchanged.
 */

const childrenOf = (s: DesignerState, parent: string | null): string[] =>
  parent === null ? s.roots : (s.nodes[parent]!.children ?? []);

function withChildren(s: DesignerState, parent: string | null, kids: string[]): DesignerState {
  if (parent === null) return { ...s, roots: kids };
  const node = s.nodes[parent]!;
  return { ...s, nodes: { ...s.nodes, [parent]: { ...node, children: kids.length > 0 ? kids : undefined } } };
}

/** Fields only a leaf carries: a node that gains children loses them (the engine refuses a rule on a parent). */
const LEAF_ONLY = [
  "rule",
  "values",
  "target",
  "dataType",
  "direction",
  "must",
  "noTies",
  "adjustment",
  "appliesTo",
] as const;

/** The node about to gain its first child, without its leaf-only fields. */
function stripLeaf(s: DesignerState, key: string): DesignerState {
  const node = s.nodes[key]!;
  const spec = { ...node.spec };
  for (const f of LEAF_ONLY) delete spec[f];
  return { ...s, nodes: { ...s.nodes, [key]: { ...node, spec } } };
}

/** A code not used in the tree yet: the prefix and the first free number. */
function freeCode(s: DesignerState, prefix: string): string {
  return firstFreeCode(new Set(Object.values(s.nodes).map((n) => n.spec.code)), prefix);
}

/** Adds a node as the last child of `parent` (null: a top-level indicator); its key is returned too. */
export function addNode(
  s: DesignerState,
  parent: string | null,
  spec?: Omit<IndicatorSpec, "children">,
): { state: DesignerState; key: string } {
  const key = `n${s.next}`;
  const parentCode = parent === null ? "" : s.nodes[parent]!.spec.code;
  const own = spec ?? {
    code: freeCode(s, parentCode ? `${parentCode}_` : "I"),
    name: "新指标",
    points: 10,
    target: 100,
    rule: { type: "completion" as const },
  };
  const node: DesignNode = { key, spec: own, children: undefined };
  let next: DesignerState = { ...s, next: s.next + 1, nodes: { ...s.nodes, [key]: node } };
  if (parent !== null && !s.nodes[parent]!.children) next = stripLeaf(next, parent);
  return { state: withChildren(next, parent, [...childrenOf(next, parent), key]), key };
}

/** Every key in the node's subtree, itself included. */
function subtree(s: DesignerState, key: string): string[] {
  return [key, ...(s.nodes[key]!.children ?? []).flatMap((k) => subtree(s, k))];
}

/** Removes a node and its subtree. A parent left with no children becomes a leaf (it needs a rule again). */
export function removeNode(s: DesignerState, key: string): DesignerState {
  const at = locate(s, key);
  if (!at) return s;
  const gone = new Set(subtree(s, key));
  const nodes = Object.fromEntries(Object.entries(s.nodes).filter(([k]) => !gone.has(k)));
  const kids = childrenOf(s, at.parent).filter((k) => k !== key);
  return withChildren({ ...s, nodes }, at.parent, kids);
}

/** Moves a node to `parent` at `index` (counted among the new siblings without it); never into itself. */
export function moveNode(s: DesignerState, key: string, parent: string | null, index: number): DesignerState {
  const at = locate(s, key);
  if (!at) return s;
  if (parent !== null && subtree(s, key).includes(parent)) return s;
  const removed = withChildren(
    s,
    at.parent,
    childrenOf(s, at.parent).filter((k) => k !== key),
  );
  const kids = [...childrenOf(removed, parent)];
  kids.splice(Math.max(0, Math.min(index, kids.length)), 0, key);
  const next = withChildren(removed, parent, kids);
  return parent !== null && !s.nodes[parent]!.children ? stripLeaf(next, parent) : next;
}

/** One place up or down among its siblings (keyboard users' reordering). */
export function shiftNode(s: DesignerState, key: string, by: -1 | 1): DesignerState {
  const at = locate(s, key);
  if (!at) return s;
  const to = at.index + by;
  if (to < 0 || to >= childrenOf(s, at.parent).length) return s;
  return moveNode(s, key, at.parent, to);
}

/** 降级: the node becomes the last child of the sibling before it. */
export function indentNode(s: DesignerState, key: string): DesignerState {
  const at = locate(s, key);
  if (!at || at.index === 0) return s;
  const before = childrenOf(s, at.parent)[at.index - 1]!;
  return moveNode(s, key, before, (s.nodes[before]!.children ?? []).length);
}

/** 升级: the node becomes the sibling after its parent. */
export function outdentNode(s: DesignerState, key: string): DesignerState {
  const at = locate(s, key);
  if (!at || at.parent === null) return s;
  const up = locate(s, at.parent)!;
  return moveNode(s, key, up.parent, up.index + 1);
}

/** Changes a node's own fields; a field set to undefined is removed (the document omits it). */
export function updateNode(
  s: DesignerState,
  key: string,
  patch: Partial<Omit<IndicatorSpec, "children">>,
): DesignerState {
  const node = s.nodes[key]!;
  const spec: Record<string, unknown> = { ...node.spec };
  for (const [f, v] of Object.entries(patch)) {
    if (v === undefined) delete spec[f];
    else spec[f] = v;
  }
  return { ...s, nodes: { ...s.nodes, [key]: { ...node, spec: spec as DesignNode["spec"] } } };
}

/**
 * antd Tree's drop: `dropKey` the node dropped on, `dropPosition` antd's (the drop node's index among
 * its siblings, -1 before it, +1 after it), `dropToGap` false when dropped onto the node itself (it
 * becomes its first child). Returns the move it means.
 */
export function dropMove(
  s: DesignerState,
  drop: { dragKey: string; dropKey: string; dropPosition: number; dropToGap: boolean },
): DesignerState {
  const { dragKey, dropKey } = drop;
  if (dragKey === dropKey) return s;
  if (!drop.dropToGap) return moveNode(s, dragKey, dropKey, 0);
  const at = locate(s, dropKey);
  if (!at) return s;
  // antd gives dropPosition as the drop node's position plus -1 (before) or +1 (after).
  const before = drop.dropPosition - at.index < 0;
  const siblings = childrenOf(s, at.parent).filter((k) => k !== dragKey);
  const target = siblings.indexOf(dropKey);
  return moveNode(s, dragKey, at.parent, before ? target : target + 1);
}
