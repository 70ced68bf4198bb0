import { QueryClient } from "@tanstack/react-query";

/**
 * The one cache of server state: the pages read it, the routes' loaders fill it ahead of them. What was
 * fetched in the last 2 s is fresh: a page that mounts just after its loader fetched its data does not
 * ask for it again (a change made here invalidates it at once, whatever its age).
 */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1, staleTime: 2_000 } },
});
