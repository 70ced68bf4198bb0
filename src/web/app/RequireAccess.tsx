import { lazy, type ReactNode } from "react";
import { type Action, can } from "../access";
import { useSession } from "../services/auth";

// Lazy like every page: the guard is in the main bundle, the 403 page (antd's Result) need not be.
const ForbiddenPage = lazy(() => import("../pages/exception/403"));

/**
 * A route's guard: its page only for a role the server would allow, else the 403 page (also on a typed
 * URL). Rendered inside the route's Suspense, which covers the lazy 403 page too.
 */
export function RequireAccess({ action, children }: { action: Action; children: ReactNode }) {
  const session = useSession();
  if (!session.data) return null;
  return can(session.data.user.roles, action) ? children : <ForbiddenPage />;
}
