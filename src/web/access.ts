import { type Action, policies, type Role } from "../server/policy-table.js";

/**
 * What the signed-in user may see, from the very table the server enforces (src/server/policy-table.ts):
 * a menu entry or route is shown only when the server would allow its action. The server still checks
 * every request; this only keeps the interface from offering what would be refused.
 */
export function can(roles: readonly Role[], action: Action): boolean {
  const allowed: readonly Role[] = policies[action];
  return roles.some((role) => allowed.includes(role));
}

export type { Action, Role };
