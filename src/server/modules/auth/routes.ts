import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../errors.js";
import { requireSession, SESSION_COOKIE } from "../../plugins/session.js";
import { passwordPolicy } from "./password-policy.js";
import { languageBody, loginBody, passwordBody, passwordPolicyReply, sessionReply } from "./schema.js";
import type { AuthService } from "./service.js";

/** /api/v1/auth: sign in and out, who am I, change my password, my language. */
export const authRoutes =
  (auth: AuthService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/auth/login",
      {
        config: { noCsrf: true, anonymous: true },
        schema: {
          tags: ["auth"],
          summary: "Sign in (throttled per address and per account: docs/security.md)",
          body: loginBody,
          response: { 200: sessionReply },
        },
      },
      async (request, reply) => {
        const { token, session } = await auth
          .login(request.body.username, request.body.password, request.ip, request.headers["user-agent"])
          .catch((e) => {
            // A throttled attempt says when to come back (RFC 9110 Retry-After) as well as in its body.
            if (e instanceof AppError && typeof e.extra?.retryAfter === "number")
              reply.header("retry-after", String(e.extra.retryAfter));
            throw e;
          });
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: "strict",
          secure: request.protocol === "https",
          path: "/",
        });
        return { user: session.user, csrfToken: session.csrfToken };
      },
    );

    app.post(
      "/auth/logout",
      {
        config: { beforePasswordChange: true },
        schema: { tags: ["auth"], summary: "Sign out", response: { 204: z.null() } },
      },
      async (request, reply) => {
        await auth.logout(requireSession(request), request.ip);
        reply.clearCookie(SESSION_COOKIE, { path: "/" });
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/auth/me",
      {
        config: { beforePasswordChange: true },
        schema: {
          tags: ["auth"],
          summary: "The signed-in user",
          response: { 200: sessionReply },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return { user: session.user, csrfToken: session.csrfToken };
      },
    );

    app.post(
      "/auth/password",
      {
        config: { beforePasswordChange: true },
        schema: {
          tags: ["auth"],
          summary: "Change my password",
          body: passwordBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await auth.changePassword(
          requireSession(request),
          request.body.current,
          request.body.next,
          request.ip,
        );
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/auth/password-policy",
      {
        // Open before signing in and to whoever must still change a one-time password (they need it most).
        config: { anonymous: true, beforePasswordChange: true },
        schema: {
          tags: ["auth"],
          summary: "The rules a new password must meet",
          response: { 200: passwordPolicyReply },
        },
      },
      async () => passwordPolicy,
    );

    app.put(
      "/auth/language",
      {
        config: { beforePasswordChange: true },
        schema: {
          tags: ["auth"],
          summary: "Remember my interface language (returned by /auth/me)",
          body: languageBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await auth.setLanguage(requireSession(request), request.body.language);
        return reply.status(204).send(null);
      },
    );
  };
