import { count, eq } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, auditedBy } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { organisations } from "../../db/schema/index.js";
import { appError } from "../../errors.js";
import { listQuery, page, pageSql } from "../../pagination.js";
import { authorize } from "../../policies.js";
import { text, textLimits } from "../../schemas.js";
import { appendAudit } from "../audit/service.js";

const organisation = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.enum(["city", "district", "department", "office"]),
  parentId: z.string().nullable(),
});

/** /api/v1/organisations: the tree of assessed units and offices. */
export const organisationRoutes =
  (db: Database): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/organisations",
      {
        schema: {
          tags: ["organisations"],
          summary: "List organisations (paged; filter by code or name; sort by code, name or kind)",
          querystring: listQuery(["code", "name", "kind"] as const),
          response: { 200: page(organisation) },
        },
      },
      async (request) => {
        authorize(request, "organisations.read");
        const { where, orderBy, limit, offset } = pageSql(request.query, {
          search: [organisations.code, organisations.name],
          sort: { code: organisations.code, name: organisations.name, kind: organisations.kind },
          unique: organisations.code,
        });
        const [total] = await db.select({ n: count() }).from(organisations).where(where);
        const items = await db
          .select({
            id: organisations.id,
            code: organisations.code,
            name: organisations.name,
            nameEn: organisations.nameEn,
            kind: organisations.kind,
            parentId: organisations.parentId,
          })
          .from(organisations)
          .where(where)
          .orderBy(...orderBy)
          .limit(limit)
          .offset(offset);
        return { items, total: total?.n ?? 0, page: request.query.page, pageSize: limit };
      },
    );

    app.post(
      "/organisations",
      {
        schema: {
          tags: ["organisations"],
          summary: "Create an organisation",
          body: z.object({
            code: z
              .string()
              .min(1)
              .max(50)
              .regex(/^[A-Za-z0-9_-]+$/),
            name: text(textLimits.name).min(1),
            nameEn: text(textLimits.name).optional(),
            kind: z.enum(["city", "district", "department", "office"]),
            parentCode: z.string().optional(),
          }),
          response: { 201: organisation },
        },
      },
      async (request, reply) => {
        authorize(request, "organisations.write");
        const { parentCode, ...fields } = request.body;
        let parentId: string | null = null;
        if (parentCode !== undefined) {
          const [parent] = await db
            .select({ id: organisations.id })
            .from(organisations)
            .where(eq(organisations.code, parentCode));
          if (!parent)
            throw appError(
              400,
              "UNKNOWN_PARENT",
              `上级单位 ${parentCode} 不存在`,
              `parent ${parentCode} does not exist`,
              "parentCode",
            );
          parentId = parent.id;
        }
        const [existing] = await db
          .select({ id: organisations.id })
          .from(organisations)
          .where(eq(organisations.code, fields.code));
        if (existing)
          throw appError(
            409,
            "DUPLICATE_CODE",
            `单位代码 ${fields.code} 已存在`,
            `code ${fields.code} already exists`,
            "code",
          );
        const created = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(organisations)
            .values({ ...fields, nameEn: fields.nameEn ?? null, parentId })
            .returning();
          await appendAudit(tx, {
            ...auditedBy(actorOf(request)),
            action: "organisation.create",
            entity: "organisation",
            entityId: row!.id,
            after: row,
          });
          return row!;
        });
        return reply.status(201).send({
          id: created.id,
          code: created.code,
          name: created.name,
          nameEn: created.nameEn,
          kind: created.kind,
          parentId: created.parentId,
        });
      },
    );
  };
