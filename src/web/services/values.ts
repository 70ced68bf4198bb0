import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReportedValueView, SaveValueBody, ValuesReply } from "../../server/modules/values/schema.js";
import { api, apiForm } from "./http";

const unitPath = (planId: string, unit: string) =>
  `/plans/${encodeURIComponent(planId)}/units/${encodeURIComponent(unit)}`;
export const valuesKey = (planId: string | undefined, unit: string | undefined) =>
  ["plans", planId, "units", unit, "values"] as const;

/** A unit's values in a plan, each with its status and revision (the server scopes it to the unit's own people). */
export const unitValuesQuery = (planId: string | undefined, unit: string | undefined) =>
  queryOptions({
    queryKey: valuesKey(planId, unit),
    queryFn: () => api<ValuesReply>("GET", `${unitPath(planId!, unit!)}/values`),
    enabled: Boolean(planId && unit),
    retry: false,
  });

export function useUnitValues(planId: string | undefined, unit: string | undefined) {
  return useQuery(unitValuesQuery(planId, unit));
}

/** Saves one value as a draft against the revision read; a stale revision gets 409 with the current value. */
export function useSaveValue(planId: string, unit: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SaveValueBody) =>
      api<ReportedValueView>("PUT", `${unitPath(planId, unit)}/values`, body),
    onSuccess: (saved) => {
      client.setQueryData<ValuesReply>(valuesKey(planId, unit), (old) => {
        const items = (old?.items ?? []).filter(
          (v) => !(v.indicator === saved.indicator && v.period === saved.period),
        );
        return { items: [...items, saved] };
      });
    },
  });
}

/** The leader submits every draft or returned value for review. */
export function useSubmitValues(planId: string, unit: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ submitted: number }>("POST", `${unitPath(planId, unit)}/submit`),
    onSettled: () => client.invalidateQueries({ queryKey: valuesKey(planId, unit) }),
  });
}

/** The unit's value template (what it reports, with what it has saved and the revisions). */
export const templateUrl = (planId: string, unit: string, format: "xlsx" | "csv" = "xlsx") =>
  `/api/v1${unitPath(planId, unit)}/template.${format}`;

/** Uploads a filled-in template as a form: saved all or nothing; errors name sheet, row, column and the field. */
export function useUploadTemplate(planId: string, unit: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      apiForm<{ saved: number }>(`${unitPath(planId, unit)}/upload`, file, file.name),
    onSuccess: () => client.invalidateQueries({ queryKey: valuesKey(planId, unit) }),
  });
}
