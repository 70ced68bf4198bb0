import { and, count, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { csvLine } from "../../../csv-cell.js";
import type { Database } from "../../db/client.js";
import { auditLog } from "../../db/schema/index.js";
import { authorize } from "../../policies.js";
import { verifyAuditChain } from "./service.js";

const filters = z.object({
  actor: z.string().optional(),
  action: z.string().optional(),
  entity: z.string().optional(),
  entityId: z.string().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

const entry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  ip: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});

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
          response: {
            200: z.object({
              items: z.array(entry),
              total: z.number(),
              page: z.number(),
              pageSize: z.number(),
            }),
          },
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
          response: {
            200: z.object({
              ok: z.boolean(),
              entries: z.number(),
              head: z.string().optional(),
              sm3Entries: z.number().optional().describe("entries whose SM3 chain was checked too"),
              brokenAt: z.number().optional(),
              reason: z.string().optional(),
              algorithm: z.enum(["SHA-256", "SM3"]).optional(),
            }),
          },
        },
      },
      async (request) => {
        authorize(request, "audit.read");
        return verifyAuditChain(db);
      },
    );
  };
