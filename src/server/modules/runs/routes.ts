import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { notFound } from "../../errors.js";
import { listQuery, page } from "../../pagination.js";
import { authorize, unitScope } from "../../policies.js";
import { planAccess } from "../plans/access.js";
import type { PlanService } from "../plans/service.js";
import type { HistoryService } from "./history.js";
import {
  planHistory,
  runDetail,
  runDiff,
  runInputs,
  runSummary as summary,
  unitExplanation,
} from "./schema.js";
import type { RunService } from "./service.js";

/** /api/v1/plans/:planId/runs: scoring on approved data, exact re-runs and diffs (the office). */
export const runRoutes =
  (deps: { plans: PlanService; runs: RunService; history: HistoryService }): FastifyPluginAsyncZod =>
  async (app) => {
    const params = z.object({ planId: z.uuid() });
    const runParams = z.object({ planId: z.uuid(), runId: z.uuid() });
    // A run of any version of the plan: the runs before a revision stay readable, re-runnable, comparable.
    const belongs = deps.runs.ofPlan;

    app.post(
      "/plans/:planId/runs",
      {
        schema: {
          tags: ["runs"],
          summary: "Score the approved data",
          params,
          response: { 201: z.object({ id: z.string(), inputHash: z.string(), result: z.unknown() }) },
        },
      },
      async (request, reply) => {
        const _session = authorize(request, "runs.manage");
        const current = await deps.plans.current(request.params.planId);
        return reply.status(201).send(
          await deps.runs.create({
            planVersionId: current.id,
            plan: current.plan,
            actor: actorOf(request),
          }),
        );
      },
    );

    app.get(
      "/plans/:planId/runs",
      {
        schema: {
          tags: ["runs"],
          summary: "Scoring runs, newest first (paged; filter by input hash)",
          params,
          querystring: listQuery(["createdAt"] as const, { defaultSort: "-createdAt" }),
          response: { 200: page(summary) },
        },
      },
      async (request) => {
        authorize(request, "runs.read");
        await deps.plans.head(request.params.planId);
        const runs = await deps.runs.list(request.params.planId, request.query);
        return { ...runs, items: runs.items.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
      },
    );

    app.get(
      "/plans/:planId/runs/:runId",
      {
        schema: {
          tags: ["runs"],
          summary: "A scoring run with its result (traces: see a unit's explanation)",
          params: runParams,
          querystring: z.object({
            office: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .describe("汇总部门: only the units this office of the plan collects"),
            category: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .describe("类别: only the units of this category (a province's run is read a city at a time)"),
            standalone: z
              .enum(["true"])
              .optional()
              .describe("单列: only the units in no category (with category: none)"),
            page: z.coerce
              .number()
              .int()
              .min(1)
              .max(100_000)
              .optional()
              .describe("of the units selected, this page"),
            pageSize: z.coerce.number().int().min(1).max(2000).optional().describe("units per page (100)"),
          }),
          response: { 200: runDetail },
        },
      },
      async (request) => {
        authorize(request, "runs.read");
        const { office, category, standalone, page, pageSize } = request.query;
        const run = await deps.runs.resultOfPlan(request.params.planId, request.params.runId, {
          office,
          category,
          standalone: standalone === "true" ? true : undefined,
          page,
          pageSize,
        });
        if (run.units.total === 0 && office !== undefined)
          throw notFound(
            `本次计分中没有由汇总部门 ${office} 汇总的单位`,
            `no unit of this run is collected by office ${office}`,
          );
        if (run.units.total === 0 && standalone !== undefined && category === undefined)
          throw notFound("本次计分中没有单列单位", "no unit of this run is in no category");
        if (run.units.total === 0 && category !== undefined)
          throw notFound(
            `本次计分中没有类别 ${category} 的单位`,
            `no unit of this run is in category ${category}`,
          );
        return {
          id: run.id,
          inputHash: run.inputHash,
          engineVersion: run.engineVersion,
          planVersion: run.planVersion,
          createdAt: run.createdAt.toISOString(),
          result: run.result,
          units: run.units,
        };
      },
    );

    app.get(
      "/plans/:planId/runs/:runId/inputs",
      {
        schema: {
          tags: ["runs"],
          summary:
            "A run's frozen inputs: the plan as scored and every unit's data (the what-if simulator's start)",
          params: runParams,
          response: { 200: runInputs },
        },
      },
      async (request, reply) => {
        authorize(request, "runs.inputs");
        const run = await belongs(request.params.planId, request.params.runId);
        // A run never changes: the browser keeps its inputs for as long as the session lasts.
        reply.header("Cache-Control", "private, max-age=3600");
        return {
          id: run.id,
          inputHash: run.inputHash,
          inputs: run.inputs as { plan: unknown; rows: unknown[] },
        };
      },
    );

    app.get(
      "/plans/:planId/runs/:runId/units/:unit/explanation",
      {
        schema: {
          tags: ["runs"],
          summary: "How one unit's points came about, indicator by indicator (scored again on demand)",
          params: runParams.extend({ unit: z.string().min(1).max(200) }),
          response: { 200: unitExplanation },
        },
      },
      async (request) => {
        authorize(request, "runs.read");
        await deps.runs.assertOfPlan(request.params.planId, request.params.runId);
        const result = await deps.runs.explain(request.params.runId, request.params.unit);
        return { unit: result.unit, trace: result.trace };
      },
    );

    app.post(
      "/plans/:planId/runs/:runId/rerun",
      {
        schema: {
          tags: ["runs"],
          summary: "Score a run's frozen inputs again and compare",
          params: runParams,
          response: { 200: z.object({ identical: z.boolean(), inputHash: z.string() }) },
        },
      },
      async (request) => {
        authorize(request, "runs.manage");
        await deps.runs.assertOfPlan(request.params.planId, request.params.runId);
        return deps.runs.rerun(request.params.runId);
      },
    );

    app.get(
      "/plans/:planId/runs/:runId/diff/:otherId",
      {
        schema: {
          tags: ["runs"],
          summary:
            "What changed from this run to another: inputs (values, marks, items, plan), totals, ranks, grades",
          params: runParams.extend({ otherId: z.uuid() }),
          response: {
            200: runDiff,
          },
        },
      },
      async (request) => {
        authorize(request, "runs.read");
        const from = await belongs(request.params.planId, request.params.runId);
        const to = await belongs(request.params.planId, request.params.otherId);
        return deps.runs.diff(from, to);
      },
    );

    app.get(
      "/plans/:planId/history",
      {
        schema: {
          tags: ["runs"],
          summary:
            "历年结果: per unit per year of the plan's series its total, rank and grade (a unit's people: their own unit, published years only)",
          params,
          response: { 200: planHistory },
        },
      },
      async (request) => {
        const session = authorize(request, "results.own");
        const current = await planAccess(deps.plans, session, request.params.planId);
        const scope = unitScope(session);
        return deps.history.history(
          {
            planId: request.params.planId,
            name: current.plan.name,
            period: current.plan.period.key,
            previous: current.plan.period.previous,
            units: current.plan.units.map((u) => u.code),
          },
          scope,
          scope !== "all",
        );
      },
    );
  };
