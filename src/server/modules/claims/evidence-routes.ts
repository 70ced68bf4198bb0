import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { appError } from "../../errors.js";
import { acceptForms, readFormFile } from "../../plugins/multipart.js";
import { authorize, can, unitScope } from "../../policies.js";
import { contentTypes } from "../evidence/detect.js";
import { acceptEvidenceFiles } from "../evidence/routes.js";
import { planAccess } from "../plans/access.js";
import type { ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import type { ClaimEvidenceService } from "./evidence-service.js";
import { claimFile } from "./schema.js";

const params = z.object({ planId: z.uuid(), id: z.uuid() });

/** The request body of an upload, for the OpenAPI document: the file itself, or a form's one file. */
const fileBody = z.any().meta({
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

/** /api/v1/plans/:planId/claims/:id/evidence: the evidence (证明材料) of a bonus claim. */
export const claimEvidenceRoutes =
  (deps: {
    plans: PlanService;
    evidence: ClaimEvidenceService;
    window: ReportingWindow;
    maxBytes: number;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    acceptEvidenceFiles(app, deps.maxBytes);
    await acceptForms(app, deps.maxBytes);

    app.post(
      "/plans/:planId/claims/:id/evidence",
      {
        schema: {
          tags: ["assessments"],
          summary:
            "Attach an evidence file to a bonus claim (the unit, while it is pending; the office, any item)",
          description:
            "The body is the file with its own content type (then `filename` is required), or a multipart/form-data form whose one file is it.",
          params,
          querystring: z.object({ filename: z.string().min(1).max(255).optional() }),
          body: fileBody,
          response: { 201: claimFile },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "claims.bonus");
        const head = await planAccess(deps.plans, session, request.params.planId);
        const scope = unitScope(session);
        const office = can(session, "claims.decide");
        // A unit's evidence is part of its claim, so its reporting window applies; the office's is not.
        const claim = await deps.evidence.claimOf(head.id, request.params.id, scope);
        if (office) deps.window.assertInForce(head);
        else await deps.window.assertUnitOpen(head, claim.unit);
        let data: Buffer | undefined;
        let declared: string;
        let filename = request.query.filename;
        if (request.isMultipart()) {
          const file = await readFormFile(request);
          data = file.body;
          declared = file.type;
          filename ??= file.filename || undefined;
        } else {
          data = Buffer.isBuffer(request.body) ? request.body : undefined;
          declared = String(request.headers["content-type"] ?? "");
        }
        if (!filename || filename.length > 255)
          throw appError(
            400,
            "FILENAME",
            "请给出文件名（最多 255 个字符）",
            "give the file name (at most 255 characters)",
            "filename",
          );
        const stored = await deps.evidence.attach({
          planVersionId: head.id,
          claimId: request.params.id,
          scope,
          office,
          filename,
          declared,
          data,
          actor: session.user,
          ip: request.ip,
        });
        return reply.status(201).send(stored);
      },
    );

    app.get(
      "/plans/:planId/claims/:id/evidence/:fileId",
      {
        schema: {
          tags: ["assessments"],
          summary: "Download a claim's evidence file (the office, reviewers, and the claiming unit)",
          params: params.extend({ fileId: z.uuid() }),
        },
      },
      async (request, reply) => {
        const session = authorize(request, "claims.read");
        const head = await planAccess(deps.plans, session, request.params.planId);
        const file = await deps.evidence.file(
          head.id,
          request.params.id,
          request.params.fileId,
          unitScope(session),
        );
        return reply
          .type(file.contentType)
          .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
          .send(file.content);
      },
    );
  };
