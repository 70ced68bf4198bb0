import { and, eq } from "drizzle-orm";
import type { EvidenceSettings } from "../../config.js";
import type { Database } from "../../db/client.js";
import { evidence } from "../../db/schema/index.js";
import { notFound } from "../../errors.js";
import { type Page, type PageQuery, readPageOf } from "../../pagination.js";
import { appendAudit } from "../audit/service.js";
import { guardVersion } from "../plans/superseded.js";
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
export function createEvidenceService(deps: { db: Database; settings: EvidenceSettings }) {
  const { db, settings } = deps;
  return {
    async add(
      planVersionId: string,
      unit: string,
      cell: { indicator: string; period: string; filename: string },
      declared: string,
      data: Buffer,
      actor: { id: string; username: string },
      ip: string,
    ): Promise<EvidenceInfo> {
      const file = checkFile(data, declared, settings);
      return db.transaction(async (tx) => {
        await guardVersion(tx, planVersionId);
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
          actor: actor.username,
          ip,
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
