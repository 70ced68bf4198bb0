import { sql } from "drizzle-orm";
import { type Database, resultRows } from "../../db/client.js";
import { planVersions } from "../../db/schema/index.js";
import { appError } from "../../errors.js";

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
