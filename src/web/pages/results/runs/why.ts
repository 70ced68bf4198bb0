import type { RunDiff, RunInputChange } from "../../../../server/modules/runs/schema.js";

/** Why a unit moved between two runs: its own inputs that changed, and whether the plan did for it. */
export interface MovedWhy {
  /** The unit's own values, marks and items that differ. */
  own: RunInputChange[];
  /** The plan as scored changed in a way that reaches this unit (its targets, its category) or every unit. */
  plan: boolean;
}

/** Whether the plan's diff reaches every unit (its tree, rules or other parts), not one unit's rows. */
const planWide = (p: RunDiff["inputs"]["plan"]) =>
  p.tree.added.length + p.tree.removed.length + p.tree.moved.length + p.tree.changed.length > 0 ||
  p.rules.length > 0 ||
  p.other.length > 0 ||
  p.units.added.length + p.units.removed.length > 0;

/** The reasons a moved unit's row gives (an empty `own` and no `plan`: it moved with other units). */
export function whyMoved(diff: RunDiff, unit: string): MovedWhy {
  const { inputs } = diff;
  const own = [...inputs.values, ...inputs.marks, ...inputs.items].filter((c) => c.unit === unit);
  const plan =
    planWide(inputs.plan) ||
    inputs.plan.targets.some((t) => t.unit === unit) ||
    inputs.plan.units.changed.some((c) => c.code === unit);
  return { own, plan };
}

/** A signed change of points, two decimals at most: "+1.5", "−0.25", "0". */
export function signed(delta: number): string {
  const r = Math.round(delta * 100) / 100;
  if (r === 0) return "0";
  return r > 0 ? `+${r}` : `−${-r}`;
}
