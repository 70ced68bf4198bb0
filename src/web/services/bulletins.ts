import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  BulletinDetail,
  BulletinSummary,
  DraftBody,
  EditBody,
} from "../../server/modules/bulletins/schema.js";
import { api } from "./http";

const key = (planId: string | undefined) => ["bulletins", planId] as const;

/** The plan's bulletins (喜报/通报), newest first (the office). */
export function useBulletins(planId: string | undefined) {
  return useQuery({
    queryKey: key(planId),
    queryFn: () => api<{ items: BulletinSummary[] }>("GET", `/bulletins?planId=${planId}`),
    enabled: Boolean(planId),
  });
}

/** One bulletin with its bodies and the draft's facts. */
export function useBulletin(id: string | undefined) {
  return useQuery({
    queryKey: ["bulletins", "one", id],
    queryFn: () => api<BulletinDetail>("GET", `/bulletins/${id}`),
    enabled: Boolean(id),
  });
}

/** The writes: each answers the bulletin as it now is, which replaces the cached one. */
function useBulletinWrite<V>(planId: string, send: (v: V) => Promise<BulletinDetail>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (b) => {
      client.setQueryData(["bulletins", "one", b.id], b);
      return client.invalidateQueries({ queryKey: key(planId) });
    },
  });
}

export const useDraftBulletin = (planId: string) =>
  useBulletinWrite(planId, (body: DraftBody) =>
    api<BulletinDetail>("POST", `/plans/${planId}/bulletins`, body),
  );

export const useEditBulletin = (planId: string, id: string) =>
  useBulletinWrite(planId, (body: EditBody) => api<BulletinDetail>("PATCH", `/bulletins/${id}`, body));

export const usePublishBulletin = (planId: string, id: string) =>
  useBulletinWrite(planId, (visibleFrom: string | null) =>
    api<BulletinDetail>("POST", `/bulletins/${id}/publish`, visibleFrom ? { visibleFrom } : {}),
  );

export const useWithdrawBulletin = (planId: string, id: string) =>
  useBulletinWrite(planId, (reason: string) =>
    api<BulletinDetail>("POST", `/bulletins/${id}/withdraw`, { reason }),
  );
