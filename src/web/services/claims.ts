import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  ClaimBody,
  ClaimDecisionBody,
  ClaimPage,
  ClaimView,
} from "../../server/modules/assessments/claims-schema.js";
import type { ClaimFile } from "../../server/modules/claims/schema.js";
import { api } from "./http";
import { sendFile } from "./upload";

export type { ClaimFile, ClaimView };

export interface ClaimFilters {
  status?: ClaimView["status"] | undefined;
  unit?: string | undefined;
  item?: string | undefined;
}

const key = (planId: string | undefined) => ["plans", planId, "claims"] as const;

/** The bonus, penalty and veto items a session may see (a unit its own), newest first. */
export function useClaims(planId: string | undefined, filters: ClaimFilters) {
  const query = new URLSearchParams({ sort: "-createdAt", pageSize: "200" });
  for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
  return useQuery({
    queryKey: [...key(planId), filters],
    queryFn: () => api<ClaimPage>("GET", `/plans/${planId}/claims?${query}`),
    enabled: Boolean(planId),
  });
}

/**
 * A bonus claim by the unit's leader, or an item the office records (penalties and vetoes only by the
 * office), then its evidence files one by one; the list then shows it.
 */
export function useCreateClaim(planId: string, language: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ unit, files, ...body }: ClaimBody & { unit: string; files: File[] }) => {
      const claim = await api<ClaimView>(
        "POST",
        `/plans/${planId}/units/${encodeURIComponent(unit)}/claims`,
        body,
      );
      // The claim stands once recorded: a file the server then refuses is reported, and can be added later.
      for (const file of files) {
        try {
          await sendFile<ClaimFile>(`/plans/${planId}/claims/${claim.id}/evidence`, file, language);
        } catch (e) {
          return { claim, refused: { file: file.name, error: e } };
        }
      }
      return { claim, refused: undefined };
    },
    onSettled: () => client.invalidateQueries({ queryKey: key(planId) }),
  });
}

export function useAttachClaimFile(planId: string, language: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, file }: { id: string; file: File }) =>
      sendFile<ClaimFile>(`/plans/${planId}/claims/${id}/evidence`, file, language),
    onSettled: () => client.invalidateQueries({ queryKey: key(planId) }),
  });
}

/** The office approves or rejects a unit's pending claim, with the reason. */
export function useDecideClaim(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ClaimDecisionBody & { id: string }) =>
      api<void>("POST", `/plans/${planId}/claims/${id}/decide`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: key(planId) }),
  });
}

export const claimFileUrl = (planId: string, claimId: string, fileId: string) =>
  `/api/v1/plans/${planId}/claims/${claimId}/evidence/${fileId}`;
