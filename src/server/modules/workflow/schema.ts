import { z } from "zod";

/**
 * Shapes of the workflow API that the web app also reads (type-only imports): one definition for the
 * route's validation, its OpenAPI document and the client.
 */
export const counts = z.object({
  expected: z.number().describe("Cells the unit reports (as in its template)"),
  entered: z.number(),
  draft: z.number(),
  submitted: z.number(),
  returned: z.number(),
  approved: z.number(),
  missingEvidence: z
    .number()
    .describe("Submitted or approved values whose indicator needs evidence and that have none"),
});

/** GET /plans/:planId/progress: every unit's values by status, and the reporting window. */
export const progressReply = z.object({
  deadline: z.string().nullable(),
  reporting: z.object({
    open: z.boolean(),
    closedBy: z.enum(["PLAN_DRAFT", "PLAN_FROZEN", "DEADLINE_PASSED"]).nullable(),
  }),
  units: z.array(
    counts.extend({
      unit: z.string(),
      name: z.string(),
      open: z.boolean(),
      reopenedUntil: z.string().nullable(),
    }),
  ),
  totals: counts,
});
export type ProgressReply = z.infer<typeof progressReply>;
