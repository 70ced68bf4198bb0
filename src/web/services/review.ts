import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { IndicatorSpec, Plan } from "../../engine/plan/schema.js";
import type { DrawBody, FindingBody, SpotCheck } from "../../server/modules/spotchecks/schema.js";
import type { QueueItem, ReviewBody } from "../../server/modules/workflow/schema.js";
import type { Page } from "../../server/pagination.js";
import { ApiError, api } from "./http";

export type { QueueItem, SpotCheck };
export type QueueStatus = QueueItem["status"];
export interface QueueFilters {
  status: QueueStatus;
  unit?: string | undefined;
  indicator?: string | undefined;
  lead?: string | undefined;
  page: number;
  pageSize: number;
}

/** A unit's reported value, as GET /plans/:planId/units/:unit/values answers it. */
interface UnitValue {
  indicator: string;
  period: string;
  value: number;
  note: string | null;
  source: string | null;
  status: QueueStatus;
}
export interface EvidenceFile {
  id: string;
  indicator: string;
  period: string;
  filename: string;
  contentType: string;
  size: number;
  uploadedAt: string;
}

const query = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(params)
      .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== "")
      .map(([k, v]) => [k, String(v)]),
  ).toString();

/** Values across units waiting for review (or in another status), as the reviewer's scope allows. */
export function useReviewQueue(planId: string | undefined, filters: QueueFilters) {
  return useQuery({
    queryKey: ["plans", planId, "review-queue", filters],
    queryFn: () =>
      api<Page<QueueItem>>("GET", `/plans/${planId}/review-queue?${query({ ...filters, sort: "unit" })}`),
    enabled: Boolean(planId),
    placeholderData: keepPreviousData,
  });
}

/** One unit's values: the reviewer reads last year's value beside this year's. */
export function useUnitValues(planId: string | undefined, unit: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "units", unit, "values"],
    queryFn: () => api<{ items: UnitValue[] }>("GET", `/plans/${planId}/units/${unit}/values`),
    enabled: Boolean(planId && unit),
  });
}

/** The evidence files of one value. */
export function useEvidence(
  planId: string | undefined,
  unit: string | undefined,
  indicator: string | undefined,
) {
  return useQuery({
    queryKey: ["plans", planId, "units", unit, "evidence", indicator],
    queryFn: () =>
      api<Page<EvidenceFile>>(
        "GET",
        `/plans/${planId}/units/${unit}/evidence?${query({ indicator, pageSize: 100 })}`,
      ),
    enabled: Boolean(planId && unit && indicator),
  });
}

/** Where the browser shows an evidence file (inline, for the preview) or downloads it. */
export const evidenceUrl = (planId: string, unit: string, id: string, inline = false) =>
  `/api/v1/plans/${planId}/units/${unit}/evidence/${id}${inline ? "?inline=true" : ""}`;

const invalidateReview = (client: ReturnType<typeof useQueryClient>, planId: string) =>
  client.invalidateQueries({
    predicate: (q) =>
      q.queryKey[0] === "plans" &&
      q.queryKey[1] === planId &&
      (q.queryKey[2] === "review-queue" || q.queryKey[2] === "progress" || q.queryKey[2] === "units"),
  });

/** Approves or returns (with a reason) one submitted value. */
export function useReview(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ unit, ...body }: ReviewBody & { unit: string }) =>
      api<void>("POST", `/plans/${planId}/units/${unit}/review`, body),
    onSuccess: () => invalidateReview(client, planId),
  });
}

type Cell = Pick<QueueItem, "unit" | "indicator" | "period">;
export type BatchOutcome = { cell: Cell; ok: true } | { cell: Cell; ok: false; message: string };

/**
 * Batch approval, row by row in its outcome: the server approves all or nothing and names the first
 * cell it refuses (its `index`; the route's checks also name `cells[i]` as the field), so that cell is set aside with the server's message and the rest sent
 * again, until what remains is approved (or nothing remains).
 */
export function useBatchApprove(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (cells: Cell[]): Promise<BatchOutcome[]> => {
      const refused: BatchOutcome[] = [];
      let rest = [...cells];
      while (rest.length > 0) {
        try {
          await api<{ approved: number }>("POST", `/plans/${planId}/review/approve`, { cells: rest });
          return [...rest.map((cell) => ({ cell, ok: true as const })), ...refused];
        } catch (e) {
          const index =
            e instanceof ApiError
              ? typeof e.problem.index === "number"
                ? e.problem.index
                : Number(/^cells\[(\d+)\]/.exec(e.field ?? "")?.[1])
              : Number.NaN;
          if (!(e instanceof ApiError) || Number.isNaN(index) || !rest[index]) {
            // Refused as a whole (not one cell's fault): every row gets the server's message.
            const message = e instanceof Error ? e.message : String(e);
            return [...rest.map((cell) => ({ cell, ok: false as const, message })), ...refused];
          }
          refused.push({ cell: rest[index]!, ok: false, message: e.problem.title });
          rest = rest.filter((_, i) => i !== index);
        }
      }
      return refused;
    },
    onSettled: () => invalidateReview(client, planId),
  });
}

export function useSpotChecks(planId: string | undefined) {
  return useQuery({
    queryKey: ["plans", planId, "spot-checks"],
    queryFn: () => api<Page<SpotCheck>>("GET", `/plans/${planId}/spot-checks?pageSize=20`),
    enabled: Boolean(planId),
  });
}

/** The office draws a random sample of values (the seed is recorded, so the draw can be repeated). */
export function useDrawSpotCheck(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DrawBody) => api<SpotCheck>("POST", `/plans/${planId}/spot-checks`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["plans", planId, "spot-checks"] }),
  });
}

export function useRecordFinding(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ spotCheckId, itemId, ...body }: FindingBody & { spotCheckId: string; itemId: string }) =>
      api<void>("POST", `/plans/${planId}/spot-checks/${spotCheckId}/items/${itemId}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["plans", planId, "spot-checks"] }),
  });
}

/** The plan's indicators by code, each leaf with its lead department (inherited from its parents). */
export interface Leaf {
  spec: IndicatorSpec;
  lead: string | undefined;
}
export function leavesOf(plan: Plan | undefined): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>();
  const walk = (nodes: readonly IndicatorSpec[], lead: string | undefined) => {
    for (const n of nodes) {
      const own = n.lead ?? lead;
      if (n.children?.length) walk(n.children, own);
      else leaves.set(n.code, { spec: n, lead: own });
    }
  };
  walk(plan?.indicators ?? [], undefined);
  return leaves;
}
