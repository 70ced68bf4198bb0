import type { Plan } from "../../../../engine/index.js";

/** One bonus, penalty or veto item of the plan, as the page lists and offers it. */
export interface CatalogItem {
  code: string;
  name: string;
  kind: "bonus" | "penalty" | "veto";
  /** A bonus item's points by level. */
  levels?: Record<string, number>;
}

/** The plan's items in the order the plan gives them: bonuses, penalties, vetoes. */
export function catalogOf(plan: Plan | undefined): CatalogItem[] {
  if (!plan) return [];
  return [
    ...(plan.bonus ?? []).map((b) => ({
      code: b.code,
      name: b.name,
      kind: "bonus" as const,
      levels: b.levels,
    })),
    ...(plan.penalties ?? []).map((p) => ({ code: p.code, name: p.name, kind: "penalty" as const })),
    ...(plan.vetoes ?? []).map((v) => ({ code: v.code, name: v.name, kind: "veto" as const })),
  ];
}

export const kindColor = { bonus: "green", penalty: "orange", veto: "red" } as const;
