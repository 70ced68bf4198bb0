import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { NodeTrace, ScoringRun } from "../../engine/index.js";
import type { JobView } from "../../server/modules/jobs/schema.js";
import type {
  PlanHistory,
  RunDetail,
  RunDiff,
  RunPage,
  UnitExplanation,
} from "../../server/modules/runs/schema.js";
import { api } from "./http";

/** The plan's scoring runs, newest first (the office and reviewers). */
export function useRuns(planId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "runs"],
    queryFn: () => api<RunPage>("GET", `/plans/${planId}/runs?pageSize=50`),
    enabled: Boolean(planId),
  });
}

/**
 * One run with its result (the engine's ScoringRun; a unit's trace comes from
 * GET /plans/:planId/runs/:runId/units/:unit/explanation, as runs no longer store them): every unit, or
 * only those of `category` ("": those in none; a large plan's run is read a category at a time).
 */
export function useRun(
  planId: string | undefined,
  runId: string | undefined,
  category?: string,
  /** false: not yet (the page does not know yet whether to read the run by category). */
  ready = true,
) {
  return useQuery({
    queryKey: ["plans", planId, "runs", runId, ...(category === undefined ? [] : ["category", category])],
    queryFn: async () => {
      // "" (no category's code): the units in no category (单列).
      const only =
        category === undefined
          ? ""
          : category === ""
            ? "?standalone=true"
            : `?category=${encodeURIComponent(category)}`;
      const run = await api<RunDetail>("GET", `/plans/${planId}/runs/${runId}${only}`);
      return { ...run, result: run.result as ScoringRun };
    },
    enabled: Boolean(planId && runId && ready),
    staleTime: Number.POSITIVE_INFINITY, // a run never changes
  });
}

/** Starts scoring the approved data as a background job. */
export function useStartScoring(planId: string) {
  return useMutation({ mutationFn: () => api<JobView>("POST", `/plans/${planId}/jobs/score`) });
}

/** A job, polled every half second until it is done or failed; the runs refresh when it ends. */
export function useJob(jobId: string | undefined, planId: string) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ["jobs", jobId],
    queryFn: async () => {
      const job = await api<JobView>("GET", `/jobs/${jobId}`);
      if (job.status === "done" || job.status === "failed")
        await client.invalidateQueries({ queryKey: ["plans", planId, "runs"], exact: true });
      return job;
    },
    enabled: Boolean(jobId),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === "done" || status === "failed" ? false : 500;
    },
  });
}

/**
 * One unit's trace in a run (the engine's NodeTrace list, texts in zh-CN and en), scored again on demand
 * by the server (the office and reviewers: runs.read). A run never changes, so neither does its trace.
 */
export function useExplanation(
  planId: string | undefined,
  runId: string | undefined,
  unit: string | undefined,
) {
  return useQuery({
    queryKey: ["plans", planId, "runs", runId, "units", unit, "explanation"],
    queryFn: async () => {
      const reply = await api<UnitExplanation>(
        "GET",
        `/plans/${planId}/runs/${runId}/units/${encodeURIComponent(unit!)}/explanation`,
      );
      return { unit: reply.unit, trace: reply.trace as NodeTrace[] };
    },
    enabled: Boolean(planId && runId && unit),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * What changed from run `from` to run `to` (the office and reviewers): the inputs that differ (values,
 * marks, items, the plan as scored) and the units whose totals, ranks or grades moved. Two runs never
 * change, so neither does their diff.
 */
export function useRunDiff(planId: string | undefined, from: string | undefined, to: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "runs", from, "diff", to],
    queryFn: () => api<RunDiff>("GET", `/plans/${planId}/runs/${from}/diff/${to}`),
    enabled: Boolean(planId && from && to && from !== to),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * The plan's assessment series across years (历年结果): per unit per year its total, rank and grade from
 * each year's run in force (a unit's people: their own unit, published years only).
 */
export function usePlanHistory(planId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "history"],
    queryFn: () => api<PlanHistory>("GET", `/plans/${planId}/history`),
    enabled: Boolean(planId),
  });
}
