import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { authorize } from "../../policies.js";
import type { PlanService } from "../plans/service.js";
import { scenarioBody, scenarioUpdate, scenarioView } from "./schema.js";
import type { ScenarioService } from "./service.js";

/** /api/v1/plans/:planId/scenarios: the office's what-if scenarios (模拟测算), never official. */
export const scenarioRoutes =
  (deps: { plans: PlanService; scenarios: ScenarioService }): FastifyPluginAsyncZod =>
  async (app) => {
    const params = z.object({ planId: z.uuid() });
    const one = params.extend({ scenarioId: z.uuid() });
    const tags = ["scenarios"];

    app.get(
      "/plans/:planId/scenarios",
      {
        schema: {
          tags,
          summary: "My scenarios of the plan and those shared with the office, newest first",
          params,
          response: { 200: z.object({ items: z.array(scenarioView) }) },
        },
      },
      async (request) => {
        authorize(request, "scenarios.use");
        await deps.plans.head(request.params.planId);
        return { items: await deps.scenarios.list(request.params.planId, actorOf(request)) };
      },
    );

    app.get(
      "/plans/:planId/scenarios/:scenarioId",
      { schema: { tags, summary: "One scenario", params: one, response: { 200: scenarioView } } },
      async (request) => {
        authorize(request, "scenarios.use");
        return deps.scenarios.get(request.params.planId, request.params.scenarioId, actorOf(request));
      },
    );

    app.post(
      "/plans/:planId/scenarios",
      {
        schema: {
          tags,
          summary: "Save a scenario of one of the plan's runs (checked by scoring it)",
          params,
          body: scenarioBody,
          response: { 201: scenarioView },
        },
      },
      async (request, reply) => {
        authorize(request, "scenarios.use");
        await deps.plans.head(request.params.planId);
        const saved = await deps.scenarios.create(request.params.planId, request.body, actorOf(request));
        return reply.status(201).send(saved);
      },
    );

    app.put(
      "/plans/:planId/scenarios/:scenarioId",
      {
        schema: {
          tags,
          summary: "Rename, change or share one's own scenario",
          params: one,
          body: scenarioUpdate,
          response: { 200: scenarioView },
        },
      },
      async (request) => {
        authorize(request, "scenarios.use");
        const { planId, scenarioId } = request.params;
        return deps.scenarios.update(planId, scenarioId, request.body, actorOf(request));
      },
    );

    app.delete(
      "/plans/:planId/scenarios/:scenarioId",
      {
        schema: { tags, summary: "Delete one's own scenario", params: one, response: { 204: z.null() } },
      },
      async (request, reply) => {
        authorize(request, "scenarios.use");
        await deps.scenarios.remove(request.params.planId, request.params.scenarioId, actorOf(request));
        return reply.status(204).send(null);
      },
    );
  };
