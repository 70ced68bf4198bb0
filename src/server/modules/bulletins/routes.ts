import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { bulletinPath } from "../../../portal/pages/bulletin.js";
import { type CommandDeps, commandContext } from "../../actor.js";
import { authorize } from "../../policies.js";
import type { PlanService } from "../plans/service.js";
import { draftNewBulletin } from "./commands/draft.js";
import { editBulletin } from "./commands/edit.js";
import { publishBulletin } from "./commands/publish.js";
import { withdrawBulletin } from "./commands/withdraw.js";
import {
  bulletinDetail,
  bulletinSummary,
  draftBody,
  editBody,
  publishBulletinBody,
  withdrawBody,
} from "./schema.js";
import type { Bulletin, BulletinService } from "./service.js";

const iso = (d: Date | null) => d?.toISOString() ?? null;
const presentSummary = (b: Bulletin) => ({
  id: b.id,
  planId: b.planId,
  runId: b.runId,
  unit: b.unitCode,
  status: b.status,
  titles: b.titles,
  revision: b.revision,
  updatedAt: b.updatedAt.toISOString(),
  visibleFrom: iso(b.visibleFrom),
  publishedAt: iso(b.publishedAt),
  withdrawnAt: iso(b.withdrawnAt),
  url: b.status === "published" ? bulletinPath(b.id) : null,
});
const presentDetail = (b: Bulletin) => ({
  ...presentSummary(b),
  bodies: b.bodies,
  draft: b.draft,
  hashes: b.hashes ?? null,
  withdrawReason: b.withdrawReason,
});

/** 喜报/通报 (docs/bulletins.md): the office drafts a unit's from a run, edits, publishes on the portal, withdraws. */
export const bulletinRoutes =
  (deps: { plans: PlanService; bulletins: BulletinService; env: CommandDeps }): FastifyPluginAsyncZod =>
  async (app) => {
    const idParams = z.object({ id: z.uuid() });
    const tags = ["bulletins"];

    app.get(
      "/bulletins",
      {
        schema: {
          tags,
          summary: "The bulletins, newest first (office)",
          querystring: z.object({ planId: z.uuid().optional() }),
          response: { 200: z.object({ items: z.array(bulletinSummary) }) },
        },
      },
      async (request) => {
        authorize(request, "bulletins.manage");
        return { items: (await deps.bulletins.list(request.query.planId)).map(presentSummary) };
      },
    );

    app.post(
      "/plans/:planId/bulletins",
      {
        schema: {
          tags,
          summary: "Draft a unit's bulletin from a scoring run of the plan (office)",
          params: z.object({ planId: z.uuid() }),
          body: draftBody,
          response: { 201: bulletinDetail },
        },
      },
      async (request, reply) => {
        authorize(request, "bulletins.manage");
        await deps.plans.current(request.params.planId);
        const b = await draftNewBulletin({
          ...commandContext(deps.env, request),
          planId: request.params.planId,
          unit: request.body.unit,
          runId: request.body.runId,
        });
        return reply.status(201).send(presentDetail(b));
      },
    );

    app.get(
      "/bulletins/:id",
      {
        schema: {
          tags,
          summary: "One bulletin (office)",
          params: idParams,
          response: { 200: bulletinDetail },
        },
      },
      async (request) => {
        authorize(request, "bulletins.manage");
        return presentDetail(await deps.bulletins.get(request.params.id));
      },
    );

    app.patch(
      "/bulletins/:id",
      {
        schema: {
          tags,
          summary: "Edit a draft's title and body (HTML, sanitised to the allow-list) (office)",
          params: idParams,
          body: editBody,
          response: { 200: bulletinDetail },
        },
      },
      async (request) => {
        authorize(request, "bulletins.manage");
        const b = await editBulletin({
          ...commandContext(deps.env, request),
          id: request.params.id,
          ...request.body,
        });
        return presentDetail(b);
      },
    );

    app.post(
      "/bulletins/:id/publish",
      {
        schema: {
          tags,
          summary: "Publish a draft on the portal, hashed and audited, optionally at a later time (office)",
          params: idParams,
          body: publishBulletinBody,
          response: { 200: bulletinDetail },
        },
      },
      async (request) => {
        authorize(request, "bulletins.manage");
        const at = request.body?.visibleFrom;
        const b = await publishBulletin({
          ...commandContext(deps.env, request),
          id: request.params.id,
          visibleFrom: at ? new Date(at) : undefined,
        });
        return presentDetail(b);
      },
    );

    app.post(
      "/bulletins/:id/withdraw",
      {
        schema: {
          tags,
          summary: "Withdraw a published bulletin from the portal, with a reason (office)",
          params: idParams,
          body: withdrawBody,
          response: { 200: bulletinDetail },
        },
      },
      async (request) => {
        authorize(request, "bulletins.manage");
        const b = await withdrawBulletin({
          ...commandContext(deps.env, request),
          id: request.params.id,
          reason: request.body.reason,
        });
        return presentDetail(b);
      },
    );
  };
