import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { authorize } from "../../policies.js";
import { valueReadAccess, valueWriteAccess } from "../plans/access.js";
import type { ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import { reportedValue, saveValueBody } from "./schema.js";
import type { ReportedValue, ValueService } from "./service.js";

const value = reportedValue;

const present = (v: ReportedValue) => ({
  indicator: v.indicator,
  period: v.period,
  value: v.value,
  note: v.note,
  source: v.source,
  status: v.status,
  returnReason: v.returnReason,
  response: v.response,
  revision: v.revision,
  updatedAt: v.updatedAt.toISOString(),
});

/** Whether an If-None-Match header names the current entity tag (a list, weak or strong, or `*`). */
const notModified = (header: string | undefined, etag: string) =>
  (header ?? "").split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag === etag || tag === `W/${etag}`;
  });

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const params = z.object({ planId: z.uuid(), unit: z.string().min(1) });

/**
 * /api/v1/plans/:planId/units/:unit/values: a unit's data entry (its own people only, and the office;
 * a lead department's reporters read and write the indicators it scores for every unit).
 */
export const valueRoutes =
  (deps: { plans: PlanService; values: ValueService; window: ReportingWindow }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/plans/:planId/units/:unit/values",
      {
        schema: {
          tags: ["values"],
          summary: "A unit's reported values",
          params,
          response: {
            200: z.object({ items: z.array(value) }),
            304: z.null().describe("Unchanged since the ETag sent in If-None-Match (no body)"),
          },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "values.read");
        const { unit } = request.params;
        const { head, stamp } = await deps.values.pageHead(request.params.planId, unit);
        // null: the unit's whole page; a set: a lead department's reporter, the indicators it scores.
        const only = await valueReadAccess(deps.plans, session, request.params.planId, head, unit);
        // The unit's values stamp names this exact content: a browser revalidates and gets a 304.
        const etag = `"${head.id}.${stamp ?? "0"}${only ? `.lead-${session.user.organisationCode}` : ""}"`;
        reply.header("etag", etag).header("cache-control", "private, no-cache");
        if (notModified(request.headers["if-none-match"], etag)) return reply.code(304).send(null);
        if (only) {
          const rows = (await deps.values.list(head.id, unit)).filter((v) => only.has(v.indicator));
          rows.sort((a, b) => cmp(a.indicator, b.indicator) || cmp(a.period, b.period));
          return { items: rows.map(present) };
        }
        const items = await deps.values.pageJson(head.id, unit, stamp);
        // Already JSON text in the documented shape (sent as is): the typed reply only knows the object form.
        return reply.type("application/json; charset=utf-8").send(`{"items":${items}}` as never);
      },
    );

    app.put(
      "/plans/:planId/units/:unit/values",
      {
        schema: {
          tags: ["values"],
          summary: "Save one value as a draft (optimistic concurrency by revision)",
          params,
          body: saveValueBody,
          response: { 200: value },
        },
      },
      async (request) => {
        const session = authorize(request, "values.write");
        const { planId, unit } = request.params;
        const current = await valueWriteAccess(deps.plans, session, planId, unit, request.body.indicator);
        await deps.window.assertUnitOpen(current, request.params.unit);
        return present(
          await deps.values.save({
            planVersionId: current.id,
            structure: current.structure,
            unit: request.params.unit,
            input: request.body,
            actor: actorOf(request),
          }),
        );
      },
    );

    app.delete(
      "/plans/:planId/units/:unit/values",
      {
        schema: {
          tags: ["values"],
          summary: "Withdraw (delete) a draft or returned value before submission (by the revision read)",
          params,
          querystring: z.object({
            indicator: z.string().min(1),
            period: z.string().min(1),
            revision: z.coerce.number().int().min(1),
          }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "values.write");
        const { planId, unit } = request.params;
        const current = await valueWriteAccess(deps.plans, session, planId, unit, request.query.indicator);
        await deps.window.assertUnitOpen(current, request.params.unit);
        await deps.values.remove({
          planVersionId: current.id,
          unit: request.params.unit,
          cell: request.query,
          actor: actorOf(request),
        });
        return reply.status(204).send(null);
      },
    );
  };
