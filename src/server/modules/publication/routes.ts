import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type CommandDeps, commandContext } from "../../actor.js";
import type { EvidenceSettings } from "../../config.js";
import { forbidden, notFound } from "../../errors.js";
import { listQuery, page } from "../../pagination.js";
import { acceptForms, readUpload } from "../../plugins/multipart.js";
import { authorize, can, inScope, unitScope } from "../../policies.js";
import type { Session } from "../auth/service.js";
import { acceptEvidenceFiles, evidenceBody } from "../evidence/routes.js";
import { checkUnitAccess } from "../plans/access.js";
import type { PlanService } from "../plans/service.js";
import type { RunService } from "../runs/service.js";
import { attachObjectionEvidence } from "./commands/attach-evidence.js";
import { fileObjection } from "./commands/file-objection.js";
import { finaliseResults } from "./commands/finalise.js";
import { publishResults } from "./commands/publish.js";
import { resolveObjection } from "./commands/resolve-objection.js";
import {
  evidenceFile,
  objection,
  objectionBody,
  officeSummary,
  publicResults,
  publicSummary,
  publishBody,
  publishReply,
  resolveBody,
  resolveReply,
  unitResultReply,
} from "./schema.js";
import type { Objection, ObjectionFile, PublicationService } from "./service.js";

type Summary = Awaited<ReturnType<PublicationService["ofPlan"]>>;
const presentSummary = (p: Summary) => ({
  ...p,
  publishedAt: p.publishedAt.toISOString(),
  noticeUntil: p.noticeUntil.toISOString(),
  finalisedAt: p.finalisedAt?.toISOString() ?? null,
  visibleFrom: p.visibleFrom?.toISOString() ?? null,
});
const presentPublic = (p: Summary) => {
  const { runId: _r, objections: _o, openObjections: _open, visibleFrom: _v, ...shown } = presentSummary(p);
  return shown;
};

const presentFile = ({ objectionId: _, ...f }: ObjectionFile) => f;
const presentObjection = (o: Objection, files: ObjectionFile[] = []) => ({
  id: o.id,
  unit: o.unitCode,
  reason: o.reason,
  cells: o.cells,
  status: o.status,
  resolution: o.resolution,
  filedAt: o.filedAt.toISOString(),
  evidence: files.map(presentFile),
});

/** Public notice, objections and final results. */
export const publicationRoutes =
  (deps: {
    plans: PlanService;
    runs: RunService;
    publication: PublicationService;
    /** What the commands run with (database, clock). */
    env: CommandDeps;
    /** Checks for objections' evidence files. */
    evidence: EvidenceSettings;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    acceptEvidenceFiles(app, deps.evidence.maxBytes);
    await acceptForms(app, deps.evidence.maxBytes);
    const pubParams = z.object({ planId: z.uuid(), publicationId: z.uuid() });
    /**
     * The plan's current version and one of its publications (any, superseded ones too); 404 otherwise.
     * A publication under embargo is 404 too for a session that sees only its own unit (a unit's
     * reporter or leader): its people see their results, and may object, when the public sees the
     * notice, not before; the office and reviewers, who read every unit's runs, see it at once.
     */
    const inPlan = async (session: Session, planId: string, publicationId: string) => {
      const current = await deps.plans.current(planId);
      const p = await deps.publication.ofPlan(planId, publicationId);
      if (!can(session, "units.all") && p.visibleFrom && p.visibleFrom > deps.env.now())
        throw notFound("公示不存在", "publication not found");
      return { current, p };
    };
    /** Sends a public view (JSON text kept as stored) with its head, as one JSON document. */
    const sendResults = (
      reply: FastifyReply,
      p: NonNullable<Awaited<ReturnType<PublicationService["publicResults"]>>>,
    ) => {
      const head = JSON.stringify({
        plan: p.plan,
        period: p.period,
        status: p.status,
        noticeUntil: p.noticeUntil,
        publicationId: p.id,
        supersedes: p.supersedes,
        supersededBy: p.supersededBy,
        auditCheckpoint: p.checkpoint,
      });
      const body = `${head.slice(0, -1)},"units":${p.units}}`;
      // Already JSON text (sent as is): the typed reply only knows the object form.
      return reply.type("application/json; charset=utf-8").send(body as never);
    };

    app.post(
      "/plans/:planId/runs/:runId/publish",
      {
        schema: {
          tags: ["publication"],
          summary: "Put a run's results up for public notice",
          params: z.object({ planId: z.uuid(), runId: z.uuid() }),
          body: publishBody,
          response: { 201: publishReply },
        },
      },
      async (request, reply) => {
        authorize(request, "results.publish");
        const current = await deps.plans.current(request.params.planId);
        const p = await publishResults({
          ...commandContext(deps.env, request),
          planVersionId: current.id,
          plan: current.plan,
          runId: request.params.runId,
          visibleFrom: request.body?.visibleFrom ? new Date(request.body.visibleFrom) : undefined,
        });
        return reply.status(201).send({ id: p.id, noticeUntil: p.noticeUntil.toISOString() });
      },
    );

    // Anonymous: which plans have published results.
    app.get(
      "/public/plans",
      {
        config: { anonymous: true },
        schema: {
          tags: ["publication"],
          summary: "Plans with published results (public)",
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  planId: z.string(),
                  name: z.string(),
                  status: z.enum(["notice", "final"]),
                  noticeUntil: z.string(),
                }),
              ),
            }),
          },
        },
      },
      async () => ({ items: await deps.publication.publishedPlans() }),
    );

    // Anonymous: the published results, showing only what the plan allows. Served straight from the
    // stored public view (one query, no parsing and re-serialising of the units).
    app.get(
      "/public/plans/:planId/results",
      {
        config: { anonymous: true },
        schema: {
          tags: ["publication"],
          summary: "Published results: the plan's current publication (public)",
          params: z.object({ planId: z.uuid() }),
          response: { 200: publicResults },
        },
      },
      async (request, reply) => {
        const p = await deps.publication.publicResults(request.params.planId);
        if (!p) throw notFound("结果尚未公布", "no results published yet");
        return sendResults(reply, p);
      },
    );

    app.get(
      "/public/plans/:planId/publications",
      {
        config: { anonymous: true },
        schema: {
          tags: ["publication"],
          summary: "Every publication of a plan, superseded ones too (public; paged, newest first)",
          params: z.object({ planId: z.uuid() }),
          querystring: listQuery(["publishedAt"] as const, { defaultSort: "-publishedAt" }),
          response: { 200: page(publicSummary) },
        },
      },
      async (request) => {
        const found = await deps.publication.history(request.params.planId, request.query, true);
        return { ...found, items: found.items.map(presentPublic) };
      },
    );

    app.get(
      "/public/plans/:planId/publications/:publicationId",
      {
        config: { anonymous: true },
        schema: {
          tags: ["publication"],
          summary:
            "One publication's results as published, with what it supersedes or was superseded by (public)",
          params: pubParams,
          response: { 200: publicResults },
        },
      },
      async (request, reply) => {
        const p = await deps.publication.publicResults(request.params.planId, request.params.publicationId);
        if (!p) throw notFound("公示不存在", "publication not found");
        return sendResults(reply, p);
      },
    );

    app.get(
      "/plans/:planId/publications",
      {
        schema: {
          tags: ["publication"],
          summary:
            "Every publication of a plan with its run and objection counts (the office; paged, newest first)",
          params: z.object({ planId: z.uuid() }),
          querystring: listQuery(["publishedAt"] as const, { defaultSort: "-publishedAt" }),
          response: { 200: page(officeSummary) },
        },
      },
      async (request) => {
        authorize(request, "publications.read");
        await deps.plans.head(request.params.planId);
        const found = await deps.publication.history(request.params.planId, request.query, false);
        return { ...found, items: found.items.map(presentSummary) };
      },
    );

    app.get(
      "/plans/:planId/publications/:publicationId",
      {
        schema: {
          tags: ["publication"],
          summary: "One publication with its run and objection counts (the office)",
          params: pubParams,
          response: { 200: officeSummary },
        },
      },
      async (request) => {
        const session = authorize(request, "publications.read");
        const { p } = await inPlan(session, request.params.planId, request.params.publicationId);
        return presentSummary(p);
      },
    );

    app.get(
      "/plans/:planId/publications/:publicationId/units/:unit/results",
      {
        schema: {
          tags: ["publication"],
          summary:
            "A unit's own published results: scores, rank, grade and the full explanation (the unit's people, the office)",
          params: pubParams.extend({ unit: z.string().min(1) }),
          response: { 200: unitResultReply },
        },
      },
      async (request) => {
        const session = authorize(request, "results.own");
        const { unit } = request.params;
        const { current } = await inPlan(session, request.params.planId, request.params.publicationId);
        // The unit is looked up in the publication's own run (which may be of an earlier plan version
        // than the one in force: a revision can drop a unit, whose published results stay its own).
        const { publication, result } = await deps.publication.unitResult(
          request.params.planId,
          request.params.publicationId,
          unit,
        );
        checkUnitAccess({ ...current, hasUnit: true }, session, unit);
        // A run stored without traces explains the unit now, from its frozen inputs (runs/scoring.ts).
        const explained = result.trace.length ? result : await deps.runs.explain(publication.runId, unit);
        return {
          publicationId: publication.id,
          status: publication.status,
          supersededBy: publication.supersededBy,
          result: explained as unknown as Record<string, unknown>,
        };
      },
    );

    app.post(
      "/plans/:planId/publications/:publicationId/objections",
      {
        schema: {
          tags: ["publication"],
          summary: "File an objection during public notice (unit leader)",
          params: pubParams,
          body: objectionBody,
          response: { 201: objection },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "objections.file");
        const { current } = await inPlan(session, request.params.planId, request.params.publicationId);
        const o = await fileObjection({
          ...commandContext(deps.env, request),
          structure: current.structure,
          publicationId: request.params.publicationId,
          unit: request.body.unit,
          scope: unitScope(session),
          reason: request.body.reason,
          cells: request.body.cells ?? [],
        });
        return reply.status(201).send(presentObjection(o));
      },
    );

    app.get(
      "/plans/:planId/publications/:publicationId/objections",
      {
        schema: {
          tags: ["publication"],
          summary:
            "Objections; the office sees all, a unit its own (paged; filter by unit or status; sort by time or unit)",
          params: pubParams,
          querystring: listQuery(["filedAt", "unit"] as const, {
            filters: {
              unit: z.string().optional(),
              status: z.enum(["open", "accepted", "rejected"]).optional(),
            },
          }),
          response: { 200: page(objection) },
        },
      },
      async (request) => {
        const session = authorize(request, "objections.read");
        await inPlan(session, request.params.planId, request.params.publicationId);
        const found = await deps.publication.list(
          request.params.publicationId,
          unitScope(session),
          request.query,
        );
        const files = await deps.publication.files(found.items.map((o) => o.id));
        return { ...found, items: found.items.map((o) => presentObjection(o, files.get(o.id))) };
      },
    );

    const objectionParams = pubParams.extend({ objectionId: z.uuid() });
    app.post(
      "/plans/:planId/publications/:publicationId/objections/:objectionId/evidence",
      {
        schema: {
          tags: ["publication"],
          summary: "Attach an evidence file to an open objection during the notice (the body is the file)",
          description:
            "The body is the file with its own content type, or a multipart/form-data form whose one file is it; `filename` names it either way (asked before the objection is found, so that another unit learns nothing).",
          params: objectionParams,
          querystring: z.object({ filename: z.string().min(1).max(255) }),
          body: evidenceBody,
          response: { 201: evidenceFile },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "objections.file");
        await inPlan(session, request.params.planId, request.params.publicationId);
        // The query names the file (required, checked by the schema), whichever way it comes.
        const { data, declared } = await readUpload(request);
        const file = await attachObjectionEvidence({
          ...commandContext(deps.env, request),
          publicationId: request.params.publicationId,
          objectionId: request.params.objectionId,
          scope: unitScope(session),
          filename: request.query.filename,
          declared,
          data,
          settings: deps.evidence,
        });
        return reply.status(201).send(presentFile(file));
      },
    );

    app.get(
      "/plans/:planId/publications/:publicationId/objections/:objectionId/evidence/:fileId",
      {
        schema: {
          tags: ["publication"],
          summary: "Download an objection's evidence file (the office, and the objecting unit)",
          params: objectionParams.extend({ fileId: z.uuid() }),
        },
      },
      async (request, reply) => {
        const session = authorize(request, "objections.read");
        await inPlan(session, request.params.planId, request.params.publicationId);
        const file = await deps.publication.file(
          request.params.publicationId,
          request.params.objectionId,
          request.params.fileId,
        );
        if (!inScope(unitScope(session), file.unit)) throw forbidden();
        return reply
          .type(file.contentType)
          .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
          .send(file.content);
      },
    );

    app.post(
      "/plans/:planId/publications/:publicationId/objections/:objectionId/resolve",
      {
        schema: {
          tags: ["publication"],
          summary:
            "Accept or reject an objection, with the reason; accepting unlocks the approved cells it concerns for the unit to correct",
          params: pubParams.extend({ objectionId: z.uuid() }),
          body: resolveBody,
          response: { 200: resolveReply },
        },
      },
      async (request) => {
        const session = authorize(request, "objections.resolve");
        const { current } = await inPlan(session, request.params.planId, request.params.publicationId);
        const o = await resolveObjection({
          ...commandContext(deps.env, request),
          planId: request.params.planId,
          publicationId: request.params.publicationId,
          objectionId: request.params.objectionId,
          planVersionId: current.id,
          decision: request.body.decision,
          resolution: request.body.resolution,
          until: request.body.correctUntil ? new Date(request.body.correctUntil) : undefined,
        });
        return { ...presentObjection(o), unlocked: o.unlocked };
      },
    );

    app.post(
      "/plans/:planId/publications/:publicationId/finalise",
      {
        schema: {
          tags: ["publication"],
          summary: "Make the results final after the notice",
          params: pubParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "results.publish");
        await inPlan(session, request.params.planId, request.params.publicationId);
        await finaliseResults({
          ...commandContext(deps.env, request),
          publicationId: request.params.publicationId,
        });
        return reply.status(204).send(null);
      },
    );
  };
