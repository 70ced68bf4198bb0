import type { ReactNode } from "react";
import { type Action, can } from "../access";
import ForbiddenPage from "../pages/exception/403";
import { useSession } from "../services/auth";

/** A route's guard: its page only for a role the server would allow, else the 403 page (also on a typed URL). */
export function RequireAccess({ action, children }: { action: Action; children: ReactNode }) {
  const session = useSession();
  if (!session.data) return null;
  return can(session.data.user.roles, action) ? children : <ForbiddenPage />;
}
