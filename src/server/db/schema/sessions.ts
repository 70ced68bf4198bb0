import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.js";

/**
 * Signed-in sessions live in the database, so any app process can serve any request. The cookie
 * holds a random token; only its SHA-256 is stored.
 */
export const sessions = pgTable("sessions", {
  tokenHash: text("token_hash").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  csrfToken: text("csrf_token").notNull(),
  ip: text("ip"),
  userAgent: text("user_agent"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});

/** Sign-in attempts, for rate limits that hold across all app processes. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ip: text("ip").notNull(),
    username: text("username").notNull(),
    succeeded: text("succeeded", { enum: ["yes", "no"] }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("login_attempts_ip_at").on(t.ip, t.at)],
);

/**
 * The sign-in rate limit of a client address: attempts (any account) in the current minute. The count
 * is raised by one upsert that returns it, so parallel requests cannot all read the same old count.
 */
export const signInLimits = pgTable("sign_in_limits", {
  address: text("address").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  attempts: integer("attempts").notNull(),
});

/**
 * Sign-in throttles (docs/security.md, "Accounts, roles and sign-in"): failed sign-ins in a row for an
 * account (by the user name typed, known or not) from one address, or from every address when
 * `address` is '' (the account-wide row), and until when the next attempt must wait. An attempt is
 * counted as a failure before its password is checked, by one upsert under the row's lock, and the
 * row is cleared when the password is right.
 */
export const signInThrottles = pgTable(
  "sign_in_throttles",
  {
    account: text("account").notNull(),
    address: text("address").notNull(),
    failures: integer("failures").notNull(),
    blockedUntil: timestamp("blocked_until", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.account, t.address] })],
);
