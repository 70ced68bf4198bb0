import { type EngineError, engineError, fail, ok, type Result } from "./errors.js";

/** One node of the indicator tree: an indicator (level 1) or an aggregate above it. */
export interface IndicatorNode {
  code: string;
  name: string;
  /** 1 = indicator; each aggregate sits exactly one level above its children. */
  level: number;
  parent: string | null;
  /** +1 higher is better, -1 lower is better. Only used at level 1. */
  direction: 1 | -1;
  weight: number;
  unit?: string;
  target?: number;
  /** Code of the denominator column this indicator is divided by. */
  denominator?: string;
}

/** A validated indicator tree with the lookups every step needs. */
export interface Framework {
  readonly nodes: readonly IndicatorNode[];
  readonly byCode: ReadonlyMap<string, IndicatorNode>;
  /** Level-1 codes, in input order. */
  readonly indicators: readonly string[];
  /** codesByLevel[l - 1] = codes at level l, in input order. */
  readonly codesByLevel: readonly (readonly string[])[];
  readonly childrenOf: ReadonlyMap<string, readonly string[]>;
  readonly maxLevel: number;
}

const err = (code: string, indicator: string, zh: string, en: string): EngineError =>
  engineError(code, zh, en, { indicator });

/**
 * Validates nodes into a framework: unique codes, known parents one level up, no cycles, and every
 * aggregate has children. Errors name the offending code.
 */
export function buildFramework(nodes: readonly IndicatorNode[]): Result<Framework> {
  const byCode = new Map<string, IndicatorNode>();
  for (const node of nodes) {
    if (byCode.has(node.code)) {
      return fail(
        err("DUPLICATE_CODE", node.code, `指标代码 ${node.code} 重复`, `duplicate code ${node.code}`),
      );
    }
    if (!Number.isInteger(node.level) || node.level < 1) {
      return fail(
        err(
          "BAD_LEVEL",
          node.code,
          `${node.code} 的层级必须是不小于 1 的整数`,
          `level of ${node.code} must be an integer >= 1`,
        ),
      );
    }
    if (!(Number.isFinite(node.weight) && node.weight >= 0)) {
      return fail(
        err(
          "BAD_WEIGHT",
          node.code,
          `${node.code} 的权重必须是非负数`,
          `weight of ${node.code} must be a non-negative number`,
        ),
      );
    }
    byCode.set(node.code, node);
  }
  for (const node of nodes) {
    const cycle = findCycle(node, byCode);
    if (cycle) {
      return fail(
        err(
          "CYCLE",
          node.code,
          `指标树有环：${cycle.join(" → ")}`,
          `cycle in the tree: ${cycle.join(" -> ")}`,
        ),
      );
    }
  }
  const maxLevel = Math.max(...nodes.map((n) => n.level));
  const childrenOf = new Map<string, string[]>();
  for (const node of nodes) {
    if (node.parent === null) {
      if (node.level !== maxLevel) {
        return fail(
          err(
            "MISSING_PARENT",
            node.code,
            `${node.code}（第 ${node.level} 层）没有上级指标`,
            `${node.code} (level ${node.level}) has no parent`,
          ),
        );
      }
      continue;
    }
    const parent = byCode.get(node.parent);
    if (!parent) {
      return fail(
        err(
          "UNKNOWN_PARENT",
          node.code,
          `${node.code} 的上级指标 ${node.parent} 不存在`,
          `parent ${node.parent} of ${node.code} does not exist`,
        ),
      );
    }
    if (parent.level !== node.level + 1) {
      return fail(
        err(
          "PARENT_LEVEL",
          node.code,
          `${node.code}（第 ${node.level} 层）的上级 ${parent.code} 应在第 ${node.level + 1} 层，实为第 ${parent.level} 层`,
          `parent ${parent.code} of ${node.code} (level ${node.level}) must be at level ${node.level + 1}, not ${parent.level}`,
        ),
      );
    }
    const siblings = childrenOf.get(parent.code) ?? [];
    siblings.push(node.code);
    childrenOf.set(parent.code, siblings);
  }
  for (const node of nodes) {
    if (node.level > 1 && !childrenOf.has(node.code)) {
      return fail(
        err(
          "EMPTY_AGGREGATE",
          node.code,
          `汇总指标 ${node.code} 没有下级指标`,
          `aggregate ${node.code} has no children`,
        ),
      );
    }
  }
  const codesByLevel: string[][] = Array.from({ length: maxLevel }, () => []);
  for (const node of nodes) codesByLevel[node.level - 1]?.push(node.code);
  return ok({
    nodes,
    byCode,
    indicators: codesByLevel[0] ?? [],
    codesByLevel,
    childrenOf,
    maxLevel,
  });
}

function findCycle(start: IndicatorNode, byCode: ReadonlyMap<string, IndicatorNode>): string[] | null {
  const path = [start.code];
  let node: IndicatorNode | undefined = start;
  while (node?.parent != null) {
    if (node.parent === start.code) return [...path, start.code];
    if (path.includes(node.parent)) return null; // a cycle not through start: reported from its own node
    path.push(node.parent);
    node = byCode.get(node.parent);
  }
  return null;
}

/** All codes in output order: indicators first, then each aggregate level. */
export function allCodes(framework: Framework): string[] {
  return framework.codesByLevel.flat();
}

/** Weight lookup: a weight set overrides the framework's own weights for the codes it names. */
export type WeightSet = ReadonlyMap<string, number>;

export function weightOf(framework: Framework, code: string, weights?: WeightSet): number {
  return weights?.get(code) ?? framework.byCode.get(code)?.weight ?? 0;
}

/**
 * Effective weight of every node: its weight share among its siblings times its parent's effective
 * weight, so the indicators' effective weights sum to 1 (COINr's get_eff_weights).
 */
export function effectiveWeights(framework: Framework, weights?: WeightSet): Map<string, number> {
  const out = new Map<string, number>();
  const top = framework.codesByLevel[framework.maxLevel - 1] ?? [];
  const share = (codes: readonly string[]) => {
    const total = codes.reduce((s, c) => s + weightOf(framework, c, weights), 0);
    return (code: string) => weightOf(framework, code, weights) / total;
  };
  const topShare = share(top);
  for (const code of top) out.set(code, topShare(code));
  for (let level = framework.maxLevel; level >= 2; level--) {
    for (const parent of framework.codesByLevel[level - 1] ?? []) {
      const children = framework.childrenOf.get(parent) ?? [];
      const childShare = share(children);
      for (const child of children) out.set(child, childShare(child) * (out.get(parent) ?? 0));
    }
  }
  return out;
}
