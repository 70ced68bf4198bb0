import { type EngineError, engineError } from "../errors.js";

/**
 * The deepest indicator tree a plan may have. Real schemes have three or four levels (一级/二级/三级指标);
 * the bound keeps every recursive reader (the schema, the tree walk, canonical JSON for the input hash)
 * far from the call-stack limit, which a 3,000-level tree used to exceed (a 500 instead of a refusal).
 */
export const MAX_INDICATOR_DEPTH = 12;

/**
 * Refuses a plan document whose `indicators` tree nests deeper than MAX_INDICATOR_DEPTH, without
 * recursion (it runs before the schema, which would itself overflow). Anything that is not a tree of
 * objects with `children` arrays is left for the schema to describe.
 */
export function checkIndicatorDepth(document: unknown): EngineError | null {
  if (typeof document !== "object" || document === null) return null;
  const top = (document as { indicators?: unknown }).indicators;
  if (!Array.isArray(top)) return null;
  const stack: { node: unknown; depth: number; path: string }[] = top.map((node) => ({
    node,
    depth: 1,
    path: codeOf(node),
  }));
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (depth > MAX_INDICATOR_DEPTH) {
      // The path's first levels, then the node one level too deep: the message names it.
      const where = `${path} > … > ${codeOf(node)}`;
      return engineError(
        "PLAN_TOO_DEEP",
        `指标体系层级过深：超过 ${MAX_INDICATOR_DEPTH} 级（${where}）`,
        `the indicator tree is too deep: more than ${MAX_INDICATOR_DEPTH} levels (${where})`,
        { indicator: codeOf(node) },
      );
    }
    const children =
      typeof node === "object" && node !== null ? (node as { children?: unknown }).children : undefined;
    if (Array.isArray(children)) {
      for (const child of children) {
        stack.push({ node: child, depth: depth + 1, path: depth < 3 ? `${path} > ${codeOf(child)}` : path });
      }
    }
  }
  return null;
}

const codeOf = (node: unknown): string => {
  const code = typeof node === "object" && node !== null ? (node as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code.slice(0, 64) : "?";
};
