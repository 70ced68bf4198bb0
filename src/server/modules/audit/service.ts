import { sql } from "drizzle-orm";
import { type Database, resultRows } from "../../db/client.js";
import { auditLog } from "../../db/schema/index.js";

/** What an audit entry records: who, from where, what, and the state before and after. */
export interface AuditEntry {
  actor: string;
  ip?: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry; the database numbers it and chains its hash (see migration 0001). */
export async function appendAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actor: entry.actor,
    ip: entry.ip ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

export type ChainCheck =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenAt: number; reason: "altered" | "unlinked" };

/**
 * Recomputes every entry's hash and link in order and names the first entry that does not match:
 * `altered` (its content changed) or `unlinked` (an entry before it was removed or inserted).
 */
export async function verifyAuditChain(db: Database): Promise<ChainCheck> {
  const result = await db.execute(sql`
    SELECT a.seq, a.hash, a.prev_hash,
      encode(sha256(convert_to(audit_log_entry_text(a), 'UTF8')), 'hex') AS expected,
      coalesce(lag(a.hash) OVER (ORDER BY a.seq), repeat('0', 64)) AS previous
    FROM audit_log a ORDER BY a.seq`);
  const rows = resultRows<{
    seq: string | number;
    hash: string;
    prev_hash: string;
    expected: string;
    previous: string;
  }>(result);
  for (const row of rows) {
    const seq = Number(row.seq);
    if (row.prev_hash !== row.previous)
      return { ok: false, entries: rows.length, brokenAt: seq, reason: "unlinked" };
    if (row.hash !== row.expected)
      return { ok: false, entries: rows.length, brokenAt: seq, reason: "altered" };
  }
  return { ok: true, entries: rows.length, head: rows.at(-1)?.hash ?? "0".repeat(64) };
}
