import { z } from "zod";
import { text, textLimits } from "../../schemas.js";

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

export const statuses = ["draft", "submitted", "approved", "returned"] as const;

/** One row of GET /plans/:planId/review-queue. */
export const queueItem = z.object({
  unit: z.string(),
  indicator: z.string(),
  period: z.string(),
  value: z.number(),
  note: z.string().nullable(),
  status: z.enum(statuses),
  returnReason: z.string().nullable(),
  response: z.string().nullable(),
  revision: z.number(),
  updatedAt: z.string(),
  lead: z.string().nullable().describe("The indicator's lead department (牵头部门), if any"),
});

export type QueueItem = z.infer<typeof queueItem>;

/** POST /plans/:planId/units/:unit/review: approve or return (with the reason) one submitted value. */
export const reviewBody = z.object({
  indicator: z.string().min(1),
  period: z.string().min(1),
  decision: z.enum(["approve", "return"]),
  reason: text(textLimits.returnReason).optional(),
});
export type ReviewBody = z.infer<typeof reviewBody>;

/** POST /plans/:planId/review/approve: many submitted values, all or nothing. */
export const batchApproveBody = z.object({
  cells: z
    .array(z.object({ unit: z.string().min(1), indicator: z.string().min(1), period: z.string().min(1) }))
    .min(1)
    .max(1000),
});
export type BatchApproveBody = z.infer<typeof batchApproveBody>;
