import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { LoginBody, SessionReply } from "../../server/modules/auth/schema.js";
import type { DemoInfo } from "../../server/modules/demo/schema.js";
import { ApiError, api, setCsrfToken } from "./http";

export const sessionKey = ["session"] as const;

/** The signed-in user, or null when nobody is signed in (a 401 is an answer here, not an error). */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<SessionReply | null> => {
      try {
        const reply = await api<SessionReply>("GET", "/auth/me");
        setCsrfToken(reply.csrfToken);
        return reply;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api<SessionReply>("POST", "/auth/login", body),
    onSuccess: (reply) => {
      setCsrfToken(reply.csrfToken);
      client.setQueryData(sessionKey, reply);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>("POST", "/auth/logout"),
    onSettled: () => {
      setCsrfToken(undefined);
      client.setQueryData(sessionKey, null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== "session" });
    },
  });
}

export function useDemoInfo() {
  return useQuery({
    queryKey: ["demo"],
    queryFn: () => api<DemoInfo>("GET", "/demo"),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
