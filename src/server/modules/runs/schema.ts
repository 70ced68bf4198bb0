import { z } from "zod";
import { planDiffSchema } from "../plans/schema.js";

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
export const runDetail = runSummary.extend({
  result: z.unknown(),
  units: z
    .object({ total: z.number(), page: z.number().nullable(), pageSize: z.number().nullable() })
    .describe("how many units the selection matched; the page of them the result holds"),
});
export type RunDetail = z.infer<typeof runDetail>;
/** GET /plans/:planId/runs (one page; the route builds it with pagination's page()). */
export type RunPage = { items: RunSummary[]; total: number; page: number; pageSize: number };
/**
 * GET /plans/:planId/runs/:runId/units/:unit/explanation: how each of the unit's indicators scored
 * (the engine's NodeTrace list, texts in both languages), written on demand from the frozen inputs.
 */
export const unitExplanation = z.object({ unit: z.string(), trace: z.array(z.unknown()) });

/** What a run scored (the engine's plan and data rows), for the what-if simulator to score again. */
export const runInputs = z.object({
  id: z.string(),
  inputHash: z.string(),
  inputs: z.object({ plan: z.unknown(), rows: z.array(z.unknown()) }),
});
export type RunInputsView = z.infer<typeof runInputs>;
export type UnitExplanation = z.infer<typeof unitExplanation>;

/** One input row that differs between two runs (a value, a reviewer's mark, an item's row); null: absent. */
export const runInputChange = z.object({
  kind: z.enum(["value", "mark", "item"]),
  unit: z.string(),
  indicator: z.string(),
  period: z.string(),
  level: z.string().optional(),
  ref: z.string().optional(),
  before: z.number().nullable(),
  after: z.number().nullable(),
  /** Present when the value's source (e.g. 上级通报位次) changed. */
  sourceBefore: z.string().nullable().optional(),
  sourceAfter: z.string().nullable().optional(),
});
export type RunInputChange = z.infer<typeof runInputChange>;

const runSide = z.object({ id: z.string(), planVersion: z.number(), inputHash: z.string() });

/**
 * GET /plans/:planId/runs/:runId/diff/:otherId: what changed from one run to the other, inputs then
 * results. `inputs.plan` is the engine's PlanDiff (src/engine/plan/diff.ts) of the plans as scored
 * (approved target adjustments applied).
 */
export const runDiff = z.object({
  from: runSide,
  to: runSide,
  inputs: z.object({
    /** The same input hash: nothing below can differ. */
    same: z.boolean(),
    planVersion: z.object({ before: z.number(), after: z.number() }).nullable(),
    values: z.array(runInputChange),
    marks: z.array(runInputChange),
    items: z.array(runInputChange),
    plan: planDiffSchema,
  }),
  units: z.array(
    z.object({
      unit: z.string(),
      name: z.string(),
      category: z.string().nullable(),
      totalBefore: z.number(),
      totalAfter: z.number(),
      rankBefore: z.number().nullable(),
      rankAfter: z.number().nullable(),
      gradeBefore: z.string().nullable(),
      gradeAfter: z.string().nullable(),
      /** The nodes (and leaves) whose points moved. */
      changed: z.array(z.string()),
    }),
  ),
});
export type RunDiff = z.infer<typeof runDiff>;

/** GET /plans/:planId/history: the plan's assessment series across years (runs/history.ts states the rule). */
export const planHistory = z.object({
  planId: z.string(),
  /** Each year of the series with a run in force, oldest first: its plan and which run that is. */
  years: z.array(
    z.object({
      period: z.string(),
      planId: z.string(),
      planName: z.string(),
      runId: z.string(),
      publicationId: z.string().nullable(),
      /** final: the published results are final; notice: under public notice; run: latest run, unpublished. */
      source: z.enum(["final", "notice", "run"]),
    }),
  ),
  /** Per unit the caller may see, its numbers in each year it was assessed (oldest first). */
  items: z.array(
    z.object({
      unit: z.string(),
      name: z.string(),
      years: z.array(
        z.object({
          period: z.string(),
          total: z.number(),
          rank: z.number().nullable(),
          rankOf: z.number().nullable(),
          category: z.string().nullable(),
          categoryName: z.string().nullable(),
          grade: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type PlanHistory = z.infer<typeof planHistory>;
