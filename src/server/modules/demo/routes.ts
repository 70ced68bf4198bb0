import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../demo.js";
import { demoInfo } from "./schema.js";

/** /api/v1/demo: whether this server runs the demo, and if so its accounts (for the sign-in page). */
export const demoRoutes =
  (demo: boolean): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/demo",
      {
        config: { anonymous: true },
        schema: { tags: ["auth"], summary: "Demo mode and its accounts", response: { 200: demoInfo } },
      },
      async () =>
        demo
          ? {
              demo: true,
              password: DEMO_PASSWORD,
              accounts: DEMO_ACCOUNTS.map(({ username, role }) => ({ username, role })),
            }
          : { demo: false, accounts: [] },
    );
  };
