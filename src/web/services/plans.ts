import { useQuery } from "@tanstack/react-query";
import type { PlanDetail, PlanList } from "../../server/modules/plans/schema.js";
import type { ProgressReply } from "../../server/modules/workflow/schema.js";
import { api } from "./http";

export function usePlans() {
  return useQuery({ queryKey: ["plans"], queryFn: () => api<PlanList>("GET", "/plans") });
}

export function usePlan(planId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId],
    queryFn: () => api<PlanDetail>("GET", `/plans/${planId}`),
    enabled: Boolean(planId),
  });
}

/** Every unit's values by status (the office and reviewers). */
export function useProgress(planId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "progress"],
    queryFn: () => api<ProgressReply>("GET", `/plans/${planId}/progress`),
    enabled: Boolean(planId),
  });
}
