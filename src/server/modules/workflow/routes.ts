import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { PlanStructure } from "../../../engine/index.js";
import { actorOf } from "../../actor.js";
import { AppError, notFound } from "../../errors.js";
import { listQuery, page } from "../../pagination.js";
import { authorize, authorizeReview } from "../../policies.js";
import { instant, text, textLimits } from "../../schemas.js";
import { planAccess, unitAccess } from "../plans/access.js";
import { type ReportingWindow, reportedCells } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import type { ReportedValue } from "../values/service.js";
import { batchApproveBody, progressReply, queueItem, reviewBody, statuses } from "./schema.js";
import { reviewLimits, type WorkflowService } from "./service.js";

const unitParams = z.object({ planId: z.uuid(), unit: z.string().min(1) });
const leadOf = (structure: PlanStructure, indicator: string) => {
  const k = structure.byCode.get(indicator);
  return k === undefined ? undefined : structure.nodes[k]!.lead;
};

/** Whether the session sees draft plans (the office). */
/** Deadlines and reopening (office), submission (unit leader), review (reviewers and the office). */
export const workflowRoutes =
  (deps: { plans: PlanService; workflow: WorkflowService; window: ReportingWindow }): FastifyPluginAsyncZod =>
  async (app) => {
    app.put(
      "/plans/:planId/deadline",
      {
        schema: {
          tags: ["workflow"],
          summary: "Set the reporting deadline",
          params: z.object({ planId: z.uuid() }),
          body: z.object({ deadline: instant() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        authorize(request, "plans.schedule");
        const current = await deps.plans.current(request.params.planId);
        await deps.workflow.setDeadline({
          planVersionId: current.id,
          deadline: new Date(request.body.deadline),
          actor: actorOf(request),
        });
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
            until: instant(),
            reason: text(textLimits.reopenReason).min(1),
          }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "plans.schedule");
        const current = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        await deps.workflow.reopen({
          planVersionId: current.id,
          unit: request.params.unit,
          until: new Date(request.body.until),
          reason: request.body.reason,
          actor: actorOf(request),
        });
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
        await deps.window.assertUnitOpen(current, request.params.unit);
        return {
          submitted: await deps.workflow.submit({
            planVersionId: current.id,
            structure: current.structure,
            unit: request.params.unit,
            actor: actorOf(request),
          }),
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
          body: reviewBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "values.review");
        const current = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const { decision, reason, ...cell } = request.body;
        const { structure } = current;
        authorizeReview(session, request.params.unit, leadOf(structure, cell.indicator));
        deps.window.assertInForce(current);
        await deps.workflow.review({
          planVersionId: current.id,
          structure,
          unit: request.params.unit,
          cell,
          decision,
          reason,
          actor: actorOf(request),
        });
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/plans/:planId/review/approve",
      {
        schema: {
          tags: ["workflow"],
          summary:
            "Approve many submitted values at once, all or nothing (each checked as a single approval)",
          params: z.object({ planId: z.uuid() }),
          body: batchApproveBody,
          response: { 200: z.object({ approved: z.number() }) },
        },
      },
      async (request) => {
        const session = authorize(request, "values.review");
        const current = await planAccess(deps.plans, session, request.params.planId);
        const { structure } = current;
        const seen = new Set<string>();
        for (const [index, cell] of request.body.cells.entries()) {
          const name = `cells[${index}]`;
          try {
            if (!structure.unitIndex.has(cell.unit))
              throw notFound(`方案中没有单位 ${cell.unit}`, `no unit ${cell.unit} in this plan`);
            authorizeReview(session, cell.unit, leadOf(structure, cell.indicator));
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            throw new AppError(e.status, e.code, e.messages, name, { index });
          }
          const key = `${cell.unit}\u0000${cell.indicator}\u0000${cell.period}`;
          if (seen.has(key))
            throw new AppError(
              400,
              "DUPLICATE_CELL",
              { "zh-CN": "同一项数据列出了两次", en: "the same value is listed twice" },
              name,
              { index },
            );
          seen.add(key);
        }
        deps.window.assertInForce(current);
        return {
          approved: await deps.workflow.approveAll({
            planVersionId: current.id,
            structure,
            cells: request.body.cells,
            actor: actorOf(request),
          }),
        };
      },
    );

    app.get(
      "/plans/:planId/review-queue",
      {
        schema: {
          tags: ["workflow"],
          summary:
            "Values across units for review (paged; filter by status, submitted by default, unit, indicator or lead department; sort by time, unit or indicator)",
          params: z.object({ planId: z.uuid() }),
          querystring: listQuery(["updatedAt", "unit", "indicator"] as const, {
            filters: {
              status: z.enum(statuses).default("submitted"),
              unit: z.string().optional(),
              indicator: z.string().optional(),
              lead: z.string().optional().describe("A lead department's code: the indicators it leads"),
            },
          }),
          response: { 200: page(queueItem) },
        },
      },
      async (request) => {
        const session = authorize(request, "values.review");
        const current = await planAccess(deps.plans, session, request.params.planId);
        const { structure } = current;
        const rows = await deps.workflow.queue(
          current.id,
          request.query,
          reviewLimits(structure, session, request.query.lead),
        );
        return {
          ...rows,
          items: rows.items.map((v: ReportedValue) => ({
            unit: v.unitCode,
            indicator: v.indicator,
            period: v.period,
            value: v.value,
            note: v.note,
            status: v.status,
            returnReason: v.returnReason,
            response: v.response,
            revision: v.revision,
            updatedAt: v.updatedAt.toISOString(),
            lead: leadOf(structure, v.indicator) ?? null,
          })),
        };
      },
    );

    app.get(
      "/plans/:planId/progress",
      {
        schema: {
          tags: ["workflow"],
          summary: "How far every unit is: its values by status, missing evidence, its reporting window",
          params: z.object({ planId: z.uuid() }),
          response: {
            200: progressReply,
          },
        },
      },
      async (request) => {
        const session = authorize(request, "values.progress");
        const current = await planAccess(deps.plans, session, request.params.planId);
        const { structure } = current;
        const { counts: rows, missing } = await deps.workflow.progress(current.id, structure);
        const codes = structure.plan.units.map((u) => u.code);
        const windows = await deps.window.unitStates(current, codes);
        const plan = await deps.window.state(current);
        const zero = () => ({
          expected: 0,
          entered: 0,
          draft: 0,
          submitted: 0,
          returned: 0,
          approved: 0,
          missingEvidence: 0,
        });
        const totals = zero();
        const units = structure.plan.units.map((u) => {
          const expected = reportedCells(structure, u.code).size;
          const c = { ...zero(), expected, missingEvidence: missing.get(u.code) ?? 0 };
          for (const r of rows.filter((r) => r.unit === u.code)) {
            c[r.status] += r.n;
            c.entered += r.n;
          }
          for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += c[k];
          const w = windows.get(u.code)!;
          return { unit: u.code, name: u.name, ...c, open: w.open, reopenedUntil: w.reopenedUntil };
        });
        return {
          deadline: plan.deadline,
          reporting: { open: plan.open, closedBy: plan.closedBy },
          units,
          totals,
        };
      },
    );
  };
