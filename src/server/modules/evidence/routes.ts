import type { FastifyInstance } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError } from "../../errors.js";
import { listQuery, page } from "../../pagination.js";
import { authorize } from "../../policies.js";
import { unitAccess } from "../plans/access.js";
import { assertCell, type ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import { contentTypes } from "./detect.js";
import type { EvidenceService } from "./service.js";

const params = z.object({ planId: z.uuid(), unit: z.string().min(1) });
const item = z.object({
  id: z.string(),
  indicator: z.string(),
  period: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
});

/**
 * Lets a plugin's routes take an evidence file as the raw request body, for every accepted type, up
 * to one byte over the limit (so that an oversized file reaches the check that names the limit).
 */
export function acceptEvidenceFiles(app: FastifyInstance, maxBytes: number): void {
  app.addContentTypeParser(
    Object.values(contentTypes),
    { parseAs: "buffer", bodyLimit: maxBytes + 1 },
    (_request, body, done) => {
      done(null, body);
    },
  );
}

/** /api/v1/plans/:planId/units/:unit/evidence: a unit's evidence files, its own people and the office only. */
export const evidenceRoutes =
  (deps: {
    plans: PlanService;
    evidence: EvidenceService;
    window: ReportingWindow;
    maxBytes: number;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    acceptEvidenceFiles(app, deps.maxBytes);

    app.post(
      "/plans/:planId/units/:unit/evidence",
      {
        schema: {
          tags: ["evidence"],
          summary: "Upload an evidence file for one value (the body is the file)",
          params,
          querystring: z.object({
            indicator: z.string().min(1),
            period: z.string().min(1),
            filename: z.string().min(1).max(255),
          }),
          response: { 201: item },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "evidence.write");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        assertCell(head.structure, request.query.indicator, request.query.period);
        await deps.window.assertUnitOpen(head, request.params.unit);
        if (!Buffer.isBuffer(request.body))
          throw appError(415, "FILE_TYPE", "请上传文件内容", "send the file as the request body");
        const stored = await deps.evidence.add(
          head.id,
          request.params.unit,
          request.query,
          String(request.headers["content-type"] ?? ""),
          request.body,
          session.user,
          request.ip,
        );
        return reply.status(201).send(stored);
      },
    );

    app.get(
      "/plans/:planId/units/:unit/evidence",
      {
        schema: {
          tags: ["evidence"],
          summary:
            "A unit's evidence files (paged; filter by indicator; sort by time, file name or indicator)",
          params,
          querystring: listQuery(["uploadedAt", "filename", "indicator"] as const, {
            filters: { indicator: z.string().optional() },
          }),
          response: { 200: page(item) },
        },
      },
      async (request) => {
        const session = authorize(request, "evidence.read");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        return deps.evidence.list(head.id, request.params.unit, request.query);
      },
    );

    app.get(
      "/plans/:planId/units/:unit/evidence/:id",
      {
        schema: {
          tags: ["evidence"],
          summary: "Download an evidence file",
          params: params.extend({ id: z.uuid() }),
        },
      },
      async (request, reply) => {
        const session = authorize(request, "evidence.read");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const file = await deps.evidence.content(head.id, request.params.unit, request.params.id);
        return reply
          .type(file.contentType)
          .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
          .header("x-content-sha256", file.sha256)
          .send(file.content);
      },
    );

    app.delete(
      "/plans/:planId/units/:unit/evidence/:id",
      {
        schema: {
          tags: ["evidence"],
          summary: "Withdraw (delete) an evidence file before its value is submitted",
          params: params.extend({ id: z.uuid() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "evidence.write");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        await deps.window.assertUnitOpen(head, request.params.unit);
        await deps.evidence.remove(head.id, request.params.unit, request.params.id, session.user, request.ip);
        return reply.status(204).send(null);
      },
    );
  };
