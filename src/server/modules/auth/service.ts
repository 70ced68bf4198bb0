import { createHash, randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
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
import { admitAttempt, clearAfterSuccess } from "./throttle.js";

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  organisationId: string | null;
  /** The code of the user's organisation: a unit's people see and change only its data. */
  organisationCode: string | null;
  roles: Role[];
  mustChangePassword: boolean;
  language: "zh-CN" | "en" | null;
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
  setLanguage(session: Session, language: "zh-CN" | "en"): Promise<void>;
}

/** Sign-in (throttled: throttle.ts), sessions and password changes; all state in the database, every event audited. */
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
    language: users.language,
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
      const t = now();
      const admission = await admitAttempt(db, security, username, ip, t);
      const [user] = await db.select().from(users).where(eq(users.username, username));
      const audit = (action: string, after: Record<string, unknown>, actor = username) =>
        appendAudit(db, { actor, ip, action, entity: "user", entityId: user?.id ?? null, after });
      if (!admission.admitted) {
        const seconds = Math.max(1, Math.ceil((admission.until.getTime() - t.getTime()) / 1000));
        // The address's own rate limit is not audited: a flood would fill the trail.
        if (admission.scope !== "rate")
          await audit("auth.login_failed", { reason: "throttled", scope: admission.scope });
        throw new AppError(
          429,
          admission.scope === "rate" ? "TOO_MANY_LOGINS" : "SIGN_IN_THROTTLED",
          admission.scope === "rate"
            ? {
                "zh-CN": `登录尝试过于频繁，请 ${seconds} 秒后再试`,
                en: `too many sign-in attempts; try again in ${seconds} seconds`,
              }
            : {
                "zh-CN": `该账号登录失败次数过多，请 ${seconds} 秒后再试`,
                en: `too many failed sign-ins for this account; try again in ${seconds} seconds`,
              },
          undefined,
          { retryAfter: seconds },
        );
      }
      for (const started of admission.started)
        await audit(
          "auth.throttled",
          { scope: started.scope, failures: started.failures, until: started.until.toISOString() },
          "system",
        );
      if (!user || !(await verifyPassword(user.passwordHash, password))) {
        await db.insert(loginAttempts).values({ ip, username, succeeded: "no", at: t });
        await audit("auth.login_failed", { reason: user ? "wrong password" : "unknown user" });
        throw appError(401, "BAD_CREDENTIALS", "用户名或密码错误", "wrong user name or password");
      }
      await clearAfterSuccess(db, username, ip);
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

    /** A preference, not a security event: not audited. */
    async setLanguage(session, language) {
      await db.update(users).set({ language }).where(eq(users.id, session.user.id));
    },
  };
}
