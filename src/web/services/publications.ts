import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { UnitResult } from "../../engine/index.js";
import type {
  OfficeSummary,
  Paged,
  PublicResults,
  PublicSummary,
  UnitResultReply,
} from "../../server/modules/publication/schema.js";
import { ApiError, api } from "./http";

/**
 * Which publication of the plan this is (1 = the first), from the list newest first. A publication's
 * `version` is the plan version it published, not its place in the plan's series.
 */
export const ordinal = (all: readonly Pick<PublicSummary, "id">[], id: string) =>
  all.length - all.findIndex((p) => p.id === id);

/** Every publication of the plan with its run and objection counts (the office). */
export function usePublications(planId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ["plans", planId, "publications"],
    queryFn: () => api<Paged<OfficeSummary>>("GET", `/plans/${planId}/publications?pageSize=50`),
    enabled: Boolean(planId) && enabled,
  });
}

/** Every publication of the plan as the public sees them (any signed-in role; the units' way in). */
export function usePublicPublications(planId: string | undefined) {
  return useQuery({
    queryKey: ["public", planId, "publications"],
    queryFn: () => api<Paged<PublicSummary>>("GET", `/public/plans/${planId}/publications?pageSize=50`),
    enabled: Boolean(planId),
  });
}

/** One publication's public view (the ranking as published); none (null) when nothing is published yet. */
export function usePublicResults(planId: string | undefined, publicationId: string | undefined) {
  return useQuery({
    queryKey: ["public", planId, "results", publicationId],
    queryFn: async () => {
      try {
        return await api<PublicResults>(
          "GET",
          publicationId
            ? `/public/plans/${planId}/publications/${publicationId}`
            : `/public/plans/${planId}/results`,
        );
      } catch (e) {
        if (e instanceof ApiError && e.status === 404 && !publicationId) return null;
        throw e;
      }
    },
    enabled: Boolean(planId),
  });
}

/** A unit's own published results: its scores, rank, grade, titles and explanation. */
export function useUnitResult(planId: string | undefined, publicationId: string | undefined, unit?: string) {
  return useQuery({
    queryKey: ["plans", planId, "publications", publicationId, "units", unit],
    queryFn: async () => {
      const reply = await api<UnitResultReply>(
        "GET",
        `/plans/${planId}/publications/${publicationId}/units/${encodeURIComponent(unit!)}/results`,
      );
      return { ...reply, result: reply.result as unknown as UnitResult };
    },
    enabled: Boolean(planId && publicationId && unit),
  });
}

function usePublicationMutation<V, R>(planId: string, send: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ["plans", planId, "publications"] }),
        client.invalidateQueries({ queryKey: ["public", planId] }),
        client.invalidateQueries({ queryKey: ["plans", planId], exact: true }),
      ]),
  });
}

/**
 * Puts a run's results up for public notice (公示); supersedes the current publication. With
 * `visibleFrom` (an embargo) the notice stays invisible everywhere public until then.
 */
export function usePublishRun(planId: string) {
  return usePublicationMutation(
    planId,
    ({ runId, visibleFrom }: { runId: string; visibleFrom?: string | null }) =>
      api<{ id: string; noticeUntil: string }>(
        "POST",
        `/plans/${planId}/runs/${runId}/publish`,
        visibleFrom ? { visibleFrom } : {},
      ),
  );
}

export function useFinalise(planId: string) {
  return usePublicationMutation(planId, (publicationId: string) =>
    api<void>("POST", `/plans/${planId}/publications/${publicationId}/finalise`),
  );
}
