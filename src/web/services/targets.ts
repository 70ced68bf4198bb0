import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  TargetAdjustmentPage,
  TargetDecisionBody,
  TargetMatrix,
  TargetRequestBody,
  TargetUploadReply,
} from "../../server/modules/targets/schema.js";
import { ApiError, api } from "./http";
import { sendFile } from "./upload";

export type { TargetAdjustmentView, TargetMatrix } from "../../server/modules/targets/schema.js";

/** One cell error of a refused target upload, as the server reports it (row and column of the sheet). */
export interface TargetCellError {
  sheet: string;
  row: number;
  column: string;
  message: string;
  indicator: string | null;
}

const key = (planId: string | undefined) => ["plans", planId, "targets"] as const;

/** The units × indicators matrix: every unit for the office, the unit's own row for its people. */
export function useTargetMatrix(planId: string | undefined) {
  return useQuery({
    queryKey: [...key(planId), "matrix"],
    queryFn: () => api<TargetMatrix>("GET", `/plans/${planId}/targets`),
    enabled: Boolean(planId),
  });
}

export function useTargetAdjustments(planId: string | undefined, status: string | undefined) {
  const query = new URLSearchParams({ sort: "-requestedAt", pageSize: "200" });
  if (status) query.set("status", status);
  return useQuery({
    queryKey: [...key(planId), "adjustments", status ?? "all"],
    queryFn: () => api<TargetAdjustmentPage>("GET", `/plans/${planId}/target-adjustments?${query}`),
    enabled: Boolean(planId),
  });
}

/** A unit leader asks to adjust one target; the matrix and the list then show it pending. */
export function useRequestAdjustment(planId: string, unit: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TargetRequestBody) =>
      api("POST", `/plans/${planId}/units/${encodeURIComponent(unit)}/target-adjustments`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: key(planId) }),
  });
}

/** The office approves or rejects a request, with the reason. */
export function useDecideAdjustment(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: TargetDecisionBody & { id: string }) =>
      api<void>("POST", `/plans/${planId}/target-adjustments/${id}/decide`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: key(planId) }),
  });
}

/** Where a unit's target template is downloaded (the session cookie goes with the link). */
export const targetTemplateUrl = (planId: string, unit: string, format: "xlsx" | "csv") =>
  `/api/v1/plans/${planId}/units/${encodeURIComponent(unit)}/targets/template.${format}`;

/**
 * Sends a filled-in target template as multipart/form-data; a refusal arrives as an ApiError whose
 * problem carries `errors`, each at a row and column of the sheet (and the row's indicator).
 */
export function useUploadTargets(planId: string, unit: string, language: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      sendFile<TargetUploadReply>(
        `/plans/${planId}/units/${encodeURIComponent(unit)}/targets/upload`,
        file,
        language,
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: key(planId) }),
  });
}

/** The cell errors of a refused upload, if the problem has any. */
export const cellErrors = (error: unknown): TargetCellError[] =>
  error instanceof ApiError && Array.isArray(error.problem.errors)
    ? (error.problem.errors as TargetCellError[])
    : [];
