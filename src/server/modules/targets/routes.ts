import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { listQuery, page } from "../../pagination.js";
import { authorize, unitScope } from "../../policies.js";
import { planAccess, unitAccess } from "../plans/access.js";
import type { ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import {
  adjustmentStatus,
  targetAdjustment as item,
  targetDecisionBody,
  targetMatrix,
  targetRequestBody,
} from "./schema.js";
import type { TargetAdjustment, TargetService } from "./service.js";

const present = (a: TargetAdjustment) => ({
  id: a.id,
  unit: a.unitCode,
  indicator: a.indicator,
  original: a.original,
  requested: a.requested,
  reason: a.reason,
  status: a.status,
  decisionReason: a.decisionReason,
  requestedAt: a.requestedAt.toISOString(),
  decidedAt: a.decidedAt?.toISOString() ?? null,
});

/** 目标调整: a unit leader asks, the office decides; the original target stays in the plan. */
export const targetRoutes =
  (deps: { plans: PlanService; targets: TargetService; window: ReportingWindow }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/plans/:planId/units/:unit/target-adjustments",
      {
        schema: {
          tags: ["targets"],
          summary: "Ask to adjust one of the unit's targets (unit leader)",
          params: z.object({ planId: z.uuid(), unit: z.string().min(1) }),
          body: targetRequestBody,
          response: { 201: item },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "targets.request");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        await deps.window.assertUnitOpen(head, request.params.unit);
        const { structure } = head;
        const row = await deps.targets.request({
          planVersionId: head.id,
          structure,
          unit: request.params.unit,
          input: request.body,
          actor: actorOf(request),
        });
        return reply.status(201).send(present(row));
      },
    );

    app.get(
      "/plans/:planId/targets",
      {
        schema: {
          tags: ["targets"],
          summary:
            "The targets, units × indicators: baseline, original and current target, the pending request; the office sees all, a unit its own row",
          params: z.object({ planId: z.uuid() }),
          response: { 200: targetMatrix },
        },
      },
      async (request) => {
        const session = authorize(request, "targets.read");
        const head = await planAccess(deps.plans, session, request.params.planId);
        return deps.targets.matrix(head.id, head.structure, unitScope(session));
      },
    );

    app.get(
      "/plans/:planId/target-adjustments",
      {
        schema: {
          tags: ["targets"],
          summary:
            "Target adjustments; the office sees all, a unit its own (paged; filter by unit, indicator or status; sort by time, unit or indicator)",
          params: z.object({ planId: z.uuid() }),
          querystring: listQuery(["requestedAt", "unit", "indicator"] as const, {
            filters: {
              unit: z.string().optional(),
              indicator: z.string().optional(),
              status: adjustmentStatus.optional(),
            },
          }),
          response: { 200: page(item) },
        },
      },
      async (request) => {
        const session = authorize(request, "targets.read");
        const head = await deps.plans.head(request.params.planId);
        const adjustments = await deps.targets.list(head.id, unitScope(session), request.query);
        return { ...adjustments, items: adjustments.items.map(present) };
      },
    );

    app.post(
      "/plans/:planId/target-adjustments/:id/decide",
      {
        schema: {
          tags: ["targets"],
          summary: "Approve or reject a target adjustment, with the reason",
          params: z.object({ planId: z.uuid(), id: z.uuid() }),
          body: targetDecisionBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const _session = authorize(request, "targets.decide");
        const head = await deps.plans.head(request.params.planId);
        deps.window.assertInForce(head);
        await deps.targets.decide({
          planVersionId: head.id,
          id: request.params.id,
          decision: request.body.decision,
          reason: request.body.reason,
          actor: actorOf(request),
        });
        return reply.status(204).send(null);
      },
    );
  };
