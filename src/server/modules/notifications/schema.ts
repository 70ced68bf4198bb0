import { z } from "zod";

/** The shapes of the notifications API, shared with the web app (pure zod). */

/** The kinds of notification (docs/workflow.md, Notifications); the table's column takes these. */
export const notificationKinds = [
  "deadline",
  "value_returned",
  "objection_filed",
  "objection_resolved",
  "plan_published",
  "results_published",
  "results_final",
] as const;

export const notificationKind = z.enum(notificationKinds);

/** One notification as its account reads it, in the language of the request. */
export const notificationView = z.object({
  id: z.string(),
  kind: notificationKind,
  subject: z.string(),
  body: z.string(),
  /** The web app's path of the thing concerned. */
  link: z.string(),
  planId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationView = z.infer<typeof notificationView>;

export const notificationListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  /** Only the unread ones. */
  unread: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});

export const notificationPage = z.object({
  items: z.array(notificationView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  unread: z.number(),
});
export type NotificationPage = z.infer<typeof notificationPage>;

export const unreadCount = z.object({ unread: z.number() });
export type UnreadCount = z.infer<typeof unreadCount>;

/** The account's own e-mail address for notifications, and whether the service sends e-mail at all. */
export const notificationSettings = z.object({
  email: z.string().nullable(),
  mailEnabled: z.boolean(),
});
export type NotificationSettings = z.infer<typeof notificationSettings>;

export const notificationSettingsBody = z.object({
  email: z.union([z.email().max(254), z.literal(""), z.null()]),
});
