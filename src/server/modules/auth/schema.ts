import { z } from "zod";
import { roles } from "../../policy-table.js";

/**
 * The auth API's shapes, in one place: the routes validate and document with them, and the web app
 * takes its types from them (type-only imports), so client and server cannot drift apart.
 */
export const me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  organisationId: z.string().nullable(),
  organisationCode: z.string().nullable(),
  roles: z.array(z.enum(roles)),
  mustChangePassword: z.boolean(),
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

export type Me = z.infer<typeof me>;
export type LoginBody = z.infer<typeof loginBody>;
export type SessionReply = z.infer<typeof sessionReply>;
export type PasswordBody = z.infer<typeof passwordBody>;
