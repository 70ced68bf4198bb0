import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requireSession } from "../../plugins/session.js";
import { agendaReply } from "./schema.js";
import type { AgendaService } from "./service.js";

/** /api/v1/me/agenda: the signed-in caller's own workbench, so any signed-in role may ask for it. */
export const agendaRoutes =
  (agenda: AgendaService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/me/agenda",
      {
        schema: {
          tags: ["agenda"],
          summary:
            "What needs my action now, per plan in force: values to enter, returned values with the reasons, reviews waiting, objections, target adjustments and bonus claims awaiting a decision, the deadline (a unit's people: their own unit only)",
          response: { 200: agendaReply },
        },
      },
      async (request) => ({ items: await agenda.of(requireSession(request)) }),
    );
  };
