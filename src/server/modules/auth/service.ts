import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { SecuritySettings } from "../../config.js";
import type { Database } from "../../db/client.js";
import {
  loginAttempts,
  organisations,
  type Role,
  sessions,
  userRoles,
  users,
} from "../../db/schema/index.js";
import { AppError, appError } from "../../errors.js";
import { hashPassword, verifyPassword } from "../accounts/passwords.js";
import { appendAudit } from "../audit/service.js";
import { checkPasswordPolicy } from "./password-policy.js";

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  organisationId: string | null;
  /** The code of the user's organisation: a unit's people see and change only its data. */
  organisationCode: string | null;
  roles: Role[];
  mustChangePassword: boolean;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
  tokenHash: string;
}

/** node-postgres parses text[] into an array; PGlite may hand back the literal "{a,b}". */
function parseRoles(value: unknown): Role[] {
  if (Array.isArray(value)) return value as Role[];
  const text = String(value ?? "{}").replace(/^\{|\}$/g, "");
  return (text ? text.split(",") : []) as Role[];
}

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface AuthService {
  login(
    username: string,
    password: string,
    ip: string,
    userAgent?: string,
  ): Promise<{ token: string; session: Session }>;
  authenticate(token: string): Promise<Session | null>;
  logout(session: Session, ip: string): Promise<void>;
  changePassword(session: Session, current: string, next: string, ip: string): Promise<void>;
}

/** Sign-in, sessions, lockout and password changes; all state in the database, every event audited. */
export function createAuthService(deps: {
  db: Database;
  security: SecuritySettings;
  now?: () => Date;
}): AuthService {
  const { db, security } = deps;
  const now = deps.now ?? (() => new Date());

  /** The columns of a signed-in user: roles and organisation code included, in one query. */
  const userColumns = {
    id: users.id,
    username: users.username,
    displayName: users.displayName,
    organisationId: users.organisationId,
    organisationCode: organisations.code,
    mustChangePassword: users.mustChangePassword,
    roles: sql<
      Role[]
    >`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM ${userRoles} r WHERE r.user_id = ${users.id}), '{}')`,
  };
  const toSessionUser = (
    u: { organisationCode: string | null; roles: unknown } & Omit<SessionUser, "organisationCode" | "roles">,
  ): SessionUser => ({
    ...u,
    organisationCode: u.organisationCode ?? null,
    roles: parseRoles(u.roles),
  });

  // Prepared once: the database plans it once per connection, and drizzle builds its SQL once.
  const sessionByToken = db
    .select({
      ...userColumns,
      csrfToken: sessions.csrfToken,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(sessions.tokenHash, sql.placeholder("hash")))
    .prepare("session_by_token");

  async function loadUser(id: string): Promise<SessionUser | null> {
    const [u] = await db
      .select(userColumns)
      .from(users)
      .leftJoin(organisations, eq(organisations.id, users.organisationId))
      .where(eq(users.id, id));
    return u ? toSessionUser(u) : null;
  }

  return {
    async login(username, password, ip, userAgent) {
      const since = new Date(now().getTime() - 60_000);
      const [recent] = await db
        .select({ n: count() })
        .from(loginAttempts)
        .where(and(eq(loginAttempts.ip, ip), gt(loginAttempts.at, since)));
      if ((recent?.n ?? 0) >= security.loginsPerMinute) {
        throw appError(
          429,
          "TOO_MANY_LOGINS",
          "登录尝试过于频繁，请稍后再试",
          "too many sign-in attempts; try again later",
        );
      }
      const [user] = await db.select().from(users).where(eq(users.username, username));
      const fail = async (reason: string, error: AppError) => {
        await db.insert(loginAttempts).values({ ip, username, succeeded: "no", at: now() });
        await appendAudit(db, {
          actor: username,
          ip,
          action: "auth.login_failed",
          entity: "user",
          entityId: user?.id ?? null,
          after: { reason },
        });
        throw error;
      };
      const wrong = appError(401, "BAD_CREDENTIALS", "用户名或密码错误", "wrong user name or password");
      if (!user) return fail("unknown user", wrong);
      if (user.lockedUntil && user.lockedUntil > now()) {
        return fail(
          "locked",
          appError(
            423,
            "ACCOUNT_LOCKED",
            "账号因多次登录失败已被锁定，请稍后再试",
            "the account is locked after repeated failures; try again later",
          ),
        );
      }
      if (!(await verifyPassword(user.passwordHash, password))) {
        const failures = user.failedLogins + 1;
        const lock = failures >= security.lockoutAfter;
        await db
          .update(users)
          .set({
            failedLogins: lock ? 0 : failures,
            lockedUntil: lock ? new Date(now().getTime() + security.lockoutMs) : user.lockedUntil,
          })
          .where(eq(users.id, user.id));
        if (lock)
          await appendAudit(db, {
            actor: "system",
            ip,
            action: "auth.locked",
            entity: "user",
            entityId: user.id,
            after: { failures },
          });
        return fail("wrong password", wrong);
      }
      await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
      await db.insert(loginAttempts).values({ ip, username, succeeded: "yes", at: now() });
      const token = randomBytes(32).toString("base64url");
      const csrfToken = randomBytes(24).toString("base64url");
      await db.insert(sessions).values({
        tokenHash: tokenHash(token),
        userId: user.id,
        csrfToken,
        ip,
        userAgent: userAgent ?? null,
        expiresAt: new Date(now().getTime() + security.sessionLifetimeMs),
        createdAt: now(),
        lastSeenAt: now(),
      });
      await appendAudit(db, {
        actor: user.username,
        ip,
        action: "auth.login",
        entity: "user",
        entityId: user.id,
      });
      const sessionUser = (await loadUser(user.id))!;
      return { token, session: { user: sessionUser, csrfToken, tokenHash: tokenHash(token) } };
    },

    /** The session and its user in one prepared query: it runs on every signed-in request. */
    async authenticate(token) {
      const hash = tokenHash(token);
      const [row] = await sessionByToken.execute({ hash });
      if (!row) return null;
      const t = now();
      if (row.expiresAt <= t || t.getTime() - row.lastSeenAt.getTime() > security.idleTimeoutMs) {
        await db.delete(sessions).where(eq(sessions.tokenHash, hash));
        return null;
      }
      // Refresh the idle clock at most once a minute: a write per request buys nothing for a 30-minute timeout.
      if (t.getTime() - row.lastSeenAt.getTime() > 60_000) {
        await db.update(sessions).set({ lastSeenAt: t }).where(eq(sessions.tokenHash, hash));
      }
      const { csrfToken, expiresAt: _e, lastSeenAt: _l, ...user } = row;
      return { user: toSessionUser(user), csrfToken, tokenHash: hash };
    },

    async logout(session, ip) {
      await db.delete(sessions).where(eq(sessions.tokenHash, session.tokenHash));
      await appendAudit(db, {
        actor: session.user.username,
        ip,
        action: "auth.logout",
        entity: "user",
        entityId: session.user.id,
      });
    },

    async changePassword(session, current, next, ip) {
      const [user] = await db.select().from(users).where(eq(users.id, session.user.id));
      if (!user || !(await verifyPassword(user.passwordHash, current))) {
        throw appError(
          400,
          "BAD_CURRENT_PASSWORD",
          "当前密码不正确",
          "the current password is wrong",
          "current",
        );
      }
      const problem = checkPasswordPolicy(next, user.username);
      if (problem) throw new AppError(400, "WEAK_PASSWORD", problem, "next");
      if (await verifyPassword(user.passwordHash, next)) {
        throw appError(
          400,
          "SAME_PASSWORD",
          "新密码不能与当前密码相同",
          "the new password must differ from the current one",
          "next",
        );
      }
      await db
        .update(users)
        .set({ passwordHash: await hashPassword(next), mustChangePassword: false })
        .where(eq(users.id, user.id));
      // Other sessions of this account end: whoever knew the old password is signed out.
      await db
        .delete(sessions)
        .where(and(eq(sessions.userId, user.id), sql`${sessions.tokenHash} <> ${session.tokenHash}`));
      await appendAudit(db, {
        actor: user.username,
        ip,
        action: "auth.password_changed",
        entity: "user",
        entityId: user.id,
      });
    },
  };
}
