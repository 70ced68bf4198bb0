import type { FastifyInstance } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import type { EvidenceType } from "../../config.js";
import { appError } from "../../errors.js";
import { listQuery, page } from "../../pagination.js";
import { acceptForms, readUpload, uploadFilename } from "../../plugins/multipart.js";
import { authorize } from "../../policies.js";
import { unitAccess } from "../plans/access.js";
import { assertCell, type ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import { contentTypes } from "./detect.js";
import { evidenceItem, evidenceLimits } from "./schema.js";
import type { EvidenceService } from "./service.js";

const params = z.object({ planId: z.uuid(), unit: z.string().min(1) });
/** The policy of a previewed file (a byte-checked PDF or image, never HTML; nosniff is set on every reply). */
const PREVIEW_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'self'; frame-ancestors 'self'";
/** What a browser previews by itself (PDF, images). */
const previewable = new Set([contentTypes.pdf, contentTypes.png, contentTypes.jpeg]);
const item = evidenceItem;

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
export const evidenceBody = z.any().meta({
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
    types: readonly EvidenceType[];
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
        const upload = await readUpload(request, request.query.filename);
        if (!upload.data)
          throw appError(415, "FILE_TYPE", "请上传文件内容", "send the file as the request body");
        const filename = uploadFilename(upload.filename);
        const { indicator, period } = request.query;
        const stored = await deps.evidence.add({
          planVersionId: head.id,
          unit: request.params.unit,
          cell: { indicator, period, filename },
          declared: upload.declared,
          data: upload.data,
          actor: actorOf(request),
        });
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
      "/plans/:planId/units/:unit/evidence/limits",
      {
        schema: {
          tags: ["evidence"],
          summary: "The evidence files this unit may upload: kinds (with content types) and the size limit",
          description:
            "The same limits the upload checks (KAOHE_EVIDENCE_TYPES, KAOHE_EVIDENCE_MAX_BYTES), so a page can check a file before sending it.",
          params,
          response: { 200: evidenceLimits },
        },
      },
      async (request) => {
        const session = authorize(request, "evidence.read");
        await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        return {
          maxBytes: deps.maxBytes,
          types: deps.types.map((kind) => ({ kind, contentType: contentTypes[kind] })),
        };
      },
    );

    app.get(
      "/plans/:planId/units/:unit/evidence/:id",
      {
        schema: {
          tags: ["evidence"],
          summary: "Download an evidence file (or, with inline=true, a PDF or image to preview in the page)",
          params: params.extend({ id: z.uuid() }),
          querystring: z.object({
            inline: z
              .enum(["true", "false"])
              .optional()
              .describe("Show a PDF or image in place (the web app's preview frame) instead of downloading"),
          }),
        },
      },
      async (request, reply) => {
        const session = authorize(request, "evidence.read");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const file = await deps.evidence.content(head.id, request.params.unit, request.params.id);
        // Only kinds a browser shows by itself, judged from the stored (byte-checked) type; the others download.
        const inline = request.query.inline === "true" && previewable.has(file.contentType);
        // A preview gets its own policy: framed by kaohe's own page only (every other reply keeps
        // frame-ancestors 'none'), no scripts, and the inline styles of the browser's own PDF viewer page.
        if (inline) reply.header("content-security-policy", PREVIEW_POLICY);
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
        await deps.evidence.remove({
          planVersionId: head.id,
          unit: request.params.unit,
          id: request.params.id,
          actor: actorOf(request),
        });
        return reply.status(204).send(null);
      },
    );
  };
