import { randomUUID } from "node:crypto";
import { and, count, desc, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { Lang } from "../../../engine/index.js";
import { type Database, resultRows } from "../../db/client.js";
import {
  deadlineReminders,
  mailOutbox,
  notificationAddresses,
  notificationCursor,
  notifications,
  type Role,
} from "../../db/schema/index.js";
import { notFound } from "../../errors.js";
import type { Mailer } from "./mailer.js";
import {
  deadlineReminder,
  mailSignature,
  type Named,
  named,
  objectionFiled,
  objectionResolved,
  planPublished,
  type ReminderKind,
  resultsFinal,
  resultsPublished,
  type Texts,
  valueReturned,
} from "./texts.js";

type Kind = (typeof notifications.$inferSelect)["kind"];
export type Notification = typeof notifications.$inferSelect;

/** One notification to write: for whom, what, where it points. */
interface Draft {
  kind: Kind;
  texts: Texts;
  link: string;
  planId: string | null;
  /** What caused it (unique per account): `audit:<seq>` or `reminder:<id>`. */
  source: string;
}

/** Who receives: the accounts holding one of these roles, in these units (organisation codes) if given. */
interface Audience {
  roles: Role[];
  units?: string[];
}

/** Reminders before the deadline, the nearest first: a late start sends only the nearest one due. */
const REMINDERS: { kind: ReminderKind; beforeMs: number }[] = [
  { kind: "2h", beforeMs: 2 * 3600_000 },
  { kind: "1d", beforeMs: 86_400_000 },
  { kind: "7d", beforeMs: 7 * 86_400_000 },
];

/** A failed e-mail is tried again after 1, 4, 16 and 64 minutes; after the fifth attempt it is given up. */
export const MAX_ATTEMPTS = 5;
const retryAfterMs = (attempts: number) => 60_000 * 4 ** (attempts - 1);

/** The audit actions that notify someone (fromEntry). */
const NOTIFYING = new Set([
  "plan.publish",
  "value.return",
  "objection.file",
  "objection.accept",
  "objection.reject",
  "results.publish",
  "results.finalise",
]);

/** Audit entries read per dispatch transaction. */
const BATCH = 200;
/** How long after an embargo ends its results are still announced (a dispatcher down longer misses them). */
const EMBARGO_LOOKBACK_MS = 30 * 24 * 3600_000;

const UNIT_PEOPLE: Role[] = ["unit_reporter", "unit_leader"];

/**
 * Notifications: the in-app inbox of each account, and e-mail through an outbox.
 *
 * Events come from the audit trail, not from hooks in the services that cause them: every action that
 * notifies (a plan published, a value returned, an objection filed or resolved) already writes an audit
 * entry in its own transaction, so `dispatch` reads the entries after a cursor and writes their
 * notifications, advancing the cursor in the same transaction. The cursor row is claimed with
 * FOR UPDATE SKIP LOCKED, so with several app processes one dispatches while the others skip; an entry
 * is notified once (the cursor moves with the notifications, or neither does), and the trail's entries
 * become visible in sequence order (they are numbered under the chain's advisory lock, held until
 * commit), so the cursor never passes an entry still to come. No other module knows notifications exist.
 *
 * Deadline reminders are scheduled from the plan versions' deadlines: a reminder is a row keyed by
 * (plan version, unit, kind, due time) inserted with ON CONFLICT DO NOTHING together with its
 * notifications, so of several processes racing, one inserts it and notifies, the others do nothing.
 *
 * E-mails are rows of mail_outbox, written with their notification when SMTP is configured and the
 * account has an address; `sendMail` claims due rows (SKIP LOCKED), sends them and marks them sent.
 */
export function createNotificationService(deps: {
  db: Database;
  now: () => Date;
  /** The SMTP sender; none: in-app notifications only. */
  mailer?: Mailer | null;
  worker?: string;
}) {
  const { db, now } = deps;
  const mailer = deps.mailer ?? null;
  const worker = deps.worker ?? `${process.pid}-${randomUUID().slice(0, 8)}`;

  /**
   * The accounts of an audience with their language and e-mail address. Read defensively: the account's
   * language (users.language) and address (users.email) are columns other work may add, so they are
   * taken from the row as JSON (absent: zh-CN, and the address set on the inbox page, if any).
   */
  async function recipients(tx: Database, audience: Audience) {
    const roleList = sql.join(
      audience.roles.map((r) => sql`${r}`),
      sql`, `,
    );
    const unitFilter = audience.units
      ? sql`AND u.organisation_id IN (SELECT o.id FROM organisations o WHERE o.code IN (${sql.join(
          audience.units.length ? audience.units.map((c) => sql`${c}`) : [sql`NULL`],
          sql`, `,
        )}))`
      : sql``;
    const rows = resultRows<{ id: string; language: string | null; email: string | null }>(
      await tx.execute(sql`
        SELECT u.id, to_jsonb(u) ->> 'language' AS language,
          coalesce(a.email, to_jsonb(u) ->> 'email') AS email
        FROM users u LEFT JOIN notification_addresses a ON a.user_id = u.id
        WHERE EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN (${roleList}))
        ${unitFilter}
        ORDER BY u.id`),
    );
    return rows.map((r) => ({
      id: r.id,
      lang: (r.language?.toLowerCase().startsWith("en") ? "en" : "zh-CN") as Lang,
      email: r.email?.trim() || null,
    }));
  }

  /** Writes a notification for each account of the audience (once per account and cause), and its e-mail. */
  async function notify(tx: Database, audience: Audience, draft: Draft): Promise<number> {
    const people = await recipients(tx, audience);
    if (people.length === 0) return 0;
    const written = await tx
      .insert(notifications)
      .values(people.map((p) => ({ ...draft, userId: p.id, createdAt: now() })))
      .onConflictDoNothing({ target: [notifications.userId, notifications.source] })
      .returning({ id: notifications.id, userId: notifications.userId });
    if (mailer) {
      const mails = written.flatMap((n) => {
        const p = people.find((q) => q.id === n.userId)!;
        if (!p.email) return [];
        const text = draft.texts[p.lang];
        return [
          {
            notificationId: n.id,
            to: p.email,
            subject: text.subject,
            body: text.body + mailSignature[p.lang],
            createdAt: now(),
            nextAttemptAt: now(),
          },
        ];
      });
      if (mails.length) await tx.insert(mailOutbox).values(mails).onConflictDoNothing();
    }
    return written.length;
  }

  interface Entry {
    seq: number;
    action: string;
    entity_id: string | null;
    after: Record<string, unknown> | null;
  }

  /** A plan's name, from a version's document (the current one unless a version is given). */
  async function planOf(tx: Database, where: SQL) {
    const [row] = resultRows<{ plan_id: string; name: string; name_en: string | null; version: number }>(
      await tx.execute(sql`
        SELECT v.plan_id, v.document ->> 'name' AS name, v.document ->> 'nameEn' AS name_en, v.version
        FROM plan_versions v WHERE ${where} ORDER BY v.version DESC LIMIT 1`),
    );
    return row
      ? { planId: row.plan_id, name: named(row.name, row.name_en), version: Number(row.version) }
      : null;
  }

  /** The notification an audit entry causes, if any: to whom, and what. */
  async function fromEntry(tx: Database, e: Entry, source = `audit:${e.seq}`): Promise<number> {
    const after = e.after ?? {};
    switch (e.action) {
      case "plan.publish": {
        const version = Number(after.version);
        const plan = await planOf(tx, sql`v.plan_id = ${e.entity_id} AND v.version = ${version}`);
        if (!plan) return 0;
        const [v] = resultRows<{ unit_codes: string[] }>(
          await tx.execute(
            sql`SELECT unit_codes FROM plan_versions WHERE plan_id = ${plan.planId} AND version = ${version}`,
          ),
        );
        return notify(
          tx,
          { roles: UNIT_PEOPLE, units: v?.unit_codes ?? [] },
          {
            kind: "plan_published",
            texts: planPublished(plan.name, version),
            link: `/entry?plan=${plan.planId}`,
            planId: plan.planId,
            source,
          },
        );
      }
      case "value.return": {
        const unit = String(after.unit ?? "");
        const indicator = String(after.indicator ?? "");
        const [row] = resultRows<{ plan_version_id: string }>(
          await tx.execute(sql`SELECT plan_version_id FROM reported_values WHERE id = ${e.entity_id}`),
        );
        if (!row) return 0;
        const plan = await planOf(tx, sql`v.id = ${row.plan_version_id}`);
        if (!plan) return 0;
        return notify(
          tx,
          { roles: ["unit_reporter"], units: [unit] },
          {
            kind: "value_returned",
            texts: valueReturned(
              plan.name,
              { code: indicator, ...(await indicatorName(tx, row.plan_version_id, indicator)) },
              String(after.period ?? ""),
              String(after.reason ?? ""),
            ),
            link: `/entry?plan=${plan.planId}`,
            planId: plan.planId,
            source,
          },
        );
      }
      case "objection.file": {
        const plan = await planOf(
          tx,
          sql`v.id = (SELECT plan_version_id FROM publications WHERE id = ${String(after.publicationId)})`,
        );
        if (!plan) return 0;
        const [org] = resultRows<{ name: string; name_en: string | null }>(
          await tx.execute(sql`SELECT name, name_en FROM organisations WHERE code = ${String(after.unit)}`),
        );
        return notify(
          tx,
          { roles: ["office_staff"] },
          {
            kind: "objection_filed",
            texts: objectionFiled(
              plan.name,
              named(org?.name ?? String(after.unit), org?.name_en),
              String(after.reason ?? ""),
            ),
            link: `/objections?plan=${plan.planId}`,
            planId: plan.planId,
            source,
          },
        );
      }
      case "objection.accept":
      case "objection.reject": {
        const [o] = resultRows<{ unit_code: string; plan_version_id: string }>(
          await tx.execute(sql`
            SELECT o.unit_code, p.plan_version_id FROM objections o
            JOIN publications p ON p.id = o.publication_id WHERE o.id = ${e.entity_id}`),
        );
        if (!o) return 0;
        const plan = await planOf(tx, sql`v.id = ${o.plan_version_id}`);
        if (!plan) return 0;
        return notify(
          tx,
          { roles: UNIT_PEOPLE, units: [o.unit_code] },
          {
            kind: "objection_resolved",
            texts: objectionResolved(
              plan.name,
              e.action === "objection.accept",
              String(after.resolution ?? ""),
            ),
            link: `/objections?plan=${plan.planId}`,
            planId: plan.planId,
            source,
          },
        );
      }
      case "results.publish":
      case "results.finalise": {
        // The units of the version scored, all of them: each reads its own result (and may object).
        const [p] = resultRows<{
          plan_version_id: string;
          notice_until: string;
          unit_codes: string[];
          embargoed: boolean;
        }>(
          await tx.execute(sql`
            SELECT p.plan_version_id, p.notice_until::text AS notice_until, v.unit_codes,
              EXISTS (SELECT 1 FROM portal_pages g WHERE g.publication_id = p.id
                AND g.visible_from > p.published_at) AS embargoed
            FROM publications p JOIN plan_versions v ON v.id = p.plan_version_id WHERE p.id = ${e.entity_id}`),
        );
        if (!p) return 0;
        // Under an embargo the units hear of their results when the public sees them (announceEmbargoed).
        // Published under an embargo: told by announceEmbargoed once it ends, never by the audit entry
        // (the same test in both, so a dispatcher that reaches the entry late does not tell it twice).
        if (p.embargoed && e.action === "results.publish" && source === `audit:${e.seq}`) return 0;
        const plan = await planOf(tx, sql`v.id = ${p.plan_version_id}`);
        if (!plan) return 0;
        const final = e.action === "results.finalise";
        return notify(
          tx,
          { roles: UNIT_PEOPLE, units: p.unit_codes },
          {
            kind: final ? "results_final" : "results_published",
            texts: final
              ? resultsFinal(plan.name)
              : resultsPublished(plan.name, new Date(p.notice_until), Boolean(after.supersedes)),
            link: `/results?plan=${plan.planId}`,
            planId: plan.planId,
            source,
          },
        );
      }
      default:
        return 0;
    }
  }

  /** An indicator's name in a version's document (its code if it has none there). */
  async function indicatorName(tx: Database, planVersionId: string, code: string): Promise<Named> {
    const [row] = resultRows<{ document: unknown }>(
      await tx.execute(sql`SELECT document FROM plan_versions WHERE id = ${planVersionId}`),
    );
    const doc = (typeof row?.document === "string" ? JSON.parse(row.document) : row?.document) as
      | { indicators?: unknown[] }
      | undefined;
    const stack = [...(doc?.indicators ?? [])] as {
      code?: string;
      name?: string;
      nameEn?: string;
      children?: unknown[];
    }[];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.code === code) return named(node.name ?? code, node.nameEn);
      if (Array.isArray(node.children)) stack.push(...(node.children as typeof stack));
    }
    return named(code);
  }

  const service = {
    worker,

    /** Starts the audit cursor at the trail's end if there is none yet (a new or restored database). */
    async ensureCursor(): Promise<void> {
      await db.execute(sql`
        INSERT INTO notification_cursor (id, seq) SELECT 1, coalesce(max(seq), 0) FROM audit_log
        ON CONFLICT (id) DO NOTHING`);
    },

    /**
     * Notifies the audit entries after the cursor, a batch per transaction, until none are left or
     * another process holds the cursor. Returns the number of notifications written.
     */
    async dispatch(): Promise<number> {
      let total = 0;
      for (;;) {
        const step = await db.transaction(async (tx) => {
          const [cursor] = await tx
            .select({ seq: notificationCursor.seq })
            .from(notificationCursor)
            .where(eq(notificationCursor.id, 1))
            .for("update", { skipLocked: true });
          if (!cursor) return null;
          const entries = resultRows<Entry>(
            await tx.execute(sql`
              SELECT seq, action, entity_id, after FROM audit_log
              WHERE seq > ${cursor.seq} ORDER BY seq LIMIT ${BATCH}`),
          ).map((e) => ({
            ...e,
            seq: Number(e.seq),
            after: typeof e.after === "string" ? JSON.parse(e.after) : e.after,
          }));
          if (entries.length === 0) return null;
          let written = 0;
          for (const e of entries) {
            if (!NOTIFYING.has(e.action)) continue;
            // In a savepoint: an entry that cannot be notified (its subject deleted since, a malformed
            // record) is skipped rather than holding every later notification back.
            try {
              written += await tx.transaction((sp) => fromEntry(sp as unknown as Database, e));
            } catch {
              // Skipped: the cursor still moves past it.
            }
          }
          await tx
            .update(notificationCursor)
            .set({ seq: entries[entries.length - 1]!.seq })
            .where(eq(notificationCursor.id, 1));
          return { written, more: entries.length === BATCH };
        });
        if (!step) return total;
        total += step.written;
        if (!step.more) return total;
      }
    },

    /**
     * Sends the deadline reminders now due: for each unit of a plan version in force whose deadline is
     * ahead, the nearest of 7 days, 1 day and 2 hours before it that has passed, if the unit has not
     * submitted (it has reported nothing for review yet, or still has draft or returned values): to its
     * reporters and leaders. A unit's deadline is its own reopening's end where the office reopened it
     * later than the plan's (补报), so a reopened unit is reminded of the time it actually has.
     * Returns the number of notifications written.
     */
    async remind(): Promise<number> {
      const at = now();
      const pending = resultRows<{
        version_id: string;
        plan_id: string;
        code: string;
        deadline: string;
        name: string;
        name_en: string | null;
      }>(
        await db.execute(sql`
          SELECT * FROM (
            SELECT v.id AS version_id, v.plan_id, u.code, v.document ->> 'name' AS name,
              v.document ->> 'nameEn' AS name_en, greatest(v.deadline, r.until) AS due_by,
              greatest(v.deadline, r.until)::text AS deadline
            FROM plan_versions v
            CROSS JOIN LATERAL unnest(v.unit_codes) AS u(code)
            LEFT JOIN reopenings r ON r.plan_version_id = v.id AND r.unit_code = u.code
            WHERE v.status = 'published' AND v.deadline IS NOT NULL
              AND v.version = (SELECT max(w.version) FROM plan_versions w WHERE w.plan_id = v.plan_id)
          ) d
          WHERE d.due_by > ${at.toISOString()}::timestamptz
            AND d.due_by - interval '7 days' <= ${at.toISOString()}::timestamptz
            AND (
              NOT EXISTS (SELECT 1 FROM reported_values x WHERE x.plan_version_id = d.version_id
                AND x.unit_code = d.code AND x.status IN ('submitted', 'approved'))
              OR EXISTS (SELECT 1 FROM reported_values x WHERE x.plan_version_id = d.version_id
                AND x.unit_code = d.code AND x.status IN ('draft', 'returned')))
          ORDER BY d.version_id, d.code`),
      );
      let total = 0;
      for (const p of pending) {
        const deadline = new Date(p.deadline);
        const due = REMINDERS.find((r) => deadline.getTime() - r.beforeMs <= at.getTime())!;
        const dueAt = new Date(deadline.getTime() - due.beforeMs);
        total += await db.transaction(async (tx) => {
          const [reminder] = await tx
            .insert(deadlineReminders)
            .values({ planVersionId: p.version_id, unitCode: p.code, kind: due.kind, dueAt, createdAt: at })
            .onConflictDoNothing()
            .returning({ id: deadlineReminders.id });
          // Another process (or an earlier tick) has sent this one.
          if (!reminder) return 0;
          return notify(
            tx,
            { roles: UNIT_PEOPLE, units: [p.code] },
            {
              kind: "deadline",
              texts: deadlineReminder(named(p.name, p.name_en), deadline, at),
              link: `/entry?plan=${p.plan_id}`,
              planId: p.plan_id,
              source: `reminder:${reminder.id}`,
            },
          );
        });
      }
      return total;
    },

    /**
     * Sends the e-mails due, up to `limit`. Each is claimed first in its own short transaction (SKIP
     * LOCKED: another process takes others), which counts the attempt and sets when it may be tried
     * again, so one whose sender stopped mid-way is retried then; sent, it is marked `sent_at`; failed,
     * it waits to be retried, and after MAX_ATTEMPTS it is given up (`failed_at`). Returns how many were sent.
     */
    async sendMail(limit = 20): Promise<number> {
      if (!mailer) return 0;
      let sent = 0;
      for (let k = 0; k < limit; k++) {
        const at = now();
        const claimed = await db.transaction(async (tx) => {
          const [row] = await tx
            .select({ id: mailOutbox.id, attempts: mailOutbox.attempts })
            .from(mailOutbox)
            .where(
              and(
                isNull(mailOutbox.sentAt),
                isNull(mailOutbox.failedAt),
                sql`${mailOutbox.nextAttemptAt} <= ${at.toISOString()}::timestamptz`,
              ),
            )
            .orderBy(mailOutbox.nextAttemptAt)
            .limit(1)
            .for("update", { skipLocked: true });
          if (!row) return null;
          const attempts = row.attempts + 1;
          const [mail] = await tx
            .update(mailOutbox)
            .set({
              attempts,
              claimedBy: worker,
              claimedAt: at,
              nextAttemptAt: new Date(at.getTime() + retryAfterMs(attempts)),
            })
            .where(eq(mailOutbox.id, row.id))
            .returning();
          return mail!;
        });
        if (!claimed) break;
        try {
          await mailer.send({ to: claimed.to, subject: claimed.subject, text: claimed.body });
          await db
            .update(mailOutbox)
            .set({ sentAt: now(), lastError: null })
            .where(and(eq(mailOutbox.id, claimed.id), eq(mailOutbox.claimedBy, worker)));
          sent++;
        } catch (e) {
          await db
            .update(mailOutbox)
            .set({
              lastError: (e instanceof Error ? e.message : String(e)).slice(0, 1000),
              ...(claimed.attempts >= MAX_ATTEMPTS ? { failedAt: now() } : {}),
            })
            .where(eq(mailOutbox.id, claimed.id));
        }
      }
      return sent;
    },

    /**
     * The results published under an embargo whose embargo has ended (within EMBARGO_LOOKBACK_MS), told
     * to their units now: `dispatch` passed them over while they were embargoed. Written once per account
     * (the cause `embargo:<publication>` is unique per account), so every round and every process may
     * ask again.
     */
    async announceEmbargoed(): Promise<number> {
      const at = now();
      const since = new Date(at.getTime() - EMBARGO_LOOKBACK_MS);
      // From the portal's pages (one per publication), not the audit trail, which has no index to search.
      const ended = resultRows<{ id: string; supersedes: string | null }>(
        await db.execute(sql`
          SELECT p.id, p.supersedes FROM portal_pages g JOIN publications p ON p.id = g.publication_id
          WHERE g.visible_from > p.published_at AND p.status IN ('notice', 'final')
            AND NOT EXISTS (SELECT 1 FROM publications s WHERE s.supersedes = p.id)
            AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.source = 'embargo:' || p.id::text)
            AND g.visible_from <= ${at.toISOString()}::timestamptz
            AND g.visible_from > ${since.toISOString()}::timestamptz
          ORDER BY g.visible_from, p.id`),
      );
      let written = 0;
      for (const p of ended) {
        const entry = {
          seq: 0,
          action: "results.publish",
          entity_id: p.id,
          after: { supersedes: p.supersedes },
        };
        written += await db.transaction((tx) => fromEntry(tx, entry, `embargo:${p.id}`));
      }
      return written;
    },

    /** One round: events, reminders, e-mails. */
    async tick(): Promise<{ notified: number; reminded: number; mailed: number }> {
      const notified = (await service.dispatch()) + (await service.announceEmbargoed());
      const reminded = await service.remind();
      const mailed = await service.sendMail();
      return { notified, reminded, mailed };
    },

    /** One page of an account's notifications, newest first, with its unread count. */
    async list(userId: string, query: { page: number; pageSize: number; unread?: boolean | undefined }) {
      const where = and(
        eq(notifications.userId, userId),
        query.unread ? isNull(notifications.readAt) : undefined,
      );
      const [items, [total], unread] = await Promise.all([
        db
          .select()
          .from(notifications)
          .where(where)
          .orderBy(desc(notifications.createdAt), desc(notifications.id))
          .limit(query.pageSize)
          .offset((query.page - 1) * query.pageSize),
        db.select({ n: count() }).from(notifications).where(where),
        service.unread(userId),
      ]);
      return { items, total: total?.n ?? 0, unread, page: query.page, pageSize: query.pageSize };
    },

    async unread(userId: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(notifications)
        .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
      return row?.n ?? 0;
    },

    /** Marks one of the account's own notifications read; another account's is not found (404). */
    async markRead(userId: string, id: string): Promise<Notification> {
      const [row] = await db
        .update(notifications)
        .set({ readAt: sql`coalesce(${notifications.readAt}, ${now().toISOString()}::timestamptz)` })
        .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
        .returning();
      if (!row) throw notFound("通知不存在", "notification not found");
      return row;
    },

    async markAllRead(userId: string): Promise<number> {
      const rows = await db
        .update(notifications)
        .set({ readAt: now() })
        .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
        .returning({ id: notifications.id });
      return rows.length;
    },

    async address(userId: string): Promise<string | null> {
      const [row] = await db
        .select({ email: notificationAddresses.email })
        .from(notificationAddresses)
        .where(eq(notificationAddresses.userId, userId));
      return row?.email ?? null;
    },

    async setAddress(userId: string, email: string | null): Promise<void> {
      if (!email) {
        await db.delete(notificationAddresses).where(eq(notificationAddresses.userId, userId));
        return;
      }
      await db
        .insert(notificationAddresses)
        .values({ userId, email, updatedAt: now() })
        .onConflictDoUpdate({ target: notificationAddresses.userId, set: { email, updatedAt: now() } });
    },

    /** Whether e-mail is configured (SMTP): the inbox page says so. */
    mailEnabled: mailer !== null,
  };
  return service;
}

export type NotificationService = ReturnType<typeof createNotificationService>;

/** Runs the notification rounds in this process every `pollMs` until stopped (like the job runner). */
export function createNotificationPump(deps: { service: NotificationService; pollMs?: number }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  return {
    start() {
      stopped = false;
      const loop = async () => {
        running = deps.service.tick().catch(() => undefined);
        await running;
        if (!stopped) timer = setTimeout(loop, deps.pollMs ?? 10_000);
      };
      timer = setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
