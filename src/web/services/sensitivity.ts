import { useMutation } from "@tanstack/react-query";
import type { JobView } from "../../server/modules/jobs/schema.js";
import { api } from "./http";

/** Starts a run's sensitivity analysis as a background job (the office); follow it with useJob. */
export function useStartSensitivity(planId: string | undefined, runId: string | undefined) {
  return useMutation({
    mutationFn: (settings: { runs: number; weights: number; drop: boolean; seed?: number }) =>
      api<JobView>("POST", `/plans/${planId}/runs/${runId}/sensitivity`, settings),
  });
}
