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

const change = z.object({ before: z.unknown(), after: z.unknown() });
const node = z.object({ code: z.string(), name: z.string(), parent: z.string().nullable() });
const unit = z.object({ code: z.string(), name: z.string() });
/** The engine's PlanDiff (src/engine/plan/diff.ts), as the API declares it. */
export const planDiffSchema = z.object({
  same: z.boolean(),
  tree: z.object({
    added: z.array(node),
    removed: z.array(node),
    moved: z.array(z.object({ code: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
    changed: z.array(change.extend({ code: z.string(), field: z.string() })),
  }),
  rules: z.array(
    z.object({
      code: z.string(),
      typeBefore: z.string().nullable(),
      typeAfter: z.string().nullable(),
      parameters: z.array(change.extend({ path: z.string() })),
    }),
  ),
  targets: z.array(
    z.object({
      indicator: z.string(),
      unit: z.string(),
      before: z.number().nullable(),
      after: z.number().nullable(),
    }),
  ),
  units: z.object({
    added: z.array(unit),
    removed: z.array(unit),
    changed: z.array(change.extend({ code: z.string(), field: z.enum(["category", "name", "standalone"]) })),
  }),
  other: z.array(z.string()),
});

/** One version of a plan in GET /plans/:planId/revisions: its reason, author, time and diff from the one before. */
export const revisionItem = z.object({
  version: z.number(),
  status: z.enum(["draft", "published", "frozen"]),
  reason: z.string().nullable(),
  author: z.string().nullable(),
  createdAt: z.string(),
  diff: planDiffSchema.nullable(),
});
export type RevisionList = { items: z.infer<typeof revisionItem>[] };
