import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { EvidenceSettings } from "../../config.js";
import type { Database } from "../../db/client.js";
import { evidence } from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { type Page, type PageQuery, readPageOf } from "../../pagination.js";
import { appendAudit } from "../audit/service.js";
import { contentTypes, detectType } from "./detect.js";

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
      if (data.length === 0) throw appError(400, "EMPTY_FILE", "文件为空", "the file is empty");
      if (data.length > settings.maxBytes) {
        const mb = Math.round((settings.maxBytes / 1048576) * 10) / 10;
        throw appError(
          413,
          "FILE_TOO_LARGE",
          `文件超过 ${mb} MB 的上限`,
          `the file exceeds the ${mb} MB limit`,
        );
      }
      const kind = detectType(data);
      if (!kind || !settings.types.includes(kind)) {
        throw appError(
          415,
          "FILE_TYPE",
          `不接受此类文件（允许：${settings.types.join("、")}）`,
          `this kind of file is not accepted (allowed: ${settings.types.join(", ")})`,
        );
      }
      if (declared.split(";")[0]!.trim().toLowerCase() !== contentTypes[kind]) {
        throw appError(
          415,
          "FILE_TYPE_MISMATCH",
          `文件内容是 ${kind}，与声明的类型 ${declared} 不符`,
          `the file is ${kind}, not the declared ${declared}`,
        );
      }
      const sha256 = createHash("sha256").update(data).digest("hex");
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(evidence)
          .values({
            planVersionId,
            unitCode: unit,
            ...cell,
            contentType: contentTypes[kind],
            size: data.length,
            sha256,
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
          after: { unit, ...cell, size: data.length, sha256 },
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
