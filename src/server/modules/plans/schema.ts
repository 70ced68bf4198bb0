import { z } from "zod";

/** A plan as lists show it (the routes validate with it; the web app takes its type). */
export const planView = z.object({
  planId: z.string(),
  code: z.string(),
  name: z.string(),
  version: z.number(),
  status: z.enum(["draft", "published", "frozen"]),
  units: z.array(z.string()),
});
export type PlanView = z.infer<typeof planView>;
export type PlanList = { items: PlanView[] };

/** GET /plans/:planId: the current version, its deadline and reporting state, and its document. */
export const planDetail = planView.extend({
  deadline: z.string().nullable().describe("The reporting deadline, if set"),
  reporting: z
    .object({
      open: z.boolean(),
      closedBy: z.enum(["PLAN_DRAFT", "PLAN_FROZEN", "DEADLINE_PASSED"]).nullable(),
      reopenedUntil: z.string().nullable(),
    })
    .describe(
      "Whether reporting is open now: for a unit's own people, for their unit (its reopening included); for the others, for the plan",
    ),
  document: z.unknown(),
});
export type PlanDetail = z.infer<typeof planDetail>;
