import { and, eq } from "drizzle-orm";
import { type Actor, auditedBy } from "../../actor.js";
import type { EvidenceSettings } from "../../config.js";
import type { Database } from "../../db/client.js";
import { evidence, reportedValues } from "../../db/schema/index.js";
import { notFound } from "../../errors.js";
import { type Page, type PageQuery, readPageOf } from "../../pagination.js";
import { appendAudit } from "../audit/service.js";
import { assertEditable, lockedError } from "../plans/reporting-window.js";
import { guardVersion } from "../plans/superseded.js";
import { lockUnitValues } from "../values/service.js";
import { checkFile } from "./file.js";

export interface EvidenceInfo {
  id: string;
  indicator: string;
  period: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
}

/** The columns describing a file (all but its content). */
const described = {
  id: evidence.id,
  indicator: evidence.indicator,
  period: evidence.period,
  filename: evidence.filename,
  contentType: evidence.contentType,
  size: evidence.size,
  sha256: evidence.sha256,
  uploadedAt: evidence.uploadedAt,
};

const info = (e: Pick<typeof evidence.$inferSelect, keyof typeof described>): EvidenceInfo => ({
  id: e.id,
  indicator: e.indicator,
  period: e.period,
  filename: e.filename,
  contentType: e.contentType,
  size: e.size,
  sha256: e.sha256,
  uploadedAt: e.uploadedAt.toISOString(),
});

/** Evidence files: checked (size, real type against the declared one), hashed, stored in the database. */
/** The status of a unit's value for a cell, read under the unit's lock (undefined: no value yet). */
async function cellStatus(
  tx: Database,
  planVersionId: string,
  unit: string,
  indicator: string,
  period: string,
) {
  const [v] = await tx
    .select({ status: reportedValues.status })
    .from(reportedValues)
    .where(
      and(
        eq(reportedValues.planVersionId, planVersionId),
        eq(reportedValues.unitCode, unit),
        eq(reportedValues.indicator, indicator),
        eq(reportedValues.period, period),
      ),
    )
    .for("update");
  return v?.status;
}

export function createEvidenceService(deps: { db: Database; settings: EvidenceSettings }) {
  const { db, settings } = deps;
  return {
    /**
     * Stores a file for one cell of a unit (the caller has checked the cell and the reporting window).
     * A value already approved takes no more files; a submitted one may (an imported value waits for
     * its evidence). Under the unit's lock, so a concurrent approval sees the file or refuses it.
     */
    async add({
      planVersionId,
      unit,
      cell,
      declared,
      data,
      actor,
    }: {
      planVersionId: string;
      unit: string;
      cell: { indicator: string; period: string; filename: string };
      /** The content type the client declared (checked against the content). */
      declared: string;
      data: Buffer;
      actor: Actor;
    }): Promise<EvidenceInfo> {
      const file = checkFile(data, declared, settings);
      return db.transaction(async (tx) => {
        // The version first (a revision takes it before the unit), then the unit: one lock order.
        await guardVersion(tx, planVersionId);
        await lockUnitValues(tx, planVersionId, unit);
        if ((await cellStatus(tx, planVersionId, unit, cell.indicator, cell.period)) === "approved")
          throw lockedError();
        // The same bytes under the same name for the same cell are that file, stored once: a client
        // retrying an upload whose reply it never got (its app node killed after the commit, a proxy's
        // 502: docs/deployment.md) gets the file it stored, not a second copy. Under the unit's lock,
        // so two such tries at once still store one.
        const [same] = await tx
          .select(described)
          .from(evidence)
          .where(
            and(
              eq(evidence.planVersionId, planVersionId),
              eq(evidence.unitCode, unit),
              eq(evidence.indicator, cell.indicator),
              eq(evidence.period, cell.period),
              eq(evidence.filename, cell.filename),
              eq(evidence.sha256, file.sha256),
            ),
          )
          .limit(1);
        if (same) return info(same);
        const [row] = await tx
          .insert(evidence)
          .values({
            planVersionId,
            unitCode: unit,
            ...cell,
            ...file,
            content: data,
            uploadedBy: actor.id,
          })
          .returning();
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "evidence.add",
          entity: "evidence",
          entityId: row!.id,
          after: { unit, ...cell, size: file.size, sha256: file.sha256 },
        });
        return info(row!);
      });
    },

    /** One page of a unit's evidence files (their descriptions, not their content), filtered by indicator. */
    async list(
      planVersionId: string,
      unit: string,
      query: PageQuery & { indicator?: string | undefined },
    ): Promise<Page<EvidenceInfo>> {
      const e = evidence;
      return readPageOf(
        db,
        e,
        query,
        {
          search: [e.filename, e.indicator],
          sort: { uploadedAt: e.uploadedAt, filename: e.filename, indicator: e.indicator },
          unique: e.id,
        },
        [
          eq(e.planVersionId, planVersionId),
          eq(e.unitCode, unit),
          query.indicator ? eq(e.indicator, query.indicator) : undefined,
        ],
        async ({ where, orderBy, limit, offset }) =>
          (
            await db
              .select(described)
              .from(e)
              .where(where)
              .orderBy(...orderBy)
              .limit(limit)
              .offset(offset)
          ).map(info),
      );
    },

    async content(planVersionId: string, unit: string, id: string) {
      const [row] = await db
        .select()
        .from(evidence)
        .where(
          and(eq(evidence.id, id), eq(evidence.planVersionId, planVersionId), eq(evidence.unitCode, unit)),
        );
      if (!row) throw notFound("佐证材料不存在", "evidence not found");
      return row;
    },

    /**
     * Deletes (withdraws) one of a unit's files while its value is not under review or approved (or
     * there is no value yet), audited with the file's name, size and hash.
     */
    async remove({
      planVersionId,
      unit,
      id,
      actor,
    }: {
      planVersionId: string;
      unit: string;
      id: string;
      actor: Actor;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        await lockUnitValues(tx, planVersionId, unit);
        const [row] = await tx
          .select(described)
          .from(evidence)
          .where(
            and(eq(evidence.id, id), eq(evidence.planVersionId, planVersionId), eq(evidence.unitCode, unit)),
          )
          .for("update");
        if (!row) throw notFound("佐证材料不存在", "evidence not found");
        assertEditable(await cellStatus(tx, planVersionId, unit, row.indicator, row.period));
        await tx.delete(evidence).where(eq(evidence.id, id));
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "evidence.delete",
          entity: "evidence",
          entityId: id,
          before: {
            unit,
            indicator: row.indicator,
            period: row.period,
            filename: row.filename,
            size: row.size,
            sha256: row.sha256,
          },
        });
      });
    },

    /** The (indicator, period) cells of a unit that have at least one evidence file. */
    async covered(planVersionId: string, unit: string): Promise<Set<string>> {
      const rows = await db
        .select({ indicator: evidence.indicator, period: evidence.period })
        .from(evidence)
        .where(and(eq(evidence.planVersionId, planVersionId), eq(evidence.unitCode, unit)));
      return new Set(rows.map((r) => `${r.indicator}\u0000${r.period}`));
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
