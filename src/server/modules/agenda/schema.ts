import { z } from "zod";

/**
 * GET /me/agenda (the workbench's "what needs my action now"), shared with the web app (type-only
 * imports). Each plan carries only the sections the caller's roles act on or follow; the others are
 * null, so "none waiting" (0) and "not yours" (null) stay apart.
 */
const window = z.object({
  open: z.boolean(),
  closedBy: z.enum(["PLAN_DRAFT", "PLAN_FROZEN", "DEADLINE_PASSED"]).nullable(),
  deadline: z.string().nullable(),
  reopenedUntil: z.string().nullable().describe("The unit's own reopening (补报), for a unit's people"),
});

/** A unit's own values: cells to report, how many are still empty, and each status. */
const entry = z.object({
  expected: z.number().describe("Cells the unit reports (as in its template)"),
  empty: z.number().describe("Of those, cells with no value yet"),
  draft: z.number(),
  submitted: z.number(),
  returned: z.number(),
  approved: z.number(),
});

const returnedValue = z.object({
  indicator: z.string(),
  name: z.string().describe("The indicator's name in the plan"),
  nameEn: z.string().nullable(),
  period: z.string(),
  reason: z.string().nullable().describe("The reviewer's reason for returning it"),
  response: z.string().nullable().describe("The unit's answer, once it gave one"),
  updatedAt: z.string(),
});

const objectionItem = z.object({
  id: z.string(),
  publicationId: z.string(),
  unit: z.string(),
  status: z.enum(["open", "accepted", "rejected"]),
  reason: z.string(),
  resolution: z.string().nullable(),
  filedAt: z.string(),
  resolvedAt: z.string().nullable(),
});

export const agendaPlan = z.object({
  planId: z.string(),
  name: z.string(),
  version: z.number(),
  status: z.enum(["published", "frozen"]),
  unit: z.string().nullable().describe("The unit the counts are of (a unit's people); null: every unit"),
  window,
  entry: entry.nullable().describe("A unit's reporter and leader"),
  returned: z
    .object({ total: z.number(), items: z.array(returnedValue) })
    .nullable()
    .describe("A unit's returned values with the reasons, newest first (at most 10 listed)"),
  review: z
    .object({ submitted: z.number() })
    .nullable()
    .describe("Reviewers and the office: submitted values awaiting a review they may make"),
  objections: z
    .object({
      open: z.number(),
      /** The publication whose notice is running, if any: objections can be filed until noticeUntil. */
      notice: z.object({ publicationId: z.string(), noticeUntil: z.string() }).nullable(),
      publicationId: z.string().nullable().describe("The publication with the most open objections"),
      items: z.array(objectionItem).describe("A unit leader's own objections (the office: none listed)"),
    })
    .nullable(),
  targetAdjustments: z
    .object({ pending: z.number() })
    .nullable()
    .describe("Target adjustment requests awaiting the office's decision (a unit: its own)"),
  claims: z
    .object({ pending: z.number() })
    .nullable()
    .describe("Bonus claims awaiting the office's decision (a unit: its own)"),
});
export type AgendaPlan = z.infer<typeof agendaPlan>;

export const agendaReply = z.object({ items: z.array(agendaPlan) });
export type AgendaReply = z.infer<typeof agendaReply>;
