import type { Plan } from "../../../engine/index.js";
import type { Problem } from "./check";
import { firstFreeCode } from "./codes";

/** The plan's lists edited as tables: 加分项, 扣分项, 一票否决, 称号. */
export const ITEM_PARTS = ["bonus", "penalties", "vetoes", "titles"] as const;
export type ItemPart = (typeof ITEM_PARTS)[number];
export type Row<P extends ItemPart> = NonNullable<Plan[P]>[number];

/** A row's fields patched; a field set to undefined leaves the row (the document omits it). */
export function patchRow<T extends object>(row: T, patch: Partial<T>): T {
  const next = { ...row } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  return next as T;
}

/** The list with row i patched; an emptied list is undefined. */
export function updateRow<T extends object>(
  list: readonly T[] | undefined,
  i: number,
  patch: Partial<T>,
): T[] {
  return (list ?? []).map((r, k) => (k === i ? patchRow(r, patch) : r));
}

/** The list without row i; undefined once empty (the document then omits the part). */
export function removeRow<T>(list: readonly T[] | undefined, i: number): T[] | undefined {
  const next = (list ?? []).filter((_, k) => k !== i);
  return next.length > 0 ? next : undefined;
}

/** Every code a new bonus, penalty or veto must not take: the indicators' and the items'. */
function usedCodes(plan: Plan): Set<string> {
  const used = new Set<string>();
  const walk = (list: Plan["indicators"]) => {
    for (const n of list) {
      used.add(n.code);
      if (n.children) walk(n.children);
    }
  };
  walk(plan.indicators);
  for (const part of ITEM_PARTS) for (const r of plan[part] ?? []) used.add(r.code);
  return used;
}

/** The first free code `prefix1`, `prefix2`, … in the plan. */
export function freeItemCode(plan: Plan, prefix: string): string {
  return firstFreeCode(usedCodes(plan), prefix);
}

/** A new row of each part, valid as it stands (the office then names it). */
export function newRow<P extends ItemPart>(plan: Plan, part: P): Row<P> {
  const rows = {
    bonus: () => ({ code: freeItemCode(plan, "B"), name: "新加分项", levels: { 省级: 1 } }),
    penalties: () => ({ code: freeItemCode(plan, "P"), name: "新扣分项", perOccurrence: 1 }),
    vetoes: () => ({ code: freeItemCode(plan, "V"), name: "新否决项" }),
    titles: () => ({
      code: firstFreeCode(new Set((plan.titles ?? []).map((t) => t.code)), "T"),
      name: "新称号",
      top: 1,
    }),
  };
  return rows[part]() as Row<P>;
}

/** The list with a new row at its end. */
export function addRow<P extends ItemPart>(plan: Plan, part: P): Row<P>[] {
  return [...((plan[part] ?? []) as Row<P>[]), newRow(plan, part)];
}

/** 加分标准 levels written "国家级 3，省级 2" (a name and its points, pairs by commas). */
export function levelsText(levels: Record<string, number>): string {
  return Object.entries(levels)
    .map(([k, v]) => `${k} ${v}`)
    .join("，");
}

/**
 * The text of `levelsText` read back: the record, or the pair that is not "name points". An empty text
 * is an empty record (the schema then refuses nothing: a bonus with no levels gives no points).
 */
export function parseLevels(
  text: string,
): { ok: true; levels: Record<string, number> } | { ok: false; bad: string } {
  const levels: Record<string, number> = {};
  for (const pair of text
    .split(/[,，;；\n]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "")) {
    const m = /^(.+?)\s*[:：=\s]\s*(-?\d+(?:\.\d+)?)$/.exec(pair);
    if (!m || Number(m[2]) < 0) return { ok: false, bad: pair };
    levels[m[1]!.trim()] = Number(m[2]);
  }
  return { ok: true, levels };
}

/**
 * The problems on row i of a part: the schema's under its path (`bonus[0].levels…`), the engine's
 * naming the row's code, or (a bonus or penalty) that the node it points at does not exist.
 */
export function rowProblems(
  problems: readonly Problem[],
  part: ItemPart,
  i: number,
  row: { code: string; node?: string | undefined },
): Problem[] {
  const at = `${part}[${i}]`;
  return problems.filter(
    (p) =>
      (p.path !== null && (p.path === at || p.path.startsWith(`${at}.`) || p.path.startsWith(`${at}[`))) ||
      (p.path === null &&
        p.indicator !== null &&
        (p.indicator === row.code ||
          // Of the node it adjusts, only that the node does not exist: its other faults are the node's own.
          (row.node !== undefined && p.indicator === row.node && p.code === "UNKNOWN_INDICATOR"))),
  );
}
