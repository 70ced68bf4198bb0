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

/**
 * The keyed chain (migration 0021): for each audit entry, HMAC-SHA-256 (and HMAC-SM3 where the runtime
 * has SM3) of the previous entry's MAC and this entry's content, computed by the app processes with a
 * key the database never holds (KAOHE_AUDIT_KEY or a key file). Append-only like the trail itself; a
 * database owner can delete or rewrite rows but cannot compute a MAC that verifies.
 */
export const auditSeals = pgTable("audit_seals", {
  /** The audit entry this MAC seals (audit_log.seq). */
  seq: bigint("seq", { mode: "number" }).primaryKey(),
  mac: text("mac").notNull(),
  macSm3: text("mac_sm3"),
});
