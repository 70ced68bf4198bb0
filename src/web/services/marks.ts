import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MarkBody, MarkItem, MarkSummary } from "../../server/modules/assessments/schema.js";
import type { Page } from "../../server/pagination.js";
import { api } from "./http";

export type { MarkItem, MarkSummary };

/**
 * The marks this session may read: a reviewer's own (the server answers no one else's), the office's
 * every reviewer's. Read page by page to the end (a plan has units x expert indicators x reviewers).
 */
export function useMarks(planId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "marks"],
    queryFn: async () => {
      const items: MarkItem[] = [];
      for (let page = 1; ; page++) {
        const reply = await api<Page<MarkItem>>("GET", `/plans/${planId}/marks?pageSize=500&page=${page}`);
        items.push(...reply.items);
        if (items.length >= reply.total || reply.items.length === 0) return items;
      }
    },
    enabled: Boolean(planId),
  });
}

/** Each unit's trimmed mean per expert-marked indicator: the office only. */
export function useMarkSummary(planId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["plans", planId, "marks", "summary"],
    queryFn: () => api<MarkSummary>("GET", `/plans/${planId}/marks/summary`),
    enabled: Boolean(planId) && enabled,
  });
}

/** Sets (or replaces) my mark for one unit. */
export function useSetMark(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ unit, ...body }: MarkBody & { unit: string }) =>
      api<{ id: string; mark: number }>("PUT", `/plans/${planId}/units/${unit}/marks`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["plans", planId, "marks"] }),
  });
}
