import { and, count, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { csvLine } from "../../../csv-cell.js";
import type { Database } from "../../db/client.js";
import { auditLog } from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { authorize } from "../../policies.js";
import { auditPage, filters, verifyReply } from "./schema.js";
import { auditCheckpoint, verifyAuditChain } from "./service.js";

function where(q: z.infer<typeof filters>): SQL | undefined {
  const parts: (SQL | undefined)[] = [
    q.actor ? eq(auditLog.actor, q.actor) : undefined,
    q.action ? eq(auditLog.action, q.action) : undefined,
    q.entity ? eq(auditLog.entity, q.entity) : undefined,
    q.entityId ? eq(auditLog.entityId, q.entityId) : undefined,
    q.from ? gte(auditLog.at, new Date(q.from)) : undefined,
    q.to ? lte(auditLog.at, new Date(q.to)) : undefined,
  ];
  return and(...parts.filter(Boolean));
}

/** /api/v1/audit: search, export and verify the audit trail (audit administrator only). */
export const auditRoutes =
  (db: Database): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/audit",
      {
        schema: {
          tags: ["audit"],
          summary: "Search the audit trail (newest first)",
          querystring: filters.extend({
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(500).default(50),
          }),
          response: { 200: auditPage },
        },
      },
      async (request) => {
        authorize(request, "audit.read");
        const { page, pageSize, ...q } = request.query;
        const [total] = await db.select({ n: count() }).from(auditLog).where(where(q));
        const rows = await db
          .select()
          .from(auditLog)
          .where(where(q))
          .orderBy(desc(auditLog.seq))
          .limit(pageSize)
          .offset((page - 1) * pageSize);
        return {
          items: rows.map((r) => ({
            seq: r.seq,
            at: r.at.toISOString(),
            actor: r.actor,
            ip: r.ip,
            action: r.action,
            entity: r.entity,
            entityId: r.entityId,
            before: r.before,
            after: r.after,
            hash: r.hash,
          })),
          total: total?.n ?? 0,
          page,
          pageSize,
        };
      },
    );

    app.get(
      "/audit/export",
      { schema: { tags: ["audit"], summary: "Export the audit trail as CSV", querystring: filters } },
      async (request, reply) => {
        authorize(request, "audit.read");
        const rows = await db.select().from(auditLog).where(where(request.query)).orderBy(auditLog.seq);
        const header = [
          "seq",
          "at",
          "actor",
          "ip",
          "action",
          "entity",
          "entity_id",
          "before",
          "after",
          "prev_hash",
          "hash",
          "hash_sm3",
        ];
        const lines = rows.map((r) =>
          csvLine([
            r.seq,
            r.at.toISOString(),
            r.actor,
            r.ip,
            r.action,
            r.entity,
            r.entityId,
            r.before,
            r.after,
            r.prevHash,
            r.hash,
            r.hashSm3,
          ]),
        );
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", 'attachment; filename="audit.csv"')
          .send(`\uFEFF${[header.join(","), ...lines].join("\n")}\n`);
      },
    );

    app.get(
      "/audit/verify",
      {
        schema: {
          tags: ["audit"],
          summary: "Verify the hash chain",
          description:
            "The unkeyed SHA-256/SM3 chain, the keyed HMAC chain and every run's and published view's content hash; with checkpointSeq and checkpointMac (from a checkpoint file or a published notice), also that the trail still holds that entry unchanged.",
          querystring: z.object({
            checkpointSeq: z.coerce.number().int().min(1).optional(),
            checkpointMac: z
              .string()
              .regex(/^[0-9a-f]{64}$/)
              .optional(),
          }),

          response: { 200: verifyReply },
        },
      },
      async (request) => {
        authorize(request, "audit.read");
        const { checkpointSeq: seq, checkpointMac: mac } = request.query;
        if ((seq === undefined) !== (mac === undefined))
          throw appError(
            400,
            "CHECKPOINT_INCOMPLETE",
            "检查点需要同时给出 checkpointSeq 和 checkpointMac",
            "a checkpoint needs both checkpointSeq and checkpointMac",
            seq === undefined ? "checkpointSeq" : "checkpointMac",
          );
        const checkpoint =
          seq !== undefined && mac !== undefined
            ? { format: "kaohe-audit-checkpoint/1" as const, seq, mac, macSm3: null, at: "", hash: "" }
            : undefined;
        return verifyAuditChain(db, checkpoint ? { checkpoint } : {});
      },
    );

    app.get(
      "/audit/checkpoint",
      {
        schema: {
          tags: ["audit"],
          summary: "The audit chain's head as a checkpoint file to keep outside the database",
          description:
            "Keep the file away from the database (kaohe audit verify --checkpoint FILE checks the chain still contains it unchanged).",
        },
      },
      async (request, reply) => {
        authorize(request, "audit.read");
        const checkpoint = await auditCheckpoint(db);
        if (!checkpoint)
          throw notFound("审计日志尚无带密钥校验的记录", "the audit trail has no keyed entry yet");
        return reply
          .header("content-disposition", `attachment; filename="audit-checkpoint-${checkpoint.seq}.json"`)
          .send(checkpoint);
      },
    );
  };
