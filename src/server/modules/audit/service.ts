import { createHash, getHashes } from "node:crypto";
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

/** Appends one entry; the database numbers it and chains its hash (see migrations 0001 and 0015). */
export function appendAudit(db: Database, entry: AuditEntry): Promise<void> {
  return appendAuditMany(db, [entry]);
}

/** Appends many entries, a thousand per statement (a bulk import); the trigger chains each row in order. */
export async function appendAuditMany(db: Database, entries: AuditEntry[]): Promise<void> {
  for (let k = 0; k < entries.length; k += 1000) {
    await db.insert(auditLog).values(
      entries.slice(k, k + 1000).map((entry) => ({
        actor: entry.actor,
        ip: entry.ip ?? null,
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId ?? null,
        before: entry.before ?? null,
        after: entry.after ?? null,
      })),
    );
  }
}

export type ChainCheck =
  | { ok: true; entries: number; head: string; sm3Entries: number }
  | {
      ok: false;
      entries: number;
      brokenAt: number;
      reason: "altered" | "unlinked";
      algorithm: "SHA-256" | "SM3";
    };

/** SM3 (国密) where this runtime's crypto offers it. */
const sm3 = getHashes().includes("sm3")
  ? (text: string) => createHash("sm3").update(text, "utf8").digest("hex")
  : null;

/**
 * Recomputes every entry's hash and link in order and names the first entry that does not match:
 * `altered` (its content changed) or `unlinked` (an entry before it was removed or inserted). The SM3
 * chain, where entries carry one, is recomputed here, outside the database that wrote it.
 */
export async function verifyAuditChain(db: Database): Promise<ChainCheck> {
  const result = await db.execute(sql`
    SELECT a.seq, a.hash, a.prev_hash, a.hash_sm3, audit_log_entry_text(a) AS text,
      encode(sha256(convert_to(audit_log_entry_text(a), 'UTF8')), 'hex') AS expected,
      coalesce(lag(a.hash) OVER (ORDER BY a.seq), repeat('0', 64)) AS previous
    FROM audit_log a ORDER BY a.seq`);
  const rows = resultRows<{
    seq: string | number;
    hash: string;
    prev_hash: string;
    hash_sm3: string | null;
    text: string;
    expected: string;
    previous: string;
  }>(result);
  let previousSm3: string | null = null;
  let sm3Entries = 0;
  for (const row of rows) {
    const seq = Number(row.seq);
    const broken = (reason: "altered" | "unlinked", algorithm: "SHA-256" | "SM3") =>
      ({ ok: false, entries: rows.length, brokenAt: seq, reason, algorithm }) as const;
    if (row.prev_hash !== row.previous) return broken("unlinked", "SHA-256");
    if (row.hash !== row.expected) return broken("altered", "SHA-256");
    if (row.hash_sm3 !== null && sm3) {
      if (row.hash_sm3 !== sm3(`${previousSm3 ?? "0".repeat(64)}|${row.text}`))
        return broken("altered", "SM3");
      sm3Entries++;
    }
    previousSm3 = row.hash_sm3;
  }
  return { ok: true, entries: rows.length, head: rows.at(-1)?.hash ?? "0".repeat(64), sm3Entries };
}
