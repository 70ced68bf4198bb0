import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DataRow, Plan, ScenarioChanges } from "../../engine/index.js";
import type { RunInputsView } from "../../server/modules/runs/schema.js";
import type { ScenarioView } from "../../server/modules/scenarios/schema.js";
import { api } from "./http";

/** A run's frozen inputs (the office): what the simulator scores again with its changes. A run never changes. */
export function useRunInputs(planId: string | undefined, runId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "runs", runId, "inputs"],
    queryFn: async () => {
      const reply = await api<RunInputsView>("GET", `/plans/${planId}/runs/${runId}/inputs`);
      return { plan: reply.inputs.plan as Plan, rows: reply.inputs.rows as DataRow[] };
    },
    enabled: Boolean(planId && runId),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** My scenarios of the plan and those shared with the office. */
export function useScenarios(planId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "scenarios"],
    queryFn: () => api<{ items: ScenarioView[] }>("GET", `/plans/${planId}/scenarios`),
    enabled: Boolean(planId),
  });
}

/** Saves a scenario (new, or one's own again under its id); the list refreshes. */
export function useSaveScenario(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (s: {
      id?: string;
      runId: string;
      name: string;
      changes: ScenarioChanges;
      shared: boolean;
    }) =>
      s.id
        ? api<ScenarioView>("PUT", `/plans/${planId}/scenarios/${s.id}`, {
            name: s.name,
            changes: s.changes,
            shared: s.shared,
          })
        : api<ScenarioView>("POST", `/plans/${planId}/scenarios`, {
            runId: s.runId,
            name: s.name,
            changes: s.changes,
            shared: s.shared,
          }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["plans", planId, "scenarios"] }),
  });
}

export function useDeleteScenario(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<null>("DELETE", `/plans/${planId}/scenarios/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ["plans", planId, "scenarios"] }),
  });
}
