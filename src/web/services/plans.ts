import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PlanDetail, PlanList, PlanView, RevisionList } from "../../server/modules/plans/schema.js";
import type { ProgressReply } from "../../server/modules/workflow/schema.js";
import { api } from "./http";

export const plansQuery = () =>
  queryOptions({ queryKey: ["plans"], queryFn: () => api<PlanList>("GET", "/plans") });

export const planQuery = (planId: string | undefined) =>
  queryOptions({
    queryKey: ["plans", planId],
    queryFn: () => api<PlanDetail>("GET", `/plans/${planId}`),
    enabled: Boolean(planId),
  });

export function usePlans() {
  return useQuery(plansQuery());
}

export function usePlan(planId: string | undefined) {
  return useQuery(planQuery(planId));
}

/** Every unit's values by status (the office and reviewers). */
export function useProgress(planId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "progress"],
    queryFn: () => api<ProgressReply>("GET", `/plans/${planId}/progress`),
    enabled: Boolean(planId),
  });
}

/** Every state change of a plan refreshes the plan, its list and its progress. */
function usePlanMutation<V, R>(planId: string | undefined, send: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => client.invalidateQueries({ queryKey: planId ? ["plans", planId] : ["plans"] }),
    onSettled: () => client.invalidateQueries({ queryKey: ["plans"], exact: true }),
  });
}

/** POST /plans with a kaohe-plan/1 document: a draft, version 1. */
export function useCreatePlan() {
  return usePlanMutation(undefined, (document: unknown) => api<PlanView>("POST", "/plans", { document }));
}

export function usePublishPlan(planId: string) {
  return usePlanMutation(planId, () => api<void>("POST", `/plans/${planId}/publish`));
}

export function useFreezePlan(planId: string) {
  return usePlanMutation(planId, () => api<void>("POST", `/plans/${planId}/freeze`));
}

export function useSetDeadline(planId: string) {
  return usePlanMutation(planId, (deadline: string) =>
    api<void>("PUT", `/plans/${planId}/deadline`, { deadline }),
  );
}

export function useReopenUnit(planId: string) {
  return usePlanMutation(planId, (body: { unit: string; until: string; reason: string }) =>
    api<void>("POST", `/plans/${planId}/units/${encodeURIComponent(body.unit)}/reopen`, {
      until: body.until,
      reason: body.reason,
    }),
  );
}

/** Every version of the plan with its reason (the office and reviewers). */
export function useRevisions(planId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "revisions"],
    queryFn: () => api<RevisionList>("GET", `/plans/${planId}/revisions`),
    enabled: Boolean(planId),
  });
}

/** POST /plans/:planId/revisions: a new version of the plan with its reason, from the version edited. */
export function useRevisePlan(planId: string | undefined) {
  return usePlanMutation(planId, (body: { document: unknown; reason: string; baseVersion: number }) =>
    api<{ version: number; diff: unknown }>("POST", `/plans/${planId}/revisions`, body),
  );
}
