import { lazy, type ReactNode, Suspense } from "react";
import { createBrowserRouter, Navigate } from "react-router";
import { PageLoading } from "../components/PageLoading";
import { RequireAccess } from "./RequireAccess";

// Code-split by route: the sign-in page's bundle carries none of the signed-in pages.
const Shell = lazy(() => import("./Shell"));
const LoginPage = lazy(() => import("../pages/login"));
const HomePage = lazy(() => import("../pages/home"));
const ForbiddenPage = lazy(() => import("../pages/exception/403"));
const NotFoundPage = lazy(() => import("../pages/exception/404"));

const page = (element: ReactNode) => <Suspense fallback={<PageLoading />}>{element}</Suspense>;

export const router = createBrowserRouter([
  { path: "/login", element: page(<LoginPage />) },
  {
    path: "/",
    element: page(<Shell />),
    children: [
      { index: true, element: <Navigate to="/home" replace /> },
      { path: "home", element: page(<HomePage />) },
      { path: "403", element: page(<ForbiddenPage />) },
      { path: "*", element: page(<NotFoundPage />) },
    ],
  },
]);

export { RequireAccess };
