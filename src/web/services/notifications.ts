import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  NotificationPage,
  NotificationSettings,
  NotificationView,
  UnreadCount,
} from "../../server/modules/notifications/schema.js";
import { useLocale } from "../locales";
import { api } from "./http";

export type { NotificationView };

/** The unread count polls modestly: every minute, and when the window regains focus. */
const POLL_MS = 60_000;

export function useUnreadCount() {
  return useQuery({
    queryKey: ["notifications", "unread"],
    queryFn: () => api<UnreadCount>("GET", "/notifications/unread-count"),
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 10_000,
  });
}

/** One page of my notifications, in the interface's language (the server writes both). */
export function useNotifications(page: number, pageSize: number, unread = false, enabled = true) {
  const { lang } = useLocale();
  return useQuery({
    queryKey: ["notifications", "list", lang, page, pageSize, unread],
    queryFn: () =>
      api<NotificationPage>(
        "GET",
        `/notifications?page=${page}&pageSize=${pageSize}${unread ? "&unread=true" : ""}`,
      ),
    enabled,
    refetchOnWindowFocus: true,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<NotificationView>("POST", `/notifications/${id}/read`),
    onSuccess: () => client.invalidateQueries({ queryKey: ["notifications"] }),
  });
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ updated: number }>("POST", "/notifications/read-all"),
    onSuccess: () => client.invalidateQueries({ queryKey: ["notifications"] }),
  });
}

export function useNotificationSettings() {
  return useQuery({
    queryKey: ["notifications", "settings"],
    queryFn: () => api<NotificationSettings>("GET", "/notifications/settings"),
  });
}

export function useSaveNotificationSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (email: string) => api<NotificationSettings>("PUT", "/notifications/settings", { email }),
    onSuccess: (data) => client.setQueryData(["notifications", "settings"], data),
  });
}
