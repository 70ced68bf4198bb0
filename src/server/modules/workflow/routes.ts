import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Plan } from "../../../engine/index.js";
import { AppError, appError } from "../../errors.js";
import { authorize, authorizeReview } from "../../policies.js";
import { text, textLimits } from "../../schemas.js";
import type { EvidenceService } from "../evidence/service.js";
import { unitAccess } from "../plans/access.js";
import type { PlanService } from "../plans/service.js";
import type { ValueService } from "../values/service.js";
import type { WorkflowService } from "./service.js";

const unitParams = z.object({ planId: z.uuid(), unit: z.string().min(1) });

/** Deadlines and reopening (office), submission (unit leader), review (reviewers and the office). */
export const workflowRoutes =
  (deps: {
    plans: PlanService;
    workflow: WorkflowService;
    values: ValueService;
    evidence: EvidenceService;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    /** Values whose indicator asks for evidence cannot be submitted without at least one file. */
    const requireEvidence = async (planVersionId: string, plan: Plan, unit: string) => {
      const needs = new Set(
        plan.indicators.flatMap(function walk(n): string[] {
          return [...(n.evidence?.required ? [n.code] : []), ...(n.children ?? []).flatMap(walk)];
        }),
      );
      const pending = (await deps.values.list(planVersionId, unit)).filter(
        (v) => v.status === "draft" || v.status === "returned",
      );
      const covered = await deps.evidence.covered(planVersionId, unit);
      const missing = pending
        .filter((v) => needs.has(v.indicator) && !covered.has(`${v.indicator}\u0000${v.period}`))
        .map((v) => ({ indicator: v.indicator, period: v.period }))
        .sort((a, b) => a.indicator.localeCompare(b.indicator) || b.period.localeCompare(a.period));
      if (missing.length > 0) {
        const cell = (m: { indicator: string; period: string }) =>
          m.period === plan.period.key ? m.indicator : `${m.indicator}（${m.period}）`;
        throw new AppError(
          409,
          "EVIDENCE_MISSING",
          {
            "zh-CN": `以下数据须上传佐证材料后才能提交：${missing.map(cell).join("、")}`,
            en: `these values need evidence before submitting: ${missing.map(cell).join(", ")}`,
          },
          "evidence",
          { missing },
        );
      }
    };

    app.put(
      "/plans/:planId/deadline",
      {
        schema: {
          tags: ["workflow"],
          summary: "Set the reporting deadline",
          params: z.object({ planId: z.uuid() }),
          body: z.object({ deadline: z.iso.datetime({ offset: true }) }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "plans.schedule");
        const current = await deps.plans.current(request.params.planId);
        await deps.workflow.setDeadline(
          current.id,
          new Date(request.body.deadline),
          session.user,
          request.ip,
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/plans/:planId/units/:unit/reopen",
      {
        schema: {
          tags: ["workflow"],
          summary: "Reopen reporting for one unit after the deadline",
          params: unitParams,
          body: z.object({
            until: z.iso.datetime({ offset: true }),
            reason: text(textLimits.reopenReason).min(1),
          }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "plans.schedule");
        const current = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        await deps.workflow.reopen(
          current.id,
          request.params.unit,
          new Date(request.body.until),
          request.body.reason,
          session.user,
          request.ip,
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/plans/:planId/units/:unit/submit",
      {
        schema: {
          tags: ["workflow"],
          summary: "Submit the unit's values for review (unit leader)",
          params: unitParams,
          response: { 200: z.object({ submitted: z.number() }) },
        },
      },
      async (request) => {
        const session = authorize(request, "values.submit");
        const current = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        if (current.status !== "published")
          throw appError(409, "NOT_OPEN", "方案未处于填报阶段", "the plan is not open for reporting");
        if (!(await deps.workflow.reportingOpen(current, request.params.unit)))
          throw appError(409, "DEADLINE_PASSED", "已过填报截止时间", "the reporting deadline has passed");
        await requireEvidence(current.id, current.plan, request.params.unit);
        return {
          submitted: await deps.workflow.submit(current.id, request.params.unit, session.user, request.ip),
        };
      },
    );

    app.post(
      "/plans/:planId/units/:unit/review",
      {
        schema: {
          tags: ["workflow"],
          summary: "Approve or return one submitted value",
          params: unitParams,
          body: z.object({
            indicator: z.string().min(1),
            period: z.string().min(1),
            decision: z.enum(["approve", "return"]),
            reason: text(textLimits.returnReason).optional(),
          }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "values.review");
        const current = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const { decision, reason, ...cell } = request.body;
        const { structure } = current;
        const node = structure.byCode.get(cell.indicator);
        const lead = node === undefined ? undefined : structure.nodes[node]!.lead;
        authorizeReview(session, request.params.unit, lead);
        const actor = { ...session.user, office: session.user.roles.includes("office_staff") };
        await deps.workflow.review(
          current.id,
          request.params.unit,
          cell,
          decision,
          reason,
          actor,
          request.ip,
        );
        return reply.status(204).send(null);
      },
    );
  };
