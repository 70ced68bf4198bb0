import { sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ENGINE_VERSION } from "../../../engine/index.js";
import type { Database } from "../../db/client.js";

/** GET /api/v1/health: the service is up and its database answers. */
export const healthRoutes =
  (deps: { db: Database; databaseKind: string }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/health",
      {
        config: { anonymous: true },
        schema: {
          tags: ["system"],
          summary: "Service health",
          response: {
            200: z.object({ status: z.literal("ok"), version: z.string(), database: z.string() }),
          },
        },
      },
      async () => {
        await deps.db.execute(sql`SELECT 1`);
        return { status: "ok" as const, version: ENGINE_VERSION, database: deps.databaseKind };
      },
    );
  };
