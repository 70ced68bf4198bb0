import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AuditFilters, AuditPage, VerifyReply } from "../../server/modules/audit/schema.js";
import { api } from "./http";

/** The filters as a query string (empty ones left out), shared by the search and the CSV export. */
export function auditQuery(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams(extra);
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  return query.toString();
}

export function useAuditLog(filters: AuditFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: ["audit", filters, page, pageSize],
    queryFn: () =>
      api<AuditPage>(
        "GET",
        `/audit?${auditQuery(filters, { page: String(page), pageSize: String(pageSize) })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

/** The chain verified by the server (every entry's hash and keyed MAC, every run's and view's content hash). */
export function useAuditVerification() {
  return useQuery({
    queryKey: ["audit", "verify"],
    queryFn: () => api<VerifyReply>("GET", "/audit/verify"),
    staleTime: 0,
  });
}

/** Where the browser downloads the CSV export and the checkpoint (GET with the session cookie). */
export const auditExportUrl = (filters: AuditFilters) => `/api/v1/audit/export?${auditQuery(filters)}`;
export const auditCheckpointUrl = "/api/v1/audit/checkpoint";
