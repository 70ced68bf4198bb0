import { count, eq, sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, auditedBy } from "../../actor.js";
import { type Database, resultRows } from "../../db/client.js";
import { organisations } from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { listQuery, page, pageSql } from "../../pagination.js";
import { authorize } from "../../policies.js";
import { appendAudit } from "../audit/service.js";
import { organisation, organisationBody, organisationPatch } from "./schema.js";

const present = (o: typeof organisations.$inferSelect) => ({
  id: o.id,
  code: o.code,
  name: o.name,
  nameEn: o.nameEn,
  kind: o.kind,
  parentId: o.parentId,
});

/** Whether `candidate` is `root` or lies under it (walking up from the candidate). */
async function withinSubtree(tx: Database, root: string, candidate: string): Promise<boolean> {
  const result = await tx.execute(sql`
    WITH RECURSIVE up(id, parent_id) AS (
      SELECT id, parent_id FROM organisations WHERE id = ${candidate}
      UNION SELECT o.id, o.parent_id FROM organisations o JOIN up ON o.id = up.parent_id
    ) SELECT 1 AS hit FROM up WHERE id = ${root} LIMIT 1`);
  return resultRows(result).length > 0;
}

/** /api/v1/organisations: the tree of assessed units and offices. */
export const organisationRoutes =
  (db: Database): FastifyPluginAsyncZod =>
  async (app) => {
    const parentIdOf = async (code: string, tx: Database = db): Promise<string> => {
      const [parent] = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(eq(organisations.code, code));
      if (!parent)
        throw appError(
          400,
          "UNKNOWN_PARENT",
          `上级单位 ${code} 不存在`,
          `parent ${code} does not exist`,
          "parentCode",
        );
      return parent.id;
    };

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
          body: organisationBody,
          response: { 201: organisation },
        },
      },
      async (request, reply) => {
        authorize(request, "organisations.write");
        const { parentCode, ...fields } = request.body;
        const parentId = parentCode === undefined ? null : await parentIdOf(parentCode);
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
        return reply.status(201).send(present(created));
      },
    );

    app.patch(
      "/organisations/:id",
      {
        schema: {
          tags: ["organisations"],
          summary: "Edit an organisation (name, English name, kind, parent; the code stays)",
          params: z.object({ id: z.uuid() }),
          body: organisationPatch,
          response: { 200: organisation },
        },
      },
      async (request) => {
        authorize(request, "organisations.write");
        const { id } = request.params;
        const { parentCode, ...fields } = request.body;
        const updated = await db.transaction(async (tx) => {
          const [before] = await tx
            .select()
            .from(organisations)
            .where(eq(organisations.id, id))
            .for("update");
          if (!before) throw notFound();
          const changes: Partial<typeof organisations.$inferInsert> = { ...fields };
          if (parentCode !== undefined) {
            const parentId = parentCode === null ? null : await parentIdOf(parentCode, tx);
            // The tree stays a tree: no unit under itself or under one of its own descendants.
            if (parentId && (await withinSubtree(tx, id, parentId)))
              throw appError(
                409,
                "PARENT_CYCLE",
                `上级单位 ${parentCode} 是本单位或其下级，不能作为上级`,
                `${parentCode} is this unit or one of its own sub-units, so it cannot be its parent`,
                "parentCode",
              );
            changes.parentId = parentId;
          }
          const [row] = await tx
            .update(organisations)
            .set(changes)
            .where(eq(organisations.id, id))
            .returning();
          await appendAudit(tx, {
            ...auditedBy(actorOf(request)),
            action: "organisation.update",
            entity: "organisation",
            entityId: id,
            before: present(before),
            after: present(row!),
          });
          return row!;
        });
        return present(updated);
      },
    );
  };
