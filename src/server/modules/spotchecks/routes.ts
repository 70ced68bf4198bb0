import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { listQuery, page } from "../../pagination.js";
import { authorize } from "../../policies.js";
import type { PlanService } from "../plans/service.js";
import { check, drawBody, findingBody } from "./schema.js";
import type { SpotCheckService } from "./service.js";

type Drawn = Awaited<ReturnType<SpotCheckService["draw"]>>;
const present = ({ check: c, items }: Drawn) => ({
  id: c.id,
  seed: c.seed,
  size: c.size,
  drawnAt: c.drawnAt.toISOString(),
  items: items.map((i) => ({
    id: i.id,
    unit: i.unitCode,
    indicator: i.indicator,
    period: i.period,
    value: i.value,
    outcome: i.outcome,
    note: i.note,
  })),
});

/** /api/v1/plans/:planId/spot-checks: random spot checks (抽查) and their findings. */
export const spotCheckRoutes =
  (deps: { plans: PlanService; spotChecks: SpotCheckService }): FastifyPluginAsyncZod =>
  async (app) => {
    const params = z.object({ planId: z.uuid() });
    app.post(
      "/plans/:planId/spot-checks",
      {
        schema: {
          tags: ["spot checks"],
          summary: "Draw a random spot check (a seed may be given to redraw one)",
          params,
          body: drawBody,
          response: { 201: check },
        },
      },
      async (request, reply) => {
        authorize(request, "spotchecks.draw");
        const head = await deps.plans.head(request.params.planId);
        return reply.status(201).send(
          present(
            await deps.spotChecks.draw({
              planVersionId: head.id,
              size: request.body.size,
              seed: request.body.seed,
              actor: actorOf(request),
            }),
          ),
        );
      },
    );

    app.get(
      "/plans/:planId/spot-checks",
      {
        schema: {
          tags: ["spot checks"],
          summary: "Spot checks with their findings, newest first (paged)",
          params,
          querystring: listQuery(["drawnAt"] as const, { defaultSort: "-drawnAt" }),
          response: { 200: page(check) },
        },
      },
      async (request) => {
        authorize(request, "spotchecks.read");
        const head = await deps.plans.head(request.params.planId);
        const checks = await deps.spotChecks.list(head.id, request.query);
        return { ...checks, items: checks.items.map(present) };
      },
    );

    app.post(
      "/plans/:planId/spot-checks/:spotCheckId/items/:itemId",
      {
        schema: {
          tags: ["spot checks"],
          summary: "Record what checking one value found",
          params: params.extend({ spotCheckId: z.uuid(), itemId: z.uuid() }),
          body: findingBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        authorize(request, "spotchecks.record");
        await deps.plans.head(request.params.planId);
        await deps.spotChecks.record({
          planId: request.params.planId,
          spotCheckId: request.params.spotCheckId,
          itemId: request.params.itemId,
          outcome: request.body.outcome,
          note: request.body.note,
          actor: actorOf(request),
        });
        return reply.status(204).send(null);
      },
    );
  };
