import type { Plan, UnitResult } from "../../../../engine/index.js";

/**
 * The place for a unit's explanation (the analysis issue): each indicator's trace (texts in both
 * languages: a publication's in `result.trace`, a run's from GET …/runs/:runId/units/:unit/explanation,
 * as runs no longer store them), run diffs, charts and what-if. It gets everything it needs here: the
 * plan, the unit's full result and, for the office, the run it comes from. Nothing is shown until
 * that feature fills it in, so the unit's page stays calm rather than promising what is not there.
 */
export function ExplanationSlot(_props: { plan: Plan | undefined; result: UnitResult; runId?: string }) {
  return null;
}
