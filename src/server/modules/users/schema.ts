import { z } from "zod";
import { roles } from "../../policy-table.js";
import { text, textLimits } from "../../schemas.js";

/** The accounts API's shapes: the routes validate with them, the web app takes its types from them. */
export const user = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  organisationId: z.string().nullable(),
  roles: z.array(z.enum(roles)),
  /** A sign-in throttle on the account runs now (from some address, or account-wide). */
  locked: z.boolean(),
});

export const userBody = z.object({
  username: z
    .string()
    .min(3)
    .max(50)
    .regex(/^[a-z0-9_.-]+$/),
  displayName: text(textLimits.displayName).min(1),
  organisationCode: z.string().optional(),
});
export const createdUser = z.object({ user, oneTimePassword: z.string() });
export const rolesBody = z.object({ roles: z.array(z.enum(roles)).max(roles.length) });

export type User = z.infer<typeof user>;
export type UserBody = z.infer<typeof userBody>;
export type CreatedUser = z.infer<typeof createdUser>;
export type RolesBody = z.infer<typeof rolesBody>;
