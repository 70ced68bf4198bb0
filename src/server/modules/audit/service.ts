import { createHash, createHmac, getHashes } from "node:crypto";
import { sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { type Database, resultRows } from "../../db/client.js";
import { ADVISORY_LOCKS } from "../../db/locks.js";
import { auditLog, auditSeals } from "../../db/schema/index.js";
import { type ContentFault, checkContent, existingContentHashes } from "./content.js";

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

/** The advisory lock that serialises appends to the chain (also taken by the trigger of migration 0001). */
const CHAIN_LOCK = ADVISORY_LOCKS.auditChain;
const ZERO = "0".repeat(64);

/** SM3 (国密) where this runtime's crypto offers it (Node's OpenSSL 3 does). */
const hasSm3 = getHashes().includes("sm3");
const sm3 = hasSm3 ? (text: string) => createHash("sm3").update(text, "utf8").digest("hex") : null;

/**
 * The key of the keyed chain, given to this process only (config.ts reads it: KAOHE_AUDIT_KEY, a key
 * file, or the embedded default's key file). A function is resolved on first use, so commands that
 * never touch the chain (db migrate, backup) do not need it.
 */
let auditKey: Buffer | (() => Buffer) | undefined;

export function setAuditKey(key: Buffer | (() => Buffer) | undefined): void {
  auditKey = key;
}

export class AuditKeyMissing extends Error {
  constructor() {
    super("the audit key is not configured (KAOHE_AUDIT_KEY or KAOHE_AUDIT_KEY_FILE)");
  }
}

function currentKey(): Buffer {
  if (typeof auditKey === "function") auditKey = auditKey();
  if (!auditKey) throw new AuditKeyMissing();
  return auditKey;
}

/** A MAC of an entry: over the previous entry's MAC (in chain order) and the entry's own text. */
export interface Seal {
  mac: string;
  macSm3: string | null;
}

const zeroSeal: Seal = { mac: ZERO, macSm3: hasSm3 ? ZERO : null };

function sealOf(key: Buffer, previous: Seal, text: string): Seal {
  return {
    mac: createHmac("sha256", key).update(`${previous.mac}|${text}`, "utf8").digest("hex"),
    macSm3: hasSm3
      ? createHmac("sm3", key)
          .update(`${previous.macSm3 ?? ZERO}|${text}`, "utf8")
          .digest("hex")
      : null,
  };
}

/** An entry's columns as the keyed chain reads them (timestamps to the microsecond, JSON as stored). */
interface EntryColumns {
  seq: string | number;
  prev_hash: string;
  at: string;
  actor: string;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
}

const entryColumns = sql.raw(`a.seq, a.prev_hash,
  to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
  a.actor, a.ip, a.action, a.entity, a.entity_id, a.before::text AS before, a.after::text AS after`);

/**
 * The text the keyed chain covers, built here from the raw columns (not by a database function, which
 * whoever holds the database could redefine): every field, unambiguously (a JSON array), including the
 * SHA-256 link, so the first keyed entry also seals every entry before it.
 */
function entryText(e: EntryColumns): string {
  return JSON.stringify([
    e.prev_hash,
    Number(e.seq),
    e.at,
    e.actor,
    e.ip,
    e.action,
    e.entity,
    e.entity_id,
    e.before,
    e.after,
  ]);
}

async function sealHead(tx: Database): Promise<Seal> {
  const [head] = await tx
    .select({ mac: auditSeals.mac, macSm3: auditSeals.macSm3 })
    .from(auditSeals)
    .orderBy(sql`${auditSeals.seq} DESC`)
    .limit(1);
  return head ?? zeroSeal;
}

/** Appends one entry; the database numbers it and chains its hash, this process seals it with the key. */
export function appendAudit(db: Database, entry: AuditEntry): Promise<void> {
  return appendAuditMany(db, [entry]);
}

/**
 * Appends many entries, a thousand per statement (a bulk import); the trigger chains each row in order
 * (migrations 0001 and 0015). Then, in the same transaction and under the same advisory lock, so that
 * no other process can append in between, each entry is sealed: its MAC covers the chain head's MAC.
 */
export async function appendAuditMany(db: Database, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const key = currentKey();
  const append = async (tx: Database) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
    let previous = await sealHead(tx);
    for (let k = 0; k < entries.length; k += 1000) {
      const inserted = await tx
        .insert(auditLog)
        .values(
          entries.slice(k, k + 1000).map((entry) => ({
            actor: entry.actor,
            ip: entry.ip ?? null,
            action: entry.action,
            entity: entry.entity,
            entityId: entry.entityId ?? null,
            before: entry.before ?? null,
            after: entry.after ?? null,
          })),
        )
        .returning({ seq: auditLog.seq });
      const rows = resultRows<EntryColumns>(
        await tx.execute(sql`SELECT ${entryColumns} FROM audit_log a
          WHERE a.seq = ANY(${`{${inserted.map((r) => r.seq).join(",")}}`}::bigint[]) ORDER BY a.seq`),
      );
      const seals = rows.map((row) => {
        previous = sealOf(key, previous, entryText(row));
        return { seq: Number(row.seq), ...previous };
      });
      await tx.insert(auditSeals).values(seals);
    }
  };
  // Inside the caller's transaction when there is one (the entry commits or rolls back with its change).
  if ((db as unknown) instanceof PgTransaction) await append(db);
  else await db.transaction(append);
}

/** A chain head kept outside the database: the entry's number, its MACs and its SHA-256 hash. */
export interface Checkpoint {
  format: "kaohe-audit-checkpoint/1";
  seq: number;
  at: string;
  mac: string;
  macSm3: string | null;
  hash: string;
}

/** The newest sealed entry as a checkpoint (undefined while the keyed chain is empty). */
export async function auditCheckpoint(db: Database): Promise<Checkpoint | undefined> {
  const [row] = resultRows<{
    seq: string | number;
    at: string;
    hash: string;
    mac: string;
    mac_sm3: string | null;
  }>(
    await db.execute(sql`
      SELECT a.seq, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, a.hash,
        s.mac, s.mac_sm3
      FROM audit_seals s JOIN audit_log a ON a.seq = s.seq ORDER BY s.seq DESC LIMIT 1`),
  );
  if (!row) return undefined;
  return {
    format: "kaohe-audit-checkpoint/1",
    seq: Number(row.seq),
    at: row.at,
    mac: row.mac,
    macSm3: row.mac_sm3,
    hash: row.hash,
  };
}

/** A checkpoint read back from a file: the fields verification needs, checked for shape. */
export function parseCheckpoint(value: unknown): Checkpoint | undefined {
  const c = value as Partial<Checkpoint> | null;
  if (
    c?.format !== "kaohe-audit-checkpoint/1" ||
    !Number.isInteger(c.seq) ||
    typeof c.mac !== "string" ||
    !/^[0-9a-f]{64}$/.test(c.mac)
  )
    return undefined;
  return c as Checkpoint;
}

/**
 * The first entry matching `where` whose seal is the MAC of its content over the seal before it, read
 * from the database: an entry changed or inserted there cannot be given a MAC that verifies without the
 * key, so it is passed over. Used to trust one entry, such as the one that recorded a published view's
 * hash, without walking the whole chain.
 */
export async function firstSealedEntry(
  db: Database,
  where: { action: string; entity: string; entityId: string | null },
): Promise<{ seq: number; after: unknown } | undefined> {
  const key = currentKey();
  const rows = resultRows<
    EntryColumns & { mac: string | null; prev_mac: string | null; prev_mac_sm3: string | null }
  >(
    await db.execute(sql`
      SELECT ${entryColumns}, s.mac,
        (SELECT p.mac FROM audit_seals p WHERE p.seq < a.seq ORDER BY p.seq DESC LIMIT 1) AS prev_mac,
        (SELECT p.mac_sm3 FROM audit_seals p WHERE p.seq < a.seq ORDER BY p.seq DESC LIMIT 1) AS prev_mac_sm3
      FROM audit_log a JOIN audit_seals s ON s.seq = a.seq
      WHERE a.action = ${where.action} AND a.entity = ${where.entity}
        AND ${where.entityId === null ? sql`a.entity_id IS NULL` : sql`a.entity_id = ${where.entityId}`}
      ORDER BY a.seq`),
  );
  for (const row of rows) {
    const previous = row.prev_mac ? { mac: row.prev_mac, macSm3: row.prev_mac_sm3 } : zeroSeal;
    if (row.mac === sealOf(key, previous, entryText(row)).mac)
      return { seq: Number(row.seq), after: row.after === null ? null : JSON.parse(row.after) };
  }
  return undefined;
}

/** What the entry that begins the keyed chain records: the content hashes of the records before it. */
export interface ChainBeginning {
  runs?: Record<string, string>;
  publications?: Record<string, string>;
}

export type Algorithm = "SHA-256" | "SM3" | "HMAC-SHA-256" | "HMAC-SM3";

/**
 * Why verification failed, at the first entry at fault (`brokenAt`):
 * - `altered` / `unlinked`: the unkeyed SHA-256 or SM3 chain breaks (content changed, an entry removed
 *   or inserted) — what a careless edit leaves;
 * - `forged`: the unkeyed chain holds (it was recomputed) but the keyed MAC does not: the entry was
 *   edited, or an entry before it was removed;
 * - `unsealed`: an entry with no MAC after the keyed chain began: inserted without the key;
 * - `deleted`: a MAC whose entry is gone;
 * - `unkeyed`: there are entries but none has a MAC (the keyed chain was removed, or the service has
 *   not started since migration 0021);
 * - `truncated`: the chain ends before the checkpoint's entry (brokenAt: the first missing entry);
 * - `checkpoint`: the checkpoint's entry is there but is not the entry the checkpoint recorded;
 * - `content`: a scoring run or published view no longer has the hash its audit entry recorded;
 * - `unrecorded`: a scoring run or publication that no audit entry created.
 */
export type FaultReason =
  | "altered"
  | "unlinked"
  | "forged"
  | "unsealed"
  | "deleted"
  | "unkeyed"
  | "truncated"
  | "checkpoint"
  | ContentFault["reason"];

export type ChainCheck =
  | {
      ok: true;
      entries: number;
      head: string;
      sm3Entries: number;
      /** Entries whose keyed MAC verified (HMAC-SHA-256, and HMAC-SM3 where present). */
      sealedEntries: number;
      /** Entries written before the keyed chain began (migration 0021), sealed by the first keyed one. */
      unsealedBefore: number;
      /** The checkpoint given, found unchanged and extended (or equal to the head). */
      checkpoint?: { seq: number };
      /** Scoring runs and published views whose content hash matched their audit entry. */
      runs: number;
      publications: number;
      /** Runs and publications created before migration 0021 (no hash recorded: not checked). */
      unprotected: number;
    }
  | {
      ok: false;
      entries: number;
      brokenAt: number;
      reason: FaultReason;
      algorithm?: Algorithm;
      entity?: string;
      entityId?: string;
    };

/**
 * Recomputes every entry's hash and link in order and names the first entry that does not match. The
 * SHA-256 and SM3 chains catch careless edits; the keyed chain (HMAC with this process's key, which the
 * database never holds) catches an owner who recomputed them; a checkpoint kept outside the database
 * catches the newest entries being removed. Then every scoring run and published view is checked
 * against the content hash its (sealed) audit entry recorded.
 */
export async function verifyAuditChain(
  db: Database,
  options: { checkpoint?: Checkpoint } = {},
): Promise<ChainCheck> {
  const key = currentKey();
  const result = await db.execute(sql`
    SELECT ${entryColumns}, a.hash, a.hash_sm3, s.mac, s.mac_sm3,
      encode(sha256(convert_to(audit_log_entry_text(a), 'UTF8')), 'hex') AS expected,
      audit_log_entry_text(a) AS legacy_text,
      coalesce(lag(a.hash) OVER (ORDER BY a.seq), repeat('0', 64)) AS previous
    FROM audit_log a LEFT JOIN audit_seals s ON s.seq = a.seq ORDER BY a.seq`);
  const rows = resultRows<
    EntryColumns & {
      hash: string;
      hash_sm3: string | null;
      mac: string | null;
      mac_sm3: string | null;
      expected: string;
      legacy_text: string;
      previous: string;
    }
  >(result);
  const entries = rows.length;
  const fail = (brokenAt: number, reason: FaultReason, algorithm?: Algorithm): ChainCheck => ({
    ok: false,
    entries,
    brokenAt,
    reason,
    ...(algorithm ? { algorithm } : {}),
  });
  const orphans = resultRows<{ seq: string | number }>(
    await db.execute(sql`SELECT s.seq FROM audit_seals s LEFT JOIN audit_log a ON a.seq = s.seq
      WHERE a.seq IS NULL ORDER BY s.seq LIMIT 1`),
  );
  const firstOrphan = orphans[0] ? Number(orphans[0].seq) : Number.POSITIVE_INFINITY;

  let previousSm3: string | null = null;
  let previousSeal: Seal = zeroSeal;
  let keyed = false;
  let sm3Entries = 0;
  let sealedEntries = 0;
  let unsealedBefore = 0;
  const macs = new Map<number, string>();
  for (const row of rows) {
    const seq = Number(row.seq);
    if (seq > firstOrphan) return fail(firstOrphan, "deleted");
    if (row.prev_hash !== row.previous) return fail(seq, "unlinked", "SHA-256");
    if (row.hash !== row.expected) return fail(seq, "altered", "SHA-256");
    if (row.hash_sm3 !== null && sm3) {
      if (row.hash_sm3 !== sm3(`${previousSm3 ?? ZERO}|${row.legacy_text}`))
        return fail(seq, "altered", "SM3");
      sm3Entries++;
    }
    previousSm3 = row.hash_sm3;
    if (row.mac === null) {
      if (keyed) return fail(seq, "unsealed");
      unsealedBefore++;
      continue;
    }
    keyed = true;
    const expected = sealOf(key, previousSeal, entryText(row));
    if (row.mac !== expected.mac) return fail(seq, "forged", "HMAC-SHA-256");
    if (row.mac_sm3 !== null && row.mac_sm3 !== expected.macSm3) return fail(seq, "forged", "HMAC-SM3");
    previousSeal = { mac: row.mac, macSm3: row.mac_sm3 };
    macs.set(seq, row.mac);
    sealedEntries++;
  }
  const last = rows.at(-1);
  const lastSeq = last ? Number(last.seq) : 0;
  if (Number.isFinite(firstOrphan)) return fail(firstOrphan, "deleted");
  if (entries > 0 && !keyed) return fail(Number(rows[0]!.seq), "unkeyed");

  const { checkpoint } = options;
  if (checkpoint) {
    if (checkpoint.seq > lastSeq) return fail(lastSeq + 1, "truncated");
    if (macs.get(checkpoint.seq) !== checkpoint.mac)
      return fail(checkpoint.seq, "checkpoint", "HMAC-SHA-256");
  }

  const content = await checkContent(db, macs);
  if (!content.ok) return { ok: false, entries, ...content.fault };
  return {
    ok: true,
    entries,
    head: last?.hash ?? ZERO,
    sm3Entries,
    sealedEntries,
    unsealedBefore,
    ...(checkpoint ? { checkpoint: { seq: checkpoint.seq } } : {}),
    runs: content.runs,
    publications: content.publications,
    unprotected: content.unprotected,
  };
}

/**
 * On a trail written before the keyed chain (migration 0021), appends the entry that begins it, so the
 * earlier entries are sealed at once (the first MAC covers the SHA-256 link to them), with the content
 * hashes of the scoring runs and published views that exist (created before hashes were recorded).
 * Run at start-up.
 */
export async function beginKeyedChain(db: Database): Promise<boolean> {
  const [state] = resultRows<{ entries: boolean; seals: boolean }>(
    await db.execute(
      sql`SELECT EXISTS (SELECT 1 FROM audit_log) AS entries, EXISTS (SELECT 1 FROM audit_seals) AS seals`,
    ),
  );
  if (!state?.entries || state.seals) return false;
  await db.transaction(async (tx) => {
    // Under the chain lock, so no other process begins it too.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
    const [again] = resultRows<{ seals: boolean }>(
      await tx.execute(sql`SELECT EXISTS (SELECT 1 FROM audit_seals) AS seals`),
    );
    if (again?.seals) return;
    await appendAudit(tx, {
      actor: "system",
      action: "audit.keyed-chain.begin",
      entity: "audit_log",
      after: {
        algorithms: hasSm3 ? ["HMAC-SHA-256", "HMAC-SM3"] : ["HMAC-SHA-256"],
        // The runs and published views from before: their hashes from now on.
        ...(await existingContentHashes(tx)),
      },
    });
  });
  return true;
}
