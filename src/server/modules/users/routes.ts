import { count, eq, inArray } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Database } from "../../db/client.js";
import { organisations, roles, separatedRoles, userRoles, users } from "../../db/schema/index.js";
import { appError, notFound } from "../../errors.js";
import { listQuery, page, pageSql } from "../../pagination.js";
import { authorize } from "../../policies.js";
import { text, textLimits } from "../../schemas.js";
import { hashPassword, oneTimePassword } from "../accounts/passwords.js";
import { appendAudit } from "../audit/service.js";

const user = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  organisationId: z.string().nullable(),
  roles: z.array(z.enum(roles)),
  locked: z.boolean(),
});

/** /api/v1/users: accounts (system administrator) and their roles (security administrator). */
export const userRoutes =
  (db: Database): FastifyPluginAsyncZod =>
  async (app) => {
    const load = async (ids?: string[]) => {
      const rows = await db
        .select()
        .from(users)
        .where(ids ? inArray(users.id, ids) : undefined)
        .orderBy(users.username);
      const grants = rows.length
        ? await db
            .select()
            .from(userRoles)
            .where(
              inArray(
                userRoles.userId,
                rows.map((r) => r.id),
              ),
            )
        : [];
      return rows.map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        organisationId: u.organisationId,
        roles: grants.filter((g) => g.userId === u.id).map((g) => g.role),
        locked: Boolean(u.lockedUntil && u.lockedUntil > new Date()),
      }));
    };

    app.get(
      "/users",
      {
        schema: {
          tags: ["users"],
          summary: "List accounts (paged; filter by user or display name; sort by username or displayName)",
          querystring: listQuery(["username", "displayName"] as const),
          response: { 200: page(user) },
        },
      },
      async (request) => {
        authorize(request, "users.read");
        const { where, orderBy, limit, offset } = pageSql(request.query, {
          search: [users.username, users.displayName],
          sort: { username: users.username, displayName: users.displayName },
          unique: users.username,
        });
        const [total] = await db.select({ n: count() }).from(users).where(where);
        const ids = await db
          .select({ id: users.id })
          .from(users)
          .where(where)
          .orderBy(...orderBy)
          .limit(limit)
          .offset(offset);
        const loaded = new Map((await load(ids.map((r) => r.id))).map((u) => [u.id, u]));
        const items = ids.map((r) => loaded.get(r.id)!);
        return { items, total: total?.n ?? 0, page: request.query.page, pageSize: limit };
      },
    );

    app.post(
      "/users",
      {
        schema: {
          tags: ["users"],
          summary: "Create an account with a one-time password",
          body: z.object({
            username: z
              .string()
              .min(3)
              .max(50)
              .regex(/^[a-z0-9_.-]+$/),
            displayName: text(textLimits.displayName).min(1),
            organisationCode: z.string().optional(),
          }),
          response: { 201: z.object({ user, oneTimePassword: z.string() }) },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "users.create");
        const { username, displayName, organisationCode } = request.body;
        let organisationId: string | null = null;
        if (organisationCode !== undefined) {
          const [org] = await db
            .select({ id: organisations.id })
            .from(organisations)
            .where(eq(organisations.code, organisationCode));
          if (!org)
            throw appError(
              400,
              "UNKNOWN_ORGANISATION",
              `单位 ${organisationCode} 不存在`,
              `organisation ${organisationCode} does not exist`,
              "organisationCode",
            );
          organisationId = org.id;
        }
        const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
        if (existing)
          throw appError(
            409,
            "DUPLICATE_USERNAME",
            `用户名 ${username} 已存在`,
            `user name ${username} is taken`,
            "username",
          );
        const password = oneTimePassword();
        const passwordHash = await hashPassword(password);
        const id = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(users)
            .values({ username, displayName, organisationId, passwordHash })
            .returning({ id: users.id });
          await appendAudit(tx, {
            actor: session.user.username,
            ip: request.ip,
            action: "user.create",
            entity: "user",
            entityId: row!.id,
            after: { username, displayName, organisationId },
          });
          return row!.id;
        });
        const [created] = await load([id]);
        return reply.status(201).send({ user: created!, oneTimePassword: password });
      },
    );

    app.put(
      "/users/:id/roles",
      {
        schema: {
          tags: ["users"],
          summary: "Set an account's roles",
          params: z.object({ id: z.uuid() }),
          body: z.object({ roles: z.array(z.enum(roles)).max(roles.length) }),
          response: { 200: user },
        },
      },
      async (request) => {
        const session = authorize(request, "users.roles");
        const { id } = request.params;
        if (id === session.user.id)
          throw appError(403, "SELF_GRANT", "不能修改自己的角色", "you cannot change your own roles");
        const [before] = await load([id]);
        if (!before) throw notFound();
        const wanted = [...new Set(request.body.roles)];
        if (wanted.filter((r) => separatedRoles.includes(r)).length > 1) {
          throw appError(
            409,
            "SEPARATION_OF_DUTIES",
            "系统、安全、审计管理员角色不能由同一账号兼任（三员分立）",
            "one account cannot hold two of the system, security and audit administrator roles",
            "roles",
          );
        }
        await db.transaction(async (tx) => {
          await tx.delete(userRoles).where(eq(userRoles.userId, id));
          if (wanted.length) await tx.insert(userRoles).values(wanted.map((role) => ({ userId: id, role })));
          await appendAudit(tx, {
            actor: session.user.username,
            ip: request.ip,
            action: "user.roles",
            entity: "user",
            entityId: id,
            before: { roles: before.roles },
            after: { roles: wanted },
          });
        });
        return (await load([id]))[0]!;
      },
    );

    app.post(
      "/users/:id/unlock",
      {
        schema: {
          tags: ["users"],
          summary: "Unlock an account",
          params: z.object({ id: z.uuid() }),
          response: { 200: user },
        },
      },
      async (request) => {
        const session = authorize(request, "users.unlock");
        const [before] = await load([request.params.id]);
        if (!before) throw notFound();
        await db.transaction(async (tx) => {
          await tx
            .update(users)
            .set({ lockedUntil: null, failedLogins: 0 })
            .where(eq(users.id, request.params.id));
          await appendAudit(tx, {
            actor: session.user.username,
            ip: request.ip,
            action: "user.unlock",
            entity: "user",
            entityId: request.params.id,
          });
        });
        return (await load([request.params.id]))[0]!;
      },
    );
  };
