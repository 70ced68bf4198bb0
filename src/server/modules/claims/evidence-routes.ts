import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { acceptForms, readUpload, uploadFilename } from "../../plugins/multipart.js";
import { authorize, can, unitScope } from "../../policies.js";
import { acceptEvidenceFiles, evidenceBody } from "../evidence/routes.js";
import { planAccess } from "../plans/access.js";
import type { ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import type { ClaimEvidenceService } from "./evidence-service.js";
import { claimFile } from "./schema.js";

const params = z.object({ planId: z.uuid(), id: z.uuid() });

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
          body: evidenceBody,
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
        const upload = await readUpload(request, request.query.filename);
        const filename = uploadFilename(upload.filename);
        const stored = await deps.evidence.attach({
          planVersionId: head.id,
          claimId: request.params.id,
          scope,
          office,
          filename,
          declared: upload.declared,
          data: upload.data,
          actor: actorOf(request),
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
