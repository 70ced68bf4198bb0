import { sql } from "drizzle-orm";
import { type Database, resultRows } from "../../db/client.js";
import { planVersions } from "../../db/schema/index.js";
import { appError } from "../../errors.js";
import { closedError } from "./reporting-window.js";

/** 409: the plan version a caller read has since been revised into a newer one. */
export const planRevised = () =>
  appError(
    409,
    "PLAN_REVISED",
    "方案已修订为新版本，请刷新后重试",
    "the plan has been revised into a new version: reload and try again",
  );

/**
 * Refuses (409) a write to a plan version that a later version has superseded. `lockUnitValues` asks
 * it once it holds the unit's lock: a revision takes every unit's lock before it copies the values, so
 * a writer that read the old version either commits before the copy (and is carried over) or is
 * refused here, never writes into the old version unseen.
 */
export async function refuseSuperseded(tx: Database, planVersionId: string): Promise<void> {
  const newer = resultRows<{ n: number }>(
    await tx.execute(sql`
      SELECT 1 AS n FROM ${planVersions} v JOIN ${planVersions} w
        ON w.plan_id = v.plan_id AND w.version > v.version
      WHERE v.id = ${planVersionId} LIMIT 1`),
  );
  if (newer.length > 0) throw planRevised();
}

/**
 * For a write to a plan version's rows other than values (evidence, marks, items, target adjustments,
 * reopenings): shares the version's row with other writers but waits for a revision in progress (which
 * holds it), then refuses (409) if that revision superseded the version. Call it first in the
 * transaction, before any unit lock (a revision takes this row before the units').
 */
export async function guardVersion(tx: Database, planVersionId: string): Promise<void> {
  await tx.execute(sql`SELECT 1 FROM ${planVersions} WHERE id = ${planVersionId} FOR SHARE`);
  await refuseSuperseded(tx, planVersionId);
}

/**
 * For a write that needs the plan version in force (published: not a draft, not frozen): as
 * `guardVersion`, and reads the version's status under that share lock. A freeze updates the row, so
 * it waits for writers holding the lock and writers after it wait for it, then see it frozen (409
 * PLAN_FROZEN): a write racing a freeze commits before the freeze or not at all. The route's own
 * window check still answers first; this closes the gap between that check and the transaction.
 */
export async function guardInForce(tx: Database, planVersionId: string): Promise<void> {
  const [row] = resultRows<{ status: string }>(
    await tx.execute(sql`SELECT status FROM ${planVersions} WHERE id = ${planVersionId} FOR SHARE`),
  );
  if (row && row.status !== "published")
    throw closedError(row.status === "draft" ? "PLAN_DRAFT" : "PLAN_FROZEN");
  await refuseSuperseded(tx, planVersionId);
}
