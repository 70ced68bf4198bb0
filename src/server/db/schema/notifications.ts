import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { notificationKinds } from "../../modules/notifications/schema.js";
import { planVersions } from "./plans.js";
import { users } from "./users.js";

/** A notification's subject and body in one language. */
export type NotificationText = { subject: string; body: string };

/**
 * An account's in-app notification (站内通知). Written in both languages (the inbox follows the UI's
 * language; an e-mail goes in the account's own). `source` says what caused it (`audit:<seq>`, or
 * `reminder:<id>`): unique per account, so a cause notifies each account once whatever retries.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    texts: jsonb("texts").$type<{ "zh-CN": NotificationText; en: NotificationText }>().notNull(),
    /** The web app's path of the thing concerned (e.g. /entry?plan=…). */
    link: text("link").notNull(),
    planId: uuid("plan_id"),
    source: text("source").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    unique("notifications_user_source").on(t.userId, t.source),
    index("notifications_user_created").on(t.userId, t.createdAt),
    index("notifications_user_unread").on(t.userId).where(sql`${t.readAt} IS NULL`),
  ],
);

/**
 * How far the dispatcher has read the audit trail: one row. The dispatcher locks it (SKIP LOCKED: one
 * process at a time), writes the notifications of the entries after it and advances it, in one transaction.
 */
export const notificationCursor = pgTable("notification_cursor", {
  id: integer("id").primaryKey(),
  seq: bigint("seq", { mode: "number" }).notNull(),
});

/**
 * Deadline reminders sent: one row per plan version, unit, kind (7d, 1d, 2h before) and due time. The
 * unique key makes a reminder happen once however many processes schedule it at once; a new deadline
 * is a new due time, so its reminders are sent again.
 */
export const deadlineReminders = pgTable(
  "deadline_reminders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planVersionId: uuid("plan_version_id")
      .notNull()
      .references(() => planVersions.id),
    unitCode: text("unit_code").notNull(),
    kind: text("kind", { enum: ["7d", "1d", "2h"] }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("deadline_reminders_key").on(t.planVersionId, t.unitCode, t.kind, t.dueAt)],
);

/** An account's e-mail address for notifications (the account sets it on its inbox page). */
export const notificationAddresses = pgTable("notification_addresses", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  email: text("email").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * E-mails to send (written with their notification, only when SMTP is configured). A sender claims a
 * row (FOR UPDATE SKIP LOCKED: no two processes take one), which counts an attempt and sets when it
 * may be tried again; `sent_at` marks it done. A failed send is retried after a growing wait, at most
 * `MAX_ATTEMPTS` times (then `failed_at`).
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    notificationId: uuid("notification_id")
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" })
      .unique("mail_outbox_notification"),
    to: text("to_address").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    claimedBy: text("claimed_by"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    failedAt: timestamp("failed_at", { withTimezone: true }),
    lastError: text("last_error"),
  },
  (t) => [
    index("mail_outbox_pending")
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} IS NULL AND ${t.failedAt} IS NULL`),
  ],
);
