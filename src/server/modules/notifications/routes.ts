import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestLang } from "../../lang.js";
import { requireSession } from "../../plugins/session.js";
import {
  notificationListQuery,
  notificationPage,
  notificationSettings,
  notificationSettingsBody,
  notificationView,
  unreadCount,
} from "./schema.js";
import type { Notification, NotificationService } from "./service.js";

const present = (n: Notification, lang: "zh-CN" | "en") => ({
  id: n.id,
  kind: n.kind,
  subject: n.texts[lang].subject,
  body: n.texts[lang].body,
  link: n.link,
  planId: n.planId,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt ? n.readAt.toISOString() : null,
});

/**
 * Every signed-in account's own inbox: it reads and marks only its own notifications (another's id is
 * answered 404, as an absent one is, so ids cannot be probed).
 */
export const notificationRoutes =
  (service: NotificationService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/notifications",
      {
        schema: {
          tags: ["notifications"],
          summary: "My notifications, newest first, with the unread count",
          querystring: notificationListQuery,
          response: { 200: notificationPage },
        },
      },
      async (request) => {
        const session = requireSession(request);
        const lang = requestLang(request);
        const result = await service.list(session.user.id, request.query);
        return { ...result, items: result.items.map((n) => present(n, lang)) };
      },
    );

    app.get(
      "/notifications/unread-count",
      {
        schema: {
          tags: ["notifications"],
          summary: "How many of my notifications are unread",
          response: { 200: unreadCount },
        },
      },
      async (request) => ({ unread: await service.unread(requireSession(request).user.id) }),
    );

    app.post(
      "/notifications/:id/read",
      {
        schema: {
          tags: ["notifications"],
          summary: "Mark one of my notifications read",
          params: z.object({ id: z.uuid() }),
          response: { 200: notificationView },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return present(await service.markRead(session.user.id, request.params.id), requestLang(request));
      },
    );

    app.post(
      "/notifications/read-all",
      {
        schema: {
          tags: ["notifications"],
          summary: "Mark all my notifications read",
          response: { 200: z.object({ updated: z.number() }) },
        },
      },
      async (request) => ({ updated: await service.markAllRead(requireSession(request).user.id) }),
    );

    app.get(
      "/notifications/settings",
      {
        schema: {
          tags: ["notifications"],
          summary: "My e-mail address for notifications",
          response: { 200: notificationSettings },
        },
      },
      async (request) => ({
        email: await service.address(requireSession(request).user.id),
        mailEnabled: service.mailEnabled,
      }),
    );

    app.put(
      "/notifications/settings",
      {
        schema: {
          tags: ["notifications"],
          summary: "Set (or clear) my e-mail address for notifications",
          body: notificationSettingsBody,
          response: { 200: notificationSettings },
        },
      },
      async (request) => {
        const session = requireSession(request);
        await service.setAddress(session.user.id, request.body.email || null);
        return { email: await service.address(session.user.id), mailEnabled: service.mailEnabled };
      },
    );
  };
