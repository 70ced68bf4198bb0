import { bigint, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The append-only audit trail. Each entry's hash covers the previous entry's hash, so any change to
 * history breaks the chain; database triggers (migrations 0001 and 0015) compute the hashes (SHA-256,
 * and SM3 where pgcrypto offers it) and refuse UPDATE, DELETE and TRUNCATE.
 */
export const auditLog = pgTable("audit_log", {
  /** Numbered by the chaining trigger from audit_log_seq, under its lock: no gaps, chain order. */
  seq: bigint("seq", { mode: "number" }).primaryKey().default(0),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  actor: text("actor").notNull(),
  ip: text("ip"),
  action: text("action").notNull(),
  entity: text("entity").notNull(),
  entityId: text("entity_id"),
  before: jsonb("before"),
  after: jsonb("after"),
  prevHash: text("prev_hash").notNull().default(""),
  hash: text("hash").notNull().default(""),
  /**
   * The same chain in SM3 (国密), where the database offers it (pgcrypto): SM3 of the previous entry's
   * SM3 and this entry's text. Null where it does not (and before migration 0015).
   */
  hashSm3: text("hash_sm3"),
});
