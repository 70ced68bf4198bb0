import { z } from "zod";

/**
 * Shapes of the runs API that the web app also reads (type-only imports): one definition for the
 * route's validation, its OpenAPI document and the client. The result itself is the engine's
 * ScoringRun (src/engine/plan/score.ts), declared here as unknown.
 */
export const runSummary = z.object({
  id: z.string(),
  inputHash: z.string(),
  engineVersion: z.string(),
  /** The plan version the run scored (its number: 1, 2… as in /plans/:planId/revisions). */
  planVersion: z.number(),
  createdAt: z.string(),
});
export type RunSummary = z.infer<typeof runSummary>;
export const runDetail = runSummary.extend({ result: z.unknown() });
export type RunDetail = z.infer<typeof runDetail>;
/** GET /plans/:planId/runs (one page; the route builds it with pagination's page()). */
export type RunPage = { items: RunSummary[]; total: number; page: number; pageSize: number };
/**
 * GET /plans/:planId/runs/:runId/units/:unit/explanation: how each of the unit's indicators scored
 * (the engine's NodeTrace list, texts in both languages), written on demand from the frozen inputs.
 */
export const unitExplanation = z.object({ unit: z.string(), trace: z.array(z.unknown()) });
export type UnitExplanation = z.infer<typeof unitExplanation>;
