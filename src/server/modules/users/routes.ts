import { count, eq, inArray } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, auditedBy } from "../../actor.js";
import type { Database } from "../../db/client.js";
import {
  businessRoles,
  organisations,
  type Role,
  separatedRoles,
  userRoles,
  users,
} from "../../db/schema/index.js";
import { AppError, appError, notFound } from "../../errors.js";
import { listQuery, page, pageSql } from "../../pagination.js";
import { authorize } from "../../policies.js";
import { hashPassword, oneTimePassword } from "../accounts/passwords.js";
import { unlockAccount } from "../accounts/unlock.js";
import { appendAudit } from "../audit/service.js";
import { throttledNow } from "../auth/throttle.js";
import { createdUser, rolesBody, user, userBody } from "./schema.js";

const roleNames: Record<Role, string> = {
  system_admin: "系统管理员",
  security_admin: "安全管理员",
  audit_admin: "审计管理员",
  office_staff: "考核办工作人员",
  reviewer: "审核人员",
  unit_reporter: "单位填报员",
  unit_leader: "单位负责人",
};
const named = (list: readonly Role[], zh: boolean) =>
  list.map((r) => (zh ? `${roleNames[r]}（${r}）` : r)).join(zh ? "、" : ", ");

/**
 * Roles one account may not hold together: two administrator roles (三员分立), or an administrator
 * role and a business role (administrators take no part in assessments). The database refuses the
 * same (migration 0016), under a lock, so that concurrent grants cannot slip past this check.
 */
function separationProblem(wanted: readonly Role[]): AppError | null {
  const admins = wanted.filter((r) => separatedRoles.includes(r));
  const business = wanted.filter((r) => businessRoles.includes(r));
  if (admins.length > 1)
    return new AppError(
      409,
      "SEPARATION_OF_DUTIES",
      {
        "zh-CN": `${named(admins, true)}不能由同一账号兼任（三员分立）`,
        en: `one account cannot hold two of the system, security and audit administrator roles (${named(admins, false)})`,
      },
      "roles",
      { conflicting: admins },
    );
  if (admins.length && business.length)
    return new AppError(
      409,
      "ADMINISTRATOR_IN_ASSESSMENT",
      {
        "zh-CN": `管理员角色${named(admins, true)}不能与业务角色${named(business, true)}兼任：管理员不参与考核业务`,
        en: `the administrator role ${named(admins, false)} cannot be combined with the business roles ${named(business, false)}: administrators take no part in assessments`,
      },
      "roles",
      { conflicting: [...admins, ...business] },
    );
  return null;
}

/** The database's refusal (the trigger of migration 0016), seen through drizzle's wrapper or not. */
const separationViolation = (e: unknown): string[] | null => {
  for (const c of [e, (e as { cause?: unknown })?.cause]) {
    const err = c as { code?: string; constraint?: string; detail?: string } | undefined;
    if (err?.code === "23514" && err.constraint === "user_roles_separation")
      return (err.detail ?? "").split(",").filter(Boolean);
  }
  return null;
};

/** /api/v1/users: accounts (system administrator) and their roles (security administrator). */
export const userRoutes =
  (db: Database, now: () => Date = () => new Date()): FastifyPluginAsyncZod =>
  async (app) => {
    const load = async (ids?: string[]) => {
      const rows = await db
        .select({
          id: users.id,
          username: users.username,
          displayName: users.displayName,
          organisationId: users.organisationId,
          locked: throttledNow(users.username, now()),
        })
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
        locked: Boolean(u.locked),
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
          body: userBody,
          response: { 201: createdUser },
        },
      },
      async (request, reply) => {
        authorize(request, "users.create");
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
            ...auditedBy(actorOf(request)),
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
          body: rolesBody,
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
        const problem = separationProblem(wanted);
        if (problem) throw problem;
        try {
          await db.transaction(async (tx) => {
            // Role changes of one account are serialised on its row: the roles replaced are the latest.
            const [locked] = await tx
              .select({ id: users.id })
              .from(users)
              .where(eq(users.id, id))
              .for("no key update");
            if (!locked) throw notFound();
            const current = await tx
              .select({ role: userRoles.role })
              .from(userRoles)
              .where(eq(userRoles.userId, id));
            await tx.delete(userRoles).where(eq(userRoles.userId, id));
            if (wanted.length)
              await tx.insert(userRoles).values(wanted.map((role) => ({ userId: id, role })));
            await appendAudit(tx, {
              ...auditedBy(actorOf(request)),
              action: "user.roles",
              entity: "user",
              entityId: id,
              before: { roles: current.map((r) => r.role).sort() },
              after: { roles: wanted },
            });
          });
        } catch (e) {
          const conflicting = separationViolation(e);
          if (conflicting)
            throw new AppError(
              409,
              "SEPARATION_OF_DUTIES",
              {
                "zh-CN": `角色 ${conflicting.join("、")} 不能由同一账号兼任（三员分立，管理员不参与考核业务）`,
                en: `one account cannot hold both ${conflicting.join(" and ")} (separation of duties)`,
              },
              "roles",
              { conflicting },
            );
          throw e;
        }
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
        await unlockAccount(db, before, { actor: session.user.username, ip: request.ip, via: "api" });
        return (await load([request.params.id]))[0]!;
      },
    );
  };
