import { lazy, type ReactNode, Suspense } from "react";
import { createBrowserRouter, Navigate } from "react-router";
import type { Action } from "../access";
import { PageLoading } from "../components/PageLoading";
import { loadPageMessages } from "../locales";
import { prefetchEntry } from "../pages/entry/prefetch";
import { sessionQuery } from "../services/auth";
import { queryClient } from "./query-client";
import { RequireAccess } from "./RequireAccess";

// Code-split by route: the sign-in page's bundle carries none of the signed-in pages. A route's loader
// starts its chunks (and, for data entry, its data) as the route is entered, not once its parent has
// rendered; it waits for none of it (the pages show their own loading states).
const loadShell = () => import("./Shell");
const loadEntry = () => import("../pages/entry");
const Shell = lazy(loadShell);
const LoginPage = lazy(() => import("../pages/login"));
const HomePage = lazy(() => import("../pages/home"));
const ForbiddenPage = lazy(() => import("../pages/exception/403"));
const NotFoundPage = lazy(() => import("../pages/exception/404"));
const EntryPage = lazy(loadEntry);
const TargetsPage = lazy(() => import("../pages/targets"));
const ReviewPage = lazy(() => import("../pages/review"));
const MarksPage = lazy(() => import("../pages/marks"));
const ClaimsPage = lazy(() => import("../pages/claims"));
const PlansPage = lazy(() => import("../pages/plans"));
const DesignerPage = lazy(() => import("../pages/designer"));
const ObjectionsPage = lazy(() => import("../pages/objections"));
const ResultsPage = lazy(() => import("../pages/results"));
const RunsPage = lazy(() => import("../pages/results/runs"));
const SimulatePage = lazy(() => import("../pages/simulate"));
const SensitivityPage = lazy(() => import("../pages/sensitivity"));
const NotificationsPage = lazy(() => import("../pages/notifications"));
const OrganisationsPage = lazy(() => import("../pages/organisations"));
const AccountsPage = lazy(() => import("../pages/accounts"));
const AuditPage = lazy(() => import("../pages/audit"));
const BulletinsPage = lazy(() => import("../pages/bulletins"));

const page = (element: ReactNode) => <Suspense fallback={<PageLoading />}>{element}</Suspense>;
/** A page for the roles allowed its action; the 403 page for others, even on a typed URL. */
const guarded = (action: Action, element: ReactNode) =>
  page(<RequireAccess action={action}>{element}</RequireAccess>);

export const router = createBrowserRouter([
  { path: "/login", element: page(<LoginPage />) },
  {
    path: "/",
    element: page(<Shell />),
    hydrateFallbackElement: <PageLoading />,
    loader: () => {
      void loadShell();
      void loadPageMessages();
      void queryClient.prefetchQuery(sessionQuery(queryClient));
      return null;
    },
    children: [
      { index: true, element: <Navigate to="/home" replace /> },
      { path: "home", element: page(<HomePage />) },
      {
        path: "entry",
        element: guarded("units.own", <EntryPage />),
        loader: ({ request }) => {
          void loadEntry();
          prefetchEntry(queryClient, new URL(request.url));
          return null;
        },
      },
      { path: "targets", element: guarded("targets.read", <TargetsPage />) },
      { path: "review", element: guarded("values.review", <ReviewPage />) },
      { path: "marks", element: guarded("marks.read", <MarksPage />) },
      { path: "claims", element: guarded("claims.read", <ClaimsPage />) },
      { path: "plans/*", element: guarded("plans.manage", <PlansPage />) },
      { path: "designer", element: guarded("plans.revise", <DesignerPage />) },
      { path: "designer/:planId", element: guarded("plans.revise", <DesignerPage />) },
      { path: "objections", element: guarded("objections.read", <ObjectionsPage />) },
      { path: "results", element: guarded("results.own", <ResultsPage />) },
      { path: "runs", element: guarded("runs.read", <RunsPage />) },
      { path: "simulate", element: guarded("scenarios.use", <SimulatePage />) },
      { path: "sensitivity", element: guarded("runs.manage", <SensitivityPage />) },
      { path: "notifications", element: page(<NotificationsPage />) },
      { path: "admin/organisations", element: guarded("organisations.write", <OrganisationsPage />) },
      { path: "admin/accounts", element: guarded("users.read", <AccountsPage />) },
      { path: "audit", element: guarded("audit.read", <AuditPage />) },
      { path: "bulletins", element: guarded("bulletins.manage", <BulletinsPage />) },
      { path: "403", element: page(<ForbiddenPage />) },
      { path: "*", element: page(<NotFoundPage />) },
    ],
  },
]);

export { RequireAccess };
