import { type QueryClient, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  LoginBody,
  PasswordBody,
  PasswordPolicy,
  SessionReply,
} from "../../server/modules/auth/schema.js";
import type { DemoInfo } from "../../server/modules/demo/schema.js";
import { ApiError, api, setCsrfToken } from "./http";

export const sessionKey = ["session"] as const;
export type Language = NonNullable<SessionReply["user"]["language"]>;

/**
 * The signed-in user, or null when nobody is signed in (a 401 is an answer here, not an error). When a
 * session that was there expires, the last one is kept: the page stays (with what was typed in it)
 * under the sign-in dialog that api() summons, instead of being swapped for the sign-in page.
 */
export function useSession() {
  return useQuery(sessionQuery(useQueryClient()));
}

export const sessionQuery = (client: QueryClient) =>
  queryOptions({
    queryKey: sessionKey,
    queryFn: async (): Promise<SessionReply | null> => {
      try {
        const reply = await api<SessionReply>("GET", "/auth/me");
        setCsrfToken(reply.csrfToken);
        return reply;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401)
          return client.getQueryData<SessionReply | null>(sessionKey) ?? null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });

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

/** Changing one's password (a one-time password at first sign-in); the session then reads it as changed. */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PasswordBody) => api<void>("POST", "/auth/password", body),
    onSuccess: () => {
      const session = client.getQueryData<SessionReply | null>(sessionKey);
      if (session)
        client.setQueryData(sessionKey, { ...session, user: { ...session.user, mustChangePassword: false } });
    },
  });
}

/** The server's password policy, shown rule by rule as one types. */
export function usePasswordPolicy() {
  return useQuery({
    queryKey: ["password-policy"],
    queryFn: () => api<PasswordPolicy>("GET", "/auth/password-policy"),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The language the signed-in user chose (kept on the server), if any. */
export function sessionLanguage(client: QueryClient): Language | null | undefined {
  return client.getQueryData<SessionReply | null>(sessionKey)?.user.language;
}

/**
 * Remembers the language for the signed-in user (none: nothing to do, the browser keeps it), so that
 * it follows the account to another browser. The cached session is updated first, so the change is
 * not taken for a different choice made elsewhere.
 */
export function rememberLanguage(client: QueryClient, language: Language): void {
  const session = client.getQueryData<SessionReply | null>(sessionKey);
  if (!session || session.user.language === language) return;
  client.setQueryData(sessionKey, { ...session, user: { ...session.user, language } });
  api<void>("PUT", "/auth/language", { language }).catch(() => {
    // A preference: if it cannot be stored now, this browser still has it.
  });
}

export function useDemoInfo() {
  return useQuery({
    queryKey: ["demo"],
    queryFn: () => api<DemoInfo>("GET", "/demo"),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
