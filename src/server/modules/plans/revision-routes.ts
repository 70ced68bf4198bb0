import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { notFound } from "../../errors.js";
import { authorize } from "../../policies.js";
import { REVISION_REASON_MAX, type RevisionService } from "./revisions.js";
import { planDiffSchema, revisionItem } from "./schema.js";

export { planDiffSchema };

/**
 * A version number in a path: any text, read after the role check (so a caller without the role gets
 * 403, never a validation error); one that is not a version number is a version the plan does not have.
 */
const versionNumber = z.string().describe("a version number: 1, 2, …");
const numberOf = (text: string) => {
  if (!/^[1-9][0-9]{0,8}$/.test(text))
    throw notFound(`方案没有第 ${text} 版`, `the plan has no version ${text}`);
  return Number(text);
};

const status = z.enum(["draft", "published", "frozen"]);
const carried = z.object({
  values: z.number(),
  evidence: z.number(),
  marks: z.number(),
  claims: z.number(),
  targetAdjustments: z.number(),
  reopenings: z.number(),
  spotChecks: z.number(),
  reReview: z.number(),
  leftBehind: z.number(),
});

/** /api/v1/plans/:planId/revisions: the office revises a plan in force (方案修订); its history and diffs. */
export const revisionRoutes =
  (revisions: RevisionService): FastifyPluginAsyncZod =>
  async (app) => {
    const params = z.object({ planId: z.uuid() });

    app.post(
      "/plans/:planId/revisions",
      {
        schema: {
          tags: ["plans"],
          summary: "Revise the plan: a new version with a reason, its year's data carried over",
          params,
          body: z.object({
            document: z.unknown(),
            reason: z
              .string()
              .trim()
              .min(1)
              .max(REVISION_REASON_MAX)
              .refine((s) => !s.includes("\u0000"), "no NUL characters")
              .describe(`why the plan is revised (修订理由), at most ${REVISION_REASON_MAX} characters`),
            baseVersion: z
              .number()
              .int()
              .positive()
              .optional()
              .describe("the version the revision was made from: 409 if the plan has moved on since"),
          }),
          response: {
            201: z.object({
              planId: z.string(),
              code: z.string(),
              name: z.string(),
              version: z.number(),
              status,
              units: z.array(z.string()),
              reason: z.string(),
              carried,
              diff: planDiffSchema,
            }),
          },
        },
      },
      async (request, reply) => {
        authorize(request, "plans.revise");
        const revised = await revisions.revise({
          planId: request.params.planId,
          input: request.body,
          actor: actorOf(request),
        });
        return reply.status(201).send(revised);
      },
    );

    app.get(
      "/plans/:planId/revisions",
      {
        schema: {
          tags: ["plans"],
          summary: "Every version of the plan with its reason, author, time and diff from the one before",
          params,
          response: {
            200: z.object({
              items: z.array(revisionItem),
            }),
          },
        },
      },
      async (request) => {
        authorize(request, "plans.history");
        return { items: await revisions.list(request.params.planId) };
      },
    );

    app.get(
      "/plans/:planId/versions/:a/diff/:b",
      {
        schema: {
          tags: ["plans"],
          summary: "What changed from version a to version b: tree, rules, targets, units",
          params: params.extend({
            a: versionNumber,
            b: versionNumber,
          }),
          response: { 200: planDiffSchema },
        },
      },
      async (request) => {
        authorize(request, "plans.history");
        const { planId, a, b } = request.params;
        return revisions.diff(planId, numberOf(a), numberOf(b));
      },
    );

    app.get(
      "/plans/:planId/versions/:version/left-behind",
      {
        schema: {
          tags: ["plans"],
          summary:
            "Values stored under a version that the next version did not carry over (kept, not scored)",
          params: params.extend({ version: versionNumber }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  unit: z.string(),
                  indicator: z.string(),
                  period: z.string(),
                  value: z.number(),
                  note: z.string().nullable(),
                  status: z.string(),
                  revision: z.number(),
                  updatedAt: z.string(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        authorize(request, "plans.history");
        return { items: await revisions.leftBehind(request.params.planId, numberOf(request.params.version)) };
      },
    );
  };
