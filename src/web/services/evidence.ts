import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { EvidenceItem, EvidenceLimits, EvidenceList } from "../../server/modules/evidence/schema.js";
import { api, apiForm } from "./http";

const evidencePath = (planId: string, unit: string) =>
  `/plans/${encodeURIComponent(planId)}/units/${encodeURIComponent(unit)}/evidence`;
const evidenceKey = (planId: string | undefined, unit: string | undefined) =>
  ["plans", planId, "units", unit, "evidence"] as const;

/** A unit's evidence files (descriptions only; one page of the largest size the server gives). */
export const evidenceQuery = (planId: string | undefined, unit: string | undefined) =>
  queryOptions({
    queryKey: evidenceKey(planId, unit),
    queryFn: () => api<EvidenceList>("GET", `${evidencePath(planId!, unit!)}?pageSize=500`),
    enabled: Boolean(planId && unit),
    retry: false,
  });

export function useEvidence(planId: string | undefined, unit: string | undefined) {
  return useQuery(evidenceQuery(planId, unit));
}

/** The kinds and size of file the server accepts, to check a file before sending it. */
export const evidenceLimitsQuery = (planId: string | undefined, unit: string | undefined) =>
  queryOptions({
    queryKey: [...evidenceKey(planId, unit), "limits"],
    queryFn: () => api<EvidenceLimits>("GET", `${evidencePath(planId!, unit!)}/limits`),
    enabled: Boolean(planId && unit),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });

export function useEvidenceLimits(planId: string | undefined, unit: string | undefined) {
  return useQuery(evidenceLimitsQuery(planId, unit));
}

/** The file's address: to download, or (inline) to preview a PDF or image in the page. */
export const evidenceUrl = (planId: string, unit: string, id: string, inline = false) =>
  `/api/v1${evidencePath(planId, unit)}/${id}${inline ? "?inline=true" : ""}`;

export function useUploadEvidence(planId: string, unit: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      indicator: string;
      period: string;
      file: File;
      onProgress: (percent: number) => void;
    }) => {
      const query = new URLSearchParams({ indicator: input.indicator, period: input.period });
      return apiForm<EvidenceItem>(
        `${evidencePath(planId, unit)}?${query}`,
        input.file,
        input.file.name,
        input.onProgress,
      );
    },
    onSuccess: () => client.invalidateQueries({ queryKey: evidenceKey(planId, unit) }),
  });
}

/** Withdraws a file before its value is submitted. */
export function useDeleteEvidence(planId: string, unit: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>("DELETE", `${evidencePath(planId, unit)}/${id}`),
    onSettled: () => client.invalidateQueries({ queryKey: evidenceKey(planId, unit) }),
  });
}
