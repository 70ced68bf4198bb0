import { and, eq } from "drizzle-orm";
import { auditedBy, type CommandContext } from "../../../actor.js";
import type { EvidenceSettings } from "../../../config.js";
import { objectionEvidence, objections } from "../../../db/schema/index.js";
import { appError, forbidden, notFound } from "../../../errors.js";
import { inScope, type UnitScope } from "../../../policies.js";
import { appendAudit } from "../../audit/service.js";
import { checkFile } from "../../evidence/file.js";
import { lockPublication, type ObjectionFile, objectionFile, refuseClosedNotice } from "../service.js";

type Props = CommandContext & {
  publicationId: string;
  objectionId: string;
  /** Only the objecting unit's people may add evidence to its objection. */
  scope: UnitScope;
  filename: string;
  /** The content type the client declared (checked against the content). */
  declared: string;
  /** The file; undefined when the request had no body. */
  data: Buffer | undefined;
  /** Checks for objections' evidence files (the value evidence settings). */
  settings: EvidenceSettings;
};

/**
 * Attaches an evidence file to an open objection while the notice runs; only the objecting unit's
 * people (scope) may. The file is checked like any evidence before anything is stored.
 */
export async function attachObjectionEvidence(props: Props): Promise<ObjectionFile> {
  const { db, now, actor, publicationId, objectionId, filename, data } = props;
  // Whose objection it is comes first: another unit learns nothing about the file it sent.
  const [filed] = await db
    .select({ unit: objections.unitCode })
    .from(objections)
    .where(and(eq(objections.id, objectionId), eq(objections.publicationId, publicationId)));
  if (!filed) throw notFound("异议不存在", "objection not found");
  if (!inScope(props.scope, filed.unit))
    throw forbidden("只能为本单位的异议提供佐证", "you can only add evidence to your own unit's objection");
  if (!data) throw appError(415, "FILE_TYPE", "请上传文件内容", "send the file as the request body");
  const file = checkFile(data, props.declared, props.settings);
  return db.transaction(async (tx) => {
    const p = await lockPublication(tx, publicationId);
    const [o] = await tx
      .select()
      .from(objections)
      .where(and(eq(objections.id, objectionId), eq(objections.publicationId, publicationId)))
      .for("update");
    if (!o) throw notFound("异议不存在", "objection not found");
    refuseClosedNotice(p, now(), ["公示期已结束", "the notice period is over"]);
    if (o.status !== "open")
      throw appError(409, "ALREADY_RESOLVED", "该异议已处理", "this objection is already resolved");
    const [row] = await tx
      .insert(objectionEvidence)
      .values({ objectionId, filename, ...file, content: data, uploadedBy: actor.id, uploadedAt: now() })
      .returning(objectionFile);
    await appendAudit(tx, {
      ...auditedBy(actor),
      action: "objection.evidence",
      entity: "objection",
      entityId: objectionId,
      after: { unit: o.unitCode, filename, size: file.size, sha256: file.sha256 },
    });
    return { ...row!, uploadedAt: row!.uploadedAt.toISOString() };
  });
}
