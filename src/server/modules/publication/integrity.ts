import type { Database } from "../../db/client.js";
import { appError } from "../../errors.js";
import { contentHash } from "../audit/content.js";
import { auditCheckpoint, type ChainBeginning, firstSealedEntry } from "../audit/service.js";
import { runContentHash } from "../runs/inputs.js";

/** The chain head a published notice carries: kept by everyone who keeps the notice. */
export interface NoticeCheckpoint {
  seq: number;
  mac: string;
}

/**
 * What the audit entry that publishes a view records besides the publication: the view's content hash
 * and the audit chain's head at that moment (a checkpoint outside the database, once published).
 */
export async function publicationSeal(
  tx: Database,
  publicView: unknown,
): Promise<{ viewHash: string; checkpoint?: NoticeCheckpoint }> {
  const head = await auditCheckpoint(tx);
  return {
    viewHash: contentHash(publicView),
    ...(head ? { checkpoint: { seq: head.seq, mac: head.mac } } : {}),
  };
}

export const integrityError = () =>
  appError(
    500,
    "INTEGRITY_VIOLATION",
    "已公布的结果与审计日志记录的哈希不符（可能在数据库中被篡改），已拒绝提供；请通知审计管理员运行 kaohe audit verify",
    "the published results do not match the hash the audit trail recorded (they may have been altered in the database) and are not served; ask the audit administrator to run kaohe audit verify",
  );

/**
 * Checks a stored public view (its JSON text) against the hash in the sealed audit entry that published
 * it — or, for a view published before migration 0021, in the sealed entry that began the keyed chain —
 * before any process serves or caches it. A view changed in the database, or an entry changed or
 * inserted to match, is refused (500 INTEGRITY_VIOLATION). Returns the checkpoint the notice carries.
 */
export async function verifiedPublicView(
  db: Database,
  publicationId: string,
  unitsText: string,
): Promise<NoticeCheckpoint | null> {
  const entry = await firstSealedEntry(db, {
    action: "results.publish",
    entity: "publication",
    entityId: publicationId,
  });
  const after = entry?.after as { checkpoint?: NoticeCheckpoint } | null | undefined;
  const expected = await recordedHash(
    db,
    { action: "results.publish", entity: "publication", entityId: publicationId },
    "viewHash",
    "publications",
  );
  if (expected === undefined || contentHash(JSON.parse(unitsText)) !== expected) throw integrityError();
  return after?.checkpoint ?? null;
}

/** The expected hash of a record: from its sealed creating entry, or from the keyed chain's beginning. */
async function recordedHash(
  db: Database,
  created: { action: string; entity: string; entityId: string },
  field: "contentHash" | "viewHash",
  beginning: keyof ChainBeginning,
) {
  const entry = await firstSealedEntry(db, created);
  const own = (entry?.after as Record<string, unknown> | null | undefined)?.[field];
  if (typeof own === "string") return own;
  const begun = await firstSealedEntry(db, {
    action: "audit.keyed-chain.begin",
    entity: "audit_log",
    entityId: null,
  });
  return (begun?.after as ChainBeginning | undefined)?.[beginning]?.[created.entityId];
}

/** Refuses to publish a scoring run whose stored inputs or result no longer match its audit entry. */
export async function assertRunUnchanged(
  db: Database,
  runId: string,
  run: { inputs: unknown; result: unknown },
) {
  const expected = await recordedHash(
    db,
    { action: "run.create", entity: "scoring_run", entityId: runId },
    "contentHash",
    "runs",
  );
  if (expected === undefined || runContentHash(run) !== expected)
    throw appError(
      500,
      "INTEGRITY_VIOLATION",
      "计分结果与审计日志记录的哈希不符（可能在数据库中被篡改），不能公布；请通知审计管理员运行 kaohe audit verify",
      "the scoring run does not match the hash the audit trail recorded (it may have been altered in the database) and cannot be published; ask the audit administrator to run kaohe audit verify",
    );
}
