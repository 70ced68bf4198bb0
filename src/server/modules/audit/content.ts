import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { canonicalJson } from "../../../engine/index.js";
import { type Database, resultRows } from "../../db/client.js";
import { publications, scoringRuns } from "../../db/schema/index.js";
import { runContentHash, runInputs, storedInputs } from "../runs/inputs.js";

/**
 * The content hash recorded in the audit entry that created a scoring run or a publication: SHA-256 of
 * the canonical JSON (src/engine/hash.ts; keys sorted, so the database's JSON storage does not change it).
 */
export const contentHash = (value: unknown): string =>
  createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");

/**
 * What a run's hash covers: its frozen inputs (as runs/inputs.ts `runInputs` reads them, from either
 * column: the same value, so the same hash) and its result, as stored (with every unit's trace for
 * runs stored before explanations came on demand, without for runs since: runs/scoring.ts). A stored
 * row is never rewritten, so each verifies against the hash recorded when it was created.
 */
export const runContent = (run: { inputs: unknown; result: unknown }) => ({
  inputs: run.inputs,
  result: run.result,
});

export interface ContentFault {
  /** The audit entry that created the record (0 when there is none). */
  brokenAt: number;
  /** content: changed since; removed: the record is gone; unrecorded: no audit entry created it. */
  reason: "content" | "removed" | "unrecorded";
  entity: "scoring_run" | "publication";
  entityId: string;
}

interface Creation {
  seq: string | number;
  entity_id: string;
  after: { contentHash?: string; viewHash?: string; checkpoint?: { seq: number; mac: string } } | null;
}

/**
 * Every scoring run and publication against the hash its creating audit entry recorded (entries whose
 * chain has already been verified; `macs` are the verified MACs by entry, for the checkpoints that
 * published views carry). Records created before migration 0021 have no hash: counted, not checked.
 */
export async function checkContent(
  db: Database,
  macs: Map<number, string>,
): Promise<
  { ok: true; runs: number; publications: number; unprotected: number } | { ok: false; fault: ContentFault }
> {
  const created = resultRows<Creation>(
    await db.execute(sql`SELECT seq, entity, entity_id, after FROM audit_log
      WHERE (action = 'run.create' AND entity = 'scoring_run') OR (action = 'results.publish' AND entity = 'publication')
      ORDER BY seq`),
  );
  const first = new Map<string, Creation>();
  for (const c of created) if (!first.has(c.entity_id)) first.set(c.entity_id, c);
  // Records from before migration 0021: hashed by the (verified) entry that began the keyed chain.
  const [begun] = resultRows<{
    seq: string | number;
    after: { runs?: Record<string, string>; publications?: Record<string, string> };
  }>(
    await db.execute(sql`SELECT a.seq, a.after FROM audit_log a JOIN audit_seals s ON s.seq = a.seq
      WHERE a.action = 'audit.keyed-chain.begin' ORDER BY a.seq LIMIT 1`),
  );
  const faults: ContentFault[] = [];
  let runs = 0;
  let published = 0;
  let unprotected = 0;

  const check = async (
    entity: ContentFault["entity"],
    ids: string[],
    hashOf: (id: string) => Promise<string | undefined>,
    recorded: (c: Creation) => string | undefined,
  ) => {
    for (const id of ids) {
      const c = first.get(id);
      if (!c) {
        faults.push({ brokenAt: 0, reason: "unrecorded", entity, entityId: id });
        continue;
      }
      const expected = recorded(c);
      if (expected === undefined) {
        unprotected++;
        continue;
      }
      if ((await hashOf(id)) !== expected)
        faults.push({ brokenAt: Number(c.seq), reason: "content", entity, entityId: id });
      else if (entity === "scoring_run") runs++;
      else published++;
    }
  };

  const runIds = (await db.select({ id: scoringRuns.id }).from(scoringRuns)).map((r) => r.id);
  await check(
    "scoring_run",
    runIds,
    async (id) => {
      const [run] = await db
        .select({ ...storedInputs, result: scoringRuns.result })
        .from(scoringRuns)
        .where(eq(scoringRuns.id, id));
      return run ? runContentHash({ inputs: await runInputs(run), result: run.result }) : undefined;
    },
    (c) => c.after?.contentHash ?? begun?.after?.runs?.[c.entity_id],
  );
  const publicationIds = (await db.select({ id: publications.id }).from(publications)).map((p) => p.id);
  await check(
    "publication",
    publicationIds,
    async (id) => {
      const [p] = await db
        .select({ view: publications.publicView })
        .from(publications)
        .where(eq(publications.id, id));
      return p ? contentHash(p.view) : undefined;
    },
    (c) => c.after?.viewHash ?? begun?.after?.publications?.[c.entity_id],
  );
  // A record the trail says was created, and that is no longer there.
  const present = new Set([...runIds, ...publicationIds]);
  for (const c of first.values())
    if (!present.has(c.entity_id) && (c.after?.contentHash || c.after?.viewHash))
      faults.push({
        brokenAt: Number(c.seq),
        reason: "removed",
        entity: c.after?.viewHash ? "publication" : "scoring_run",
        entityId: c.entity_id,
      });
  for (const [entity, hashes] of [
    ["scoring_run", begun?.after?.runs],
    ["publication", begun?.after?.publications],
  ] as const)
    for (const id of Object.keys(hashes ?? {}))
      if (!present.has(id))
        faults.push({ brokenAt: Number(begun!.seq), reason: "removed", entity, entityId: id });
  // The chain head each published notice carries must be in the chain, unchanged.
  for (const c of first.values()) {
    const cp = c.after?.checkpoint;
    if (cp && macs.get(cp.seq) !== cp.mac)
      faults.push({
        brokenAt: Number(c.seq),
        reason: "content",
        entity: "publication",
        entityId: c.entity_id,
      });
  }
  faults.sort((a, b) => a.brokenAt - b.brokenAt);
  const fault = faults[0];
  if (fault) return { ok: false, fault };
  return { ok: true, runs, publications: published, unprotected };
}

/** The content hashes of every stored run and published view, by id (for the chain's beginning). */
export async function existingContentHashes(
  db: Database,
): Promise<{ runs: Record<string, string>; publications: Record<string, string> }> {
  const runs: Record<string, string> = {};
  for (const { id } of await db.select({ id: scoringRuns.id }).from(scoringRuns)) {
    const [run] = await db
      .select({ ...storedInputs, result: scoringRuns.result })
      .from(scoringRuns)
      .where(eq(scoringRuns.id, id));
    if (run) runs[id] = runContentHash({ inputs: await runInputs(run), result: run.result });
  }
  const published: Record<string, string> = {};
  for (const p of await db.select({ id: publications.id, view: publications.publicView }).from(publications))
    published[p.id] = contentHash(p.view);
  return { runs, publications: published };
}
