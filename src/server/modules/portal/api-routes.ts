import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { bulletinPath } from "../../../portal/pages/bulletin.js";
import { noticePath } from "../../../portal/pages/notice.js";
import { notFound } from "../../errors.js";
import { authorize } from "../../policies.js";
import type { BulletinPortal } from "../bulletins/portal.js";
import type { PublicationService } from "../publication/service.js";
import { type NoticePdfService, sendNoticePdf } from "./pdf.js";
import type { PortalService } from "./service.js";

export const verifyReply = z.object({
  hash: z.string(),
  found: z.boolean(),
  page: z
    .object({
      publicationId: z.string().describe("the notice's publication id, or the bulletin's id"),
      kind: z.enum(["notice", "bulletin"]),
      url: z.string().describe("the notice's or bulletin's portal page (path)"),
      lang: z.enum(["zh-CN", "en"]).describe("the language whose article has this hash"),
      form: z
        .enum(["article", "pdf"])
        .describe("whether the hash is of the page's article or of the notice's PDF"),
      edition: z
        .enum(["notice", "final"])
        .optional()
        .describe("a notice's: of its public notice (公示) or of its final results notice (通报)"),
      algorithm: z.enum(["sm3", "sha256"]),
      title: z.string(),
      publishedAt: z.string(),
    })
    .nullable(),
});

/**
 * GET /api/v1/public/verify?hash=: whether a hash is one recorded for a published portal page (or its
 * PDF); and the office's download of a notice as PDF.
 */
export const portalApiRoutes =
  (deps: {
    portal: PortalService;
    bulletins: BulletinPortal;
    pdfs: NoticePdfService;
    publication: PublicationService;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/plans/:planId/publications/:publicationId/notice.pdf",
      {
        schema: {
          tags: ["publication"],
          summary:
            "A results notice as PDF (A4, Chinese or English), made once and kept; its SHA-256 and SM3 are recorded for verify (the office)",
          params: z.object({ planId: z.uuid(), publicationId: z.uuid() }),
          querystring: z.object({
            lang: z.enum(["zh-CN", "en"]).default("zh-CN"),
            edition: z
              .enum(["notice", "final"])
              .optional()
              .describe(
                "notice: the public notice (公示); final: the final results notice (通报), once finalised; default the current one",
              ),
          }),
        },
      },
      async (request, reply) => {
        const session = authorize(request, "publications.read");
        const { planId, publicationId } = request.params;
        await deps.publication.ofPlan(planId, publicationId);
        const by = { actor: session.user.username, ip: request.ip };
        const { lang, edition } = request.query;
        const pdf = await deps.pdfs.pdf(publicationId, lang, by, false, edition);
        // A publication from before the portal (migration 0025) has no page to make a PDF of; one not
        // finalised (or finalised before migration 0030) has no final notice.
        if (!pdf)
          throw edition === "final"
            ? notFound(
                "该公示尚无最终结果通报，无法生成 PDF",
                "this publication has no final results notice to make a PDF of",
              )
            : notFound(
                "该公示没有公示页面，无法生成 PDF",
                "this publication has no portal page to make a PDF of",
              );
        return sendNoticePdf(request, reply, pdf, {
          id: publicationId,
          lang: request.query.lang,
          cache: "private, no-cache",
        });
      },
    );

    app.get(
      "/public/verify",
      {
        config: { anonymous: true },
        schema: {
          tags: ["publication"],
          summary:
            "Whether a hash (SM3 or SHA-256, hex) is a published portal page's, recorded at publication (public)",
          querystring: z.object({ hash: z.string().regex(/^[0-9a-fA-F]{64}$/) }),
          response: { 200: verifyReply },
        },
      },
      async (request, reply) => {
        const hash = request.query.hash.toLowerCase();
        const notice = await deps.portal.byHash(hash, "zh-CN");
        const bulletin = notice ? null : await deps.bulletins.byHash(hash, "zh-CN");
        const found = notice ?? bulletin;
        reply.header("cache-control", "public, max-age=60");
        return {
          hash,
          found: found !== null,
          page: found && {
            publicationId: found.id,
            kind: notice ? ("notice" as const) : ("bulletin" as const),
            url:
              (notice ? noticePath(found.id) : bulletinPath(found.id)) +
              (found.lang === "en" ? "?lang=en" : ""),
            lang: found.lang,
            form: notice?.kind ?? ("article" as const),
            ...(notice ? { edition: notice.edition } : {}),
            algorithm: found.algorithm,
            title: found.title,
            publishedAt: found.publishedAt.toISOString(),
          },
        };
      },
    );
  };
