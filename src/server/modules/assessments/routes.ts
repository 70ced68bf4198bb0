import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { trimmedMean } from "../../../engine/index.js";
import { type CommandDeps, commandContext } from "../../actor.js";
import { listQuery, page } from "../../pagination.js";
import { authorize, authorizeMark, can, unitScope } from "../../policies.js";
import type { ClaimEvidenceService } from "../claims/evidence-service.js";
import type { ClaimFile } from "../claims/schema.js";
import { planAccess, unitAccess } from "../plans/access.js";
import { assertPlanPeriod, type ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import { claimView as claim, claimBody, claimDecisionBody, claimStatus } from "./claims-schema.js";
import { decideClaim } from "./commands/decide-claim.js";
import { recordClaim } from "./commands/record-claim.js";
import { setMark } from "./commands/set-mark.js";
import { markBody, markItem, markSummary } from "./schema.js";
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
    /** What the commands run with (database, clock). */
    env: CommandDeps;
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
          body: markBody,
          response: { 200: z.object({ id: z.string(), mark: z.number() }) },
        },
      },
      async (request) => {
        const session = authorize(request, "marks.write");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        authorizeMark(session, request.params.unit);
        deps.window.assertInForce(head);
        const { structure } = head;
        assertPlanPeriod(structure, request.body.period);
        const row = await setMark({
          ...commandContext(deps.env, request),
          planVersionId: head.id,
          structure,
          unit: request.params.unit,
          ...request.body,
        });
        return { id: row.id, mark: row.mark };
      },
    );

    app.get(
      "/plans/:planId/marks",
      {
        schema: {
          tags: ["assessments"],
          summary:
            "Reviewers' marks: the office sees every reviewer's, a reviewer only their own (paged; filter by unit, indicator or reviewer; sort by unit, indicator or time)",
          params: z.object({ planId: z.uuid() }),
          querystring: listQuery(["unit", "indicator", "markedAt"] as const, {
            filters: {
              unit: z.string().optional(),
              indicator: z.string().optional(),
              reviewer: z.uuid().optional(),
            },
          }),
          response: { 200: page(markItem) },
        },
      },
      async (request) => {
        const session = authorize(request, "marks.read");
        const head = await deps.plans.head(request.params.planId);
        // Marks are given independently: a reviewer never reads another reviewer's marks.
        const query = can(session, "marks.all")
          ? request.query
          : { ...request.query, reviewer: session.user.id };
        const marks = await deps.assessments.marksPage(head.id, query);
        return {
          ...marks,
          items: marks.items.map((m) => ({
            unit: m.unitCode,
            indicator: m.indicator,
            period: m.period,
            reviewer: m.reviewerId,
            mark: m.mark,
            note: m.note,
            markedAt: m.markedAt.toISOString(),
          })),
        };
      },
    );

    app.get(
      "/plans/:planId/marks/summary",
      {
        schema: {
          tags: ["assessments"],
          summary:
            "Each unit's trimmed mean of the reviewers' marks on every expert-marked indicator (the office only)",
          params: z.object({ planId: z.uuid() }),
          response: { 200: markSummary },
        },
      },
      async (request) => {
        const session = authorize(request, "marks.all");
        const head = await planAccess(deps.plans, session, request.params.planId);
        const { structure } = head;
        const period = structure.plan.period.key;
        const given = new Map<string, number[]>();
        for (const r of await deps.assessments.rows(head.id, period)) {
          if (r.reviewer === undefined) continue;
          const key = `${r.indicator}\u0000${r.unit}\u0000${r.period}`;
          given.set(key, [...(given.get(key) ?? []), r.value]);
        }
        const items = structure.nodes.flatMap((n) => {
          const { rule } = n;
          if (rule?.type !== "expert") return [];
          return structure.plan.units.map((u) => {
            const marks = given.get(`${n.code}\u0000${u.code}\u0000${period}`) ?? [];
            const { mean, kept } = trimmedMean(marks, rule.trim ?? 1);
            return {
              unit: u.code,
              indicator: n.code,
              period,
              reviewers: marks.length,
              kept: kept.length,
              mean: Number.isNaN(mean) ? null : mean,
              markMax: rule.markMax ?? n.points,
            };
          });
        });
        return { items };
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
        const row = await recordClaim({
          ...commandContext(deps.env, request),
          version: head,
          window: deps.window,
          unit: request.params.unit,
          ...request.body,
        });
        return reply.status(201).send(presentClaim(row));
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
        authorize(request, "claims.decide");
        const head = await deps.plans.head(request.params.planId);
        deps.window.assertInForce(head);
        await decideClaim({
          ...commandContext(deps.env, request),
          planVersionId: head.id,
          claimId: request.params.id,
          decision: request.body.decision,
          reason: request.body.reason,
        });
        return reply.status(204).send(null);
      },
    );
  };
