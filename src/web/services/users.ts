import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreatedUser, User, UserBody } from "../../server/modules/users/schema.js";
import type { Page } from "../../server/pagination.js";
import type { Role } from "../../server/policy-table.js";
import { api } from "./http";

const key = ["users"] as const;

export function useUsers(params: { page: number; pageSize: number; q?: string }) {
  const query = new URLSearchParams({ page: String(params.page), pageSize: String(params.pageSize) });
  if (params.q) query.set("q", params.q);
  return useQuery({
    queryKey: [...key, params],
    queryFn: () => api<Page<User>>("GET", `/users?${query}`),
    placeholderData: keepPreviousData,
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UserBody) => api<CreatedUser>("POST", "/users", body),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useSetRoles() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, roles }: { id: string; roles: Role[] }) =>
      api<User>("PUT", `/users/${id}/roles`, { roles }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useUnlock() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<User>("POST", `/users/${id}/unlock`),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}
