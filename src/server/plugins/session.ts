import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { appError, unauthorized } from "../errors.js";
import type { AuthService, Session } from "../modules/auth/service.js";

export const SESSION_COOKIE = "kaohe_session";
/** The header every state change carries, matching the session's CSRF token (documented in the OpenAPI). */
export const CSRF_HEADER = "x-csrf-token";

declare module "fastify" {
  interface FastifyRequest {
    session: Session | null;
  }
  interface FastifyContextConfig {
    /** The route is open without signing in (health, public results, sign-in); all others need a session. */
    anonymous?: boolean;
    /** The route changes state without a session (sign-in): no CSRF token to check. */
    noCsrf?: boolean;
    /** The route stays open to a user who must still change a one-time password. */
    beforePasswordChange?: boolean;
  }
}

const unsafe = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Reads the session cookie on every request, refuses API routes not open to anonymous callers without
 * one (401), then enforces CSRF protection on every state change
 * (the X-CSRF-Token header must match the session's token) and the first-sign-in password change.
 */
export async function sessionPlugin(app: FastifyInstance, auth: AuthService): Promise<void> {
  await app.register(cookie);
  app.decorateRequest("session", null);
  app.addHook("onRequest", async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.session = token ? await auth.authenticate(token) : null;
    const config = request.routeOptions.config;
    if (!request.session) {
      // Deny by default, before the request is even validated: a caller who is not signed in learns
      // nothing about an endpoint but that it needs a session.
      if (request.routeOptions.url?.startsWith("/api/v1/") && !config.anonymous) throw unauthorized();
      return;
    }
    if (
      unsafe.has(request.method) &&
      !config.noCsrf &&
      request.headers[CSRF_HEADER] !== request.session.csrfToken
    ) {
      throw appError(403, "CSRF", "缺少或错误的 CSRF 令牌", "missing or wrong CSRF token");
    }
    if (
      request.session.user.mustChangePassword &&
      !config.beforePasswordChange &&
      request.url.startsWith("/api/v1/")
    ) {
      throw appError(
        403,
        "PASSWORD_CHANGE_REQUIRED",
        "请先修改一次性密码",
        "change your one-time password first",
      );
    }
  });
}

/** The signed-in session, or a 401. */
export function requireSession(request: FastifyRequest): Session {
  if (!request.session) throw unauthorized();
  return request.session;
}
