import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { bulletinPath } from "../../../portal/pages/bulletin.js";
import { noticePath } from "../../../portal/pages/notice.js";
import type { BulletinPortal } from "../bulletins/portal.js";
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
      algorithm: z.enum(["sm3", "sha256"]),
      title: z.string(),
      publishedAt: z.string(),
    })
    .nullable(),
});

/** GET /api/v1/public/verify?hash=: whether a hash is one recorded for a published portal page. */
export const portalApiRoutes =
  (deps: { portal: PortalService; bulletins: BulletinPortal }): FastifyPluginAsyncZod =>
  async (app) => {
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
            algorithm: found.algorithm,
            title: found.title,
            publishedAt: found.publishedAt.toISOString(),
          },
        };
      },
    );
  };
