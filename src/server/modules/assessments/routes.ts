import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listQuery, page } from "../../pagination.js";
import { authorize, can, unitScope } from "../../policies.js";
import { text, textLimits } from "../../schemas.js";
import type { ClaimEvidenceService } from "../claims/evidence-service.js";
import type { ClaimFile } from "../claims/schema.js";
import { unitAccess } from "../plans/access.js";
import { assertPlanPeriod, type ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import { claimView as claim, claimBody, claimDecisionBody, claimStatus } from "./claims-schema.js";
import type { AssessmentService, Claim } from "./service.js";

const presentClaim = (c: Claim, files: ClaimFile[] = []) => ({
  id: c.id,
  unit: c.unitCode,
  item: c.item,
  level: c.level,
  ref: c.ref,
  value: c.value,
  note: c.note,
  status: c.status,
  decisionReason: c.decisionReason,
  evidence: files,
});
const unitParams = z.object({ planId: z.uuid(), unit: z.string().min(1) });

/** Reviewers' marks (评审打分) and bonus/penalty/veto items (加分/扣分/一票否决). */
export const assessmentRoutes =
  (deps: {
    plans: PlanService;
    assessments: AssessmentService;
    window: ReportingWindow;
    claimEvidence: ClaimEvidenceService;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    app.put(
      "/plans/:planId/units/:unit/marks",
      {
        schema: {
          tags: ["assessments"],
          summary: "Set my mark for one unit on an expert-marked indicator (reviewer)",
          params: unitParams,
          body: z.object({
            indicator: z.string().min(1),
            period: z.string().min(1),
            mark: z.number().finite(),
            note: text(textLimits.note).optional(),
          }),
          response: { 200: z.object({ id: z.string(), mark: z.number() }) },
        },
      },
      async (request) => {
        const session = authorize(request, "marks.write");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        deps.window.assertInForce(head);
        const { structure } = head;
        assertPlanPeriod(structure, request.body.period);
        const row = await deps.assessments.mark(
          head.id,
          structure,
          request.params.unit,
          request.body,
          session.user,
          request.ip,
        );
        return { id: row.id, mark: row.mark };
      },
    );

    app.get(
      "/plans/:planId/marks",
      {
        schema: {
          tags: ["assessments"],
          summary:
            "Reviewers' marks (paged; filter by unit, indicator or reviewer; sort by unit, indicator or time)",
          params: z.object({ planId: z.uuid() }),
          querystring: listQuery(["unit", "indicator", "markedAt"] as const, {
            filters: {
              unit: z.string().optional(),
              indicator: z.string().optional(),
              reviewer: z.uuid().optional(),
            },
          }),
          response: {
            200: page(
              z.object({
                unit: z.string(),
                indicator: z.string(),
                period: z.string(),
                reviewer: z.string(),
                mark: z.number(),
              }),
            ),
          },
        },
      },
      async (request) => {
        authorize(request, "marks.read");
        const head = await deps.plans.head(request.params.planId);
        const marks = await deps.assessments.marksPage(head.id, request.query);
        return {
          ...marks,
          items: marks.items.map((m) => ({
            unit: m.unitCode,
            indicator: m.indicator,
            period: m.period,
            reviewer: m.reviewerId,
            mark: m.mark,
          })),
        };
      },
    );

    app.post(
      "/plans/:planId/units/:unit/claims",
      {
        schema: {
          tags: ["assessments"],
          summary: "A bonus claim (unit leader or office), or a penalty or veto (office)",
          params: unitParams,
          body: claimBody,
          response: { 201: claim },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "claims.bonus");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const { plan } = head;
        // Who decides claims records them approved at once; penalties and vetoes only by their policy.
        const actor = {
          ...session.user,
          decides: can(session, "claims.decide"),
          penalises: can(session, "claims.penalty"),
        };
        // A unit's own claim is reporting (its window, deadline included); the office records while the plan is in force.
        if (actor.decides) deps.window.assertInForce(head);
        else await deps.window.assertUnitOpen(head, request.params.unit);
        return reply
          .status(201)
          .send(
            presentClaim(
              await deps.assessments.claim(
                head.id,
                plan,
                request.params.unit,
                request.body,
                actor,
                request.ip,
              ),
            ),
          );
      },
    );

    app.get(
      "/plans/:planId/claims",
      {
        schema: {
          tags: ["assessments"],
          summary:
            "Bonus, penalty and veto items; a unit sees its own (paged; filter by unit, item or status; sort by time, unit or item)",
          params: z.object({ planId: z.uuid() }),
          querystring: listQuery(["createdAt", "unit", "item"] as const, {
            filters: {
              unit: z.string().optional(),
              item: z.string().optional(),
              status: claimStatus.optional(),
            },
          }),
          response: { 200: page(claim) },
        },
      },
      async (request) => {
        const session = authorize(request, "claims.read");
        const head = await deps.plans.head(request.params.planId);
        const claims = await deps.assessments.claimsPage(head.id, unitScope(session), request.query);
        const files = await deps.claimEvidence.files(claims.items.map((c) => c.id));
        return { ...claims, items: claims.items.map((c) => presentClaim(c, files.get(c.id))) };
      },
    );

    app.post(
      "/plans/:planId/claims/:id/decide",
      {
        schema: {
          tags: ["assessments"],
          summary: "Approve or reject a unit's bonus claim, with the reason",
          params: z.object({ planId: z.uuid(), id: z.uuid() }),
          body: claimDecisionBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "claims.decide");
        const head = await deps.plans.head(request.params.planId);
        deps.window.assertInForce(head);
        await deps.assessments.decide(
          head.id,
          request.params.id,
          request.body.decision,
          request.body.reason,
          session.user,
          request.ip,
        );
        return reply.status(204).send(null);
      },
    );
  };
