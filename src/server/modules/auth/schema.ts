import { z } from "zod";
import { roles } from "../../policy-table.js";

/**
 * The auth API's shapes, in one place: the routes validate and document with them, and the web app
 * takes its types from them (type-only imports), so client and server cannot drift apart.
 */
/** The interface languages (the user's choice is kept on the server: GET /auth/me, PUT /auth/language). */
export const languages = ["zh-CN", "en"] as const;

export const me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  organisationId: z.string().nullable(),
  organisationCode: z.string().nullable(),
  roles: z.array(z.enum(roles)),
  mustChangePassword: z.boolean(),
  /** The language the user chose, or null (then the browser's Accept-Language decides). */
  language: z.enum(languages).nullable(),
});

export const loginBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});
export const sessionReply = z.object({ user: me, csrfToken: z.string() });
export const passwordBody = z.object({
  current: z.string().min(1).max(200),
  next: z.string().min(1).max(200),
});

export const languageBody = z.object({ language: z.enum(languages) });
/** The rules a new password must meet (password-policy.ts), for the form to show as one types. */
export const passwordPolicyReply = z.object({
  minLength: z.number(),
  minClasses: z.number(),
  notUsername: z.boolean(),
});

export type Me = z.infer<typeof me>;
export type LoginBody = z.infer<typeof loginBody>;
export type SessionReply = z.infer<typeof sessionReply>;
export type PasswordBody = z.infer<typeof passwordBody>;
export type LanguageBody = z.infer<typeof languageBody>;
export type PasswordPolicy = z.infer<typeof passwordPolicyReply>;
