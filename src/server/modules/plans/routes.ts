import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type CommandDeps, commandContext } from "../../actor.js";
import { notFound } from "../../errors.js";
import { authorize, can, inScope, unitScope } from "../../policies.js";
import { createPlan } from "./commands/create-plan.js";
import { freezePlan } from "./commands/freeze-plan.js";
import { publishPlan } from "./commands/publish-plan.js";
import type { ReportingWindow } from "./reporting-window.js";
import { planDetail, planView as view } from "./schema.js";
import type { PlanService } from "./service.js";

/** /api/v1/plans: the office creates and publishes plans; units see the published plans they are in. */
export const planRoutes =
  (plans: PlanService, window: ReportingWindow, env: CommandDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/plans",
      {
        schema: {
          tags: ["plans"],
          summary: "Create a plan from a kaohe-plan/1 document",
          body: z.object({ document: z.unknown() }),
          response: { 201: view },
        },
      },
      async (request, reply) => {
        authorize(request, "plans.manage");
        const created = await createPlan({
          ...commandContext(env, request),
          document: request.body.document,
        });
        return reply.status(201).send(created);
      },
    );

    app.get(
      "/plans",
      {
        schema: {
          tags: ["plans"],
          summary: "List the plans visible to me",
          response: { 200: z.object({ items: z.array(view) }) },
        },
      },
      async (request) => {
        const session = authorize(request, "plans.read");
        const scope = unitScope(session);
        const all = await plans.list();
        const office = can(session, "plans.drafts");
        return {
          items: all.filter(
            (p) =>
              (office || p.status !== "draft") && (scope === "all" || p.units.some((u) => inScope(scope, u))),
          ),
        };
      },
    );

    app.get(
      "/plans/:planId",
      {
        schema: {
          tags: ["plans"],
          summary: "A plan's current version and document",
          params: z.object({ planId: z.uuid() }),
          response: {
            200: planDetail,
          },
        },
      },
      async (request) => {
        const session = authorize(request, "plans.read");
        const current = await plans.current(request.params.planId);
        const scope = unitScope(session);
        const visible =
          can(session, "plans.drafts") ||
          (current.status !== "draft" && current.plan.units.some((u) => inScope(scope, u.code)));
        if (!visible) throw notFound("方案不存在", "plan not found");
        // A unit's people see their own unit's window; the office and reviewers see the plan's.
        const own = scope !== "all" && scope.length === 1 && current.structure.unitIndex.has(scope[0]!);
        const reporting = await window.state(current, own ? scope[0] : undefined);
        return {
          planId: current.planId,
          code: current.plan.id,
          name: current.plan.name,
          version: current.version,
          status: current.status,
          units: current.plan.units.map((u) => u.code),
          deadline: current.deadline ? current.deadline.toISOString() : null,
          reporting: {
            open: reporting.open,
            closedBy: reporting.closedBy,
            reopenedUntil: reporting.reopenedUntil,
          },
          document: current.plan,
        };
      },
    );

    app.post(
      "/plans/:planId/freeze",
      {
        schema: {
          tags: ["plans"],
          summary: "Freeze the plan: reporting ends, scoring inputs are fixed",
          params: z.object({ planId: z.uuid() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        authorize(request, "plans.manage");
        const version = await plans.head(request.params.planId);
        await freezePlan({ ...commandContext(env, request), planId: request.params.planId, version });
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/plans/:planId/publish",
      {
        schema: {
          tags: ["plans"],
          summary: "Publish the draft so units can report",
          params: z.object({ planId: z.uuid() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        authorize(request, "plans.manage");
        const version = await plans.head(request.params.planId);
        await publishPlan({ ...commandContext(env, request), planId: request.params.planId, version });
        return reply.status(204).send(null);
      },
    );
  };
