import { and, eq, inArray } from "drizzle-orm";
import { type Actor, auditedBy } from "../../actor.js";
import { defaultEvidence, type EvidenceSettings } from "../../config.js";
import type { Database } from "../../db/client.js";
import { claimEvidence, claims } from "../../db/schema/index.js";
import { appError, forbidden, notFound } from "../../errors.js";
import { inScope, type UnitScope } from "../../policies.js";
import { appendAudit } from "../audit/service.js";
import { checkFile } from "../evidence/file.js";
import { guardInForce } from "../plans/superseded.js";
import type { ClaimFile } from "./schema.js";

const listed = {
  id: claimEvidence.id,
  claimId: claimEvidence.claimId,
  filename: claimEvidence.filename,
  contentType: claimEvidence.contentType,
  size: claimEvidence.size,
  sha256: claimEvidence.sha256,
  uploadedAt: claimEvidence.uploadedAt,
};

/**
 * 证明材料 of bonus claims (and of the items the office records): a unit's leader attaches files to
 * its own claim while it is pending, so that the office decides with the evidence in front of it;
 * the office may attach to any item. Files are checked like value evidence (type by content, size).
 */
export function createClaimEvidenceService(deps: {
  db: Database;
  now: () => Date;
  settings?: EvidenceSettings;
}) {
  const { db, now } = deps;
  const settings = deps.settings ?? defaultEvidence;

  /** The claim of this plan version (404 otherwise) if the scope may see its unit (403 otherwise). */
  async function claimOf(planVersionId: string, claimId: string, scope: UnitScope) {
    const [c] = await db
      .select({ id: claims.id, unit: claims.unitCode, status: claims.status })
      .from(claims)
      .where(and(eq(claims.id, claimId), eq(claims.planVersionId, planVersionId)));
    if (!c) throw notFound("申报不存在", "claim not found");
    if (!inScope(scope, c.unit))
      throw forbidden("只能查看和处理本单位的申报", "you can only see and handle your own unit's claims");
    return c;
  }

  return {
    claimOf,

    async attach(props: {
      planVersionId: string;
      claimId: string;
      scope: UnitScope;
      /** The office attaches to any item; a unit only to its own claim while it is pending. */
      office: boolean;
      filename: string;
      declared: string;
      data: Buffer | undefined;
      actor: Actor;
    }): Promise<ClaimFile> {
      const c = await claimOf(props.planVersionId, props.claimId, props.scope);
      if (!props.data)
        throw appError(415, "FILE_TYPE", "请上传文件内容", "send the file as the request body");
      const file = checkFile(props.data, props.declared, settings);
      return db.transaction(async (tx) => {
        await guardInForce(tx, props.planVersionId);
        const [locked] = await tx
          .select({ status: claims.status })
          .from(claims)
          .where(eq(claims.id, c.id))
          .for("update");
        if (!props.office && locked?.status !== "pending")
          throw appError(
            409,
            "ALREADY_DECIDED",
            "该申报已处理，不能再补充材料",
            "this claim is already decided",
          );
        const [row] = await tx
          .insert(claimEvidence)
          .values({
            claimId: c.id,
            filename: props.filename,
            ...file,
            content: props.data!,
            uploadedBy: props.actor.id,
            uploadedAt: now(),
          })
          .returning(listed);
        await appendAudit(tx, {
          ...auditedBy(props.actor),
          action: "claim.evidence",
          entity: "claim",
          entityId: c.id,
          after: { unit: c.unit, filename: props.filename, size: file.size, sha256: file.sha256 },
        });
        return { ...row!, uploadedAt: row!.uploadedAt.toISOString() };
      });
    },

    /** The files (without content) of some claims, by claim id. */
    async files(claimIds: readonly string[]): Promise<Map<string, ClaimFile[]>> {
      const byClaim = new Map<string, ClaimFile[]>();
      if (claimIds.length === 0) return byClaim;
      const rows = await db
        .select(listed)
        .from(claimEvidence)
        .where(inArray(claimEvidence.claimId, [...claimIds]))
        .orderBy(claimEvidence.uploadedAt, claimEvidence.id);
      for (const { claimId, ...r } of rows) {
        const list = byClaim.get(claimId) ?? [];
        list.push({ ...r, uploadedAt: r.uploadedAt.toISOString() });
        byClaim.set(claimId, list);
      }
      return byClaim;
    },

    /** One file of a claim the scope may see, with its content. */
    async file(planVersionId: string, claimId: string, fileId: string, scope: UnitScope) {
      await claimOf(planVersionId, claimId, scope);
      const [row] = await db
        .select({
          filename: claimEvidence.filename,
          contentType: claimEvidence.contentType,
          content: claimEvidence.content,
        })
        .from(claimEvidence)
        .where(and(eq(claimEvidence.id, fileId), eq(claimEvidence.claimId, claimId)));
      if (!row) throw notFound("文件不存在", "file not found");
      return row;
    },
  };
}

export type ClaimEvidenceService = ReturnType<typeof createClaimEvidenceService>;
