import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { forbidden } from "../../errors.js";
import { requestLang } from "../../lang.js";
import { requireSession } from "../../plugins/session.js";
import { authorize, can } from "../../policies.js";
import type { PlanService } from "../plans/service.js";
import type { RunService } from "../runs/service.js";
import { jobView } from "./schema.js";
import type { Job, JobService } from "./service.js";

export { jobView };
export const presentJob = (j: Job) => ({
  id: j.id,
  kind: j.kind,
  status: j.status,
  progress: j.progress,
  result: j.result,
  error: j.error,
});

/** Long work as jobs: start a scoring run or a sensitivity analysis, then poll its progress. */
export const jobRoutes =
  (deps: { plans: PlanService; runs: RunService; jobs: JobService }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/plans/:planId/jobs/score",
      {
        schema: {
          tags: ["jobs"],
          summary: "Score the approved data as a background job",
          params: z.object({ planId: z.uuid() }),
          response: { 202: jobView },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "runs.manage");
        await deps.plans.head(request.params.planId);
        const actor = actorOf(request);
        return reply
          .status(202)
          .send(
            presentJob(
              await deps.jobs.enqueue(
                "score",
                { planId: request.params.planId, actor, lang: requestLang(request) },
                session.user.id,
              ),
            ),
          );
      },
    );

    app.post(
      "/plans/:planId/runs/:runId/sensitivity",
      {
        schema: {
          tags: ["jobs"],
          summary: "Analyse a run's sensitivity as a background job",
          params: z.object({ planId: z.uuid(), runId: z.uuid() }),
          body: z.object({
            runs: z.number().int().min(2).max(100_000).default(1000),
            seed: z.number().int().min(0).default(1),
            weights: z.number().min(0).max(0.99).default(0.25),
            drop: z.boolean().default(true),
            normalisers: z.boolean().default(false),
            aggregation: z.array(z.enum(["arithmetic", "geometric"])).optional(),
          }),
          response: { 202: jobView },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "runs.manage");
        await deps.plans.head(request.params.planId);
        await deps.runs.assertOfPlan(request.params.planId, request.params.runId);
        const { runs, seed, weights, drop, normalisers, aggregation } = request.body;
        const spec = {
          ...(weights > 0 ? { weights } : {}),
          drop,
          normalisers,
          ...(aggregation ? { aggregation } : {}),
        };
        const queued = await deps.jobs.enqueue(
          "sensitivity",
          { runId: request.params.runId, spec, runs, seed, lang: requestLang(request) },
          session.user.id,
        );
        return reply.status(202).send(presentJob(queued));
      },
    );

    app.get(
      "/jobs/:id",
      {
        schema: {
          tags: ["jobs"],
          summary: "A job's status, progress and result",
          params: z.object({ id: z.uuid() }),
          response: { 200: jobView },
        },
      },
      async (request) => {
        const session = requireSession(request);
        const j = await deps.jobs.get(request.params.id);
        if (j.createdBy !== session.user.id && !can(session, "jobs.readAll")) throw forbidden();
        return presentJob(j);
      },
    );
  };
