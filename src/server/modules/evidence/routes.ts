import type { FastifyInstance } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError } from "../../errors.js";
import { listQuery, page } from "../../pagination.js";
import { acceptForms, readFormFile } from "../../plugins/multipart.js";
import { authorize } from "../../policies.js";
import { unitAccess } from "../plans/access.js";
import { assertCell, type ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import { contentTypes } from "./detect.js";
import type { EvidenceService } from "./service.js";

const params = z.object({ planId: z.uuid(), unit: z.string().min(1) });
/** The evidence types a browser previews itself (the others are only downloaded). */
const previewable = new Set([contentTypes.pdf, contentTypes.png, contentTypes.jpeg]);
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

/** The request body of an evidence upload, for the OpenAPI document: the file itself, or a form's file. */
const evidenceBody = z.any().meta({
  content: {
    ...Object.fromEntries(
      Object.values(contentTypes).map((type) => [type, { schema: { type: "string", format: "binary" } }]),
    ),
    "multipart/form-data": {
      schema: {
        type: "object",
        required: ["file"],
        properties: { file: { type: "string", format: "binary" } },
      },
    },
  },
});

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
    await acceptForms(app, deps.maxBytes);

    app.post(
      "/plans/:planId/units/:unit/evidence",
      {
        schema: {
          tags: ["evidence"],
          summary: "Upload an evidence file for one value (the body is the file)",
          description:
            "The body is the file with its own content type, or a multipart/form-data form whose one file is it (then `filename` defaults to the form file's name).",
          params,
          querystring: z.object({
            indicator: z.string().min(1),
            period: z.string().min(1),
            filename: z.string().min(1).max(255).optional(),
          }),
          body: evidenceBody,
          response: { 201: item },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "evidence.write");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        assertCell(head.structure, request.query.indicator, request.query.period);
        await deps.window.assertUnitOpen(head, request.params.unit);
        let body: Buffer;
        let type: string;
        let filename = request.query.filename;
        if (request.isMultipart()) {
          const file = await readFormFile(request);
          body = file.body; // cut one byte past the limit when larger: the service's check names the limit
          type = file.type;
          filename ??= file.filename || undefined;
        } else {
          if (!Buffer.isBuffer(request.body))
            throw appError(415, "FILE_TYPE", "请上传文件内容", "send the file as the request body");
          body = request.body;
          type = String(request.headers["content-type"] ?? "");
        }
        if (!filename || filename.length > 255)
          throw appError(
            400,
            "FILENAME",
            "请给出文件名（最多 255 个字符）",
            "give the file name (at most 255 characters)",
            "filename",
          );
        const { indicator, period } = request.query;
        const stored = await deps.evidence.add(
          head.id,
          request.params.unit,
          { indicator, period, filename },
          type,
          body,
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
          summary: "Download an evidence file (inline=1: a PDF or image shown in the page, for a preview)",
          params: params.extend({ id: z.uuid() }),
          querystring: z.object({ inline: z.literal("1").optional() }),
        },
      },
      async (request, reply) => {
        const session = authorize(request, "evidence.read");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const file = await deps.evidence.content(head.id, request.params.unit, request.params.id);
        // A preview: only the types a browser renders itself, framed by the app's own pages only, running nothing.
        const inline = request.query.inline === "1" && previewable.has(file.contentType);
        if (inline)
          reply.header(
            "content-security-policy",
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'",
          );
        return reply
          .type(file.contentType)
          .header(
            "content-disposition",
            `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
          )
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
