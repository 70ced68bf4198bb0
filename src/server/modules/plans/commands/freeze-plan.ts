import { sql } from "drizzle-orm";
import { type Database, resultRows } from "../../../db/client.js";
import { objections, planVersions, publications } from "../../../db/schema/index.js";
import { appError } from "../../../errors.js";
import { type MoveProps, moveVersion } from "./move-version.js";

/** Freezes the published version: reporting ends, the inputs of scoring are fixed. */
export function freezePlan(props: MoveProps): Promise<void> {
  return moveVersion(props, "frozen", (tx) => refuseOpenCorrections(tx, props.planId));
}

/**
 * A frozen plan takes no writes, so no correction either: freezing is refused (409
 * `CORRECTION_PENDING`) while the plan's current publication (of any version) is under notice, when
 * objections may still come and be accepted, or has an accepted objection, whose correction is a new
 * publication superseding it. Read after the freeze's update, which waited for writers sharing the
 * version's row (an objection's acceptance unlocks cells under that share).
 */
async function refuseOpenCorrections(tx: Database, planId: string): Promise<void> {
  const [pending] = resultRows<{ status: string; accepted: number }>(
    await tx.execute(sql`
      SELECT p.status,
        (SELECT count(*) FROM ${objections} o WHERE o.publication_id = p.id AND o.status = 'accepted')::int AS accepted
      FROM ${publications} p JOIN ${planVersions} v ON v.id = p.plan_version_id
      WHERE v.plan_id = ${planId} AND p.status IN ('notice', 'final')
        AND NOT EXISTS (SELECT 1 FROM ${publications} s WHERE s.supersedes = p.id)
      ORDER BY p.published_at DESC LIMIT 1`),
  );
  if (!pending) return;
  if (pending.status === "notice")
    throw appError(
      409,
      "CORRECTION_PENDING",
      "计分结果正在公示，公示结束并定稿前不能冻结方案（受理异议后还需更正）",
      "the results are under public notice: the plan cannot be frozen until they are final (an accepted objection still needs its correction)",
    );
  if (pending.accepted > 0)
    throw appError(
      409,
      "CORRECTION_PENDING",
      `当前公示有 ${pending.accepted} 条已受理的异议尚未更正（更正后重新计分并发布），不能冻结方案`,
      `${pending.accepted} accepted objection(s) to the current publication are not corrected yet (score and publish the correction): the plan cannot be frozen`,
    );
}
