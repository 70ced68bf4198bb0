import { randomInt } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { createRandom } from "../../../engine/index.js";
import { type Actor, auditedBy } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { planVersions, reportedValues, spotCheckItems, spotChecks } from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { type PageQuery, readPage } from "../../pagination.js";
import { appendAudit } from "../audit/service.js";
import { guardVersion } from "../plans/superseded.js";

type Cell = { unitCode: string; indicator: string; period: string; value: number };

/**
 * Draws `size` of the population without replacement (a partial Fisher-Yates shuffle driven by the
 * seeded generator): the same seed and population always give the same sample.
 */
export function drawSample<T>(population: readonly T[], size: number, seed: number): T[] {
  const pool = [...population];
  const random = createRandom(seed);
  const n = Math.min(size, pool.length);
  for (let k = 0; k < n; k++) {
    const j = k + Math.floor(random.next() * (pool.length - k));
    [pool[k], pool[j]] = [pool[j]!, pool[k]!];
  }
  return pool.slice(0, n);
}

/** 抽查: a random sample of the submitted and approved values, with the seed recorded, and the findings. */
export function createSpotCheckService(deps: { db: Database; now: () => Date }) {
  const { db, now } = deps;
  return {
    /** Draws `size` of the version's submitted and approved values with a seed (given or drawn), recorded. */
    async draw({
      planVersionId,
      size,
      seed,
      actor,
    }: {
      planVersionId: string;
      size: number;
      seed: number | undefined;
      actor: Actor;
    }) {
      const population: Cell[] = (
        await db
          .select({
            unitCode: reportedValues.unitCode,
            indicator: reportedValues.indicator,
            period: reportedValues.period,
            value: reportedValues.value,
          })
          .from(reportedValues)
          .where(
            and(
              eq(reportedValues.planVersionId, planVersionId),
              inArray(reportedValues.status, ["submitted", "approved"]),
            ),
          )
      ).sort(
        (a, b) =>
          a.unitCode.localeCompare(b.unitCode) ||
          a.indicator.localeCompare(b.indicator) ||
          a.period.localeCompare(b.period),
      );
      if (population.length === 0)
        throw appError(
          409,
          "NOTHING_TO_CHECK",
          "没有已提交或已审核的数据可供抽查",
          "there are no submitted or approved values to check",
        );
      const usedSeed = seed ?? randomInt(2 ** 31);
      const sample = drawSample(population, size, usedSeed);
      return db.transaction(async (tx) => {
        await guardVersion(tx, planVersionId);
        const [check] = await tx
          .insert(spotChecks)
          .values({ planVersionId, seed: usedSeed, size: sample.length, drawnBy: actor.id, drawnAt: now() })
          .returning();
        const items = await tx
          .insert(spotCheckItems)
          .values(sample.map((c) => ({ spotCheckId: check!.id, ...c })))
          .returning();
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "spotcheck.draw",
          entity: "spot_check",
          entityId: check!.id,
          after: { seed: usedSeed, size: sample.length, population: population.length },
        });
        return { check: check!, items };
      });
    },

    /** One page of a plan version's spot checks, each with the values it drew and their findings. */
    async list(planVersionId: string, query: PageQuery) {
      const found = await readPage(
        db,
        spotChecks,
        query,
        { search: [], sort: { drawnAt: spotChecks.drawnAt }, unique: spotChecks.id },
        [eq(spotChecks.planVersionId, planVersionId)],
      );
      const checks = found.items;
      const items = checks.length
        ? await db
            .select()
            .from(spotCheckItems)
            .where(
              inArray(
                spotCheckItems.spotCheckId,
                checks.map((c) => c.id),
              ),
            )
            // A stable order (an update moves a row in the table): the sample as the reviewer works through it.
            .orderBy(
              spotCheckItems.unitCode,
              spotCheckItems.indicator,
              spotCheckItems.period,
              spotCheckItems.id,
            )
        : [];
      return {
        ...found,
        items: checks.map((check) => ({ check, items: items.filter((i) => i.spotCheckId === check.id) })),
      };
    },

    /** Records what checking one value found; the check is found within the plan (another plan's is not found). */
    async record({
      planId,
      spotCheckId,
      itemId,
      outcome,
      note,
      actor,
    }: {
      planId: string;
      spotCheckId: string;
      itemId: string;
      outcome: "confirmed" | "discrepancy";
      note: string | undefined;
      actor: Actor;
    }) {
      if (outcome === "discrepancy" && !note?.trim())
        throw appError(400, "NOTE_REQUIRED", "发现问题时须说明情况", "a discrepancy needs a note", "note");
      await db.transaction(async (tx) => {
        // A check of a version a revision superseded is read-only: its copy in the new version is recorded.
        const [of] = await tx
          .select({ version: spotChecks.planVersionId })
          .from(spotChecks)
          .innerJoin(planVersions, eq(planVersions.id, spotChecks.planVersionId))
          .where(and(eq(spotChecks.id, spotCheckId), eq(planVersions.planId, planId)));
        if (!of) throw notFound("抽查项不存在", "spot-check item not found");
        await guardVersion(tx, of.version);
        const [item] = await tx
          .select()
          .from(spotCheckItems)
          .where(and(eq(spotCheckItems.id, itemId), eq(spotCheckItems.spotCheckId, spotCheckId)))
          .for("update");
        if (!item) throw notFound("抽查项不存在", "spot-check item not found");
        await tx
          .update(spotCheckItems)
          .set({ outcome, note: note ?? null, checkedBy: actor.id, checkedAt: now() })
          .where(eq(spotCheckItems.id, itemId));
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "spotcheck.record",
          entity: "spot_check_item",
          entityId: itemId,
          before: { outcome: item.outcome },
          after: { unit: item.unitCode, indicator: item.indicator, outcome, note: note ?? null },
        });
      });
    },
  };
}

export type SpotCheckService = ReturnType<typeof createSpotCheckService>;
