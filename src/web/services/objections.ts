import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SessionReply } from "../../server/modules/auth/schema.js";
import type {
  EvidenceFileView,
  ObjectionBody,
  ObjectionView,
  Paged,
  ResolveBody,
  ResolveReply,
} from "../../server/modules/publication/schema.js";
import { sessionKey } from "./auth";
import { ApiError, api, type Problem } from "./http";

const base = (planId: string, publicationId: string) => `/plans/${planId}/publications/${publicationId}`;

/** A publication's objections: the office sees every unit's, a unit its own. */
export function useObjections(
  planId: string | undefined,
  publicationId: string | undefined,
  status?: ObjectionView["status"],
) {
  return useQuery({
    queryKey: ["plans", planId, "publications", publicationId, "objections", status ?? "all"],
    queryFn: () =>
      api<Paged<ObjectionView>>(
        "GET",
        `${base(planId!, publicationId!)}/objections?pageSize=100${status ? `&status=${status}` : ""}`,
      ),
    enabled: Boolean(planId && publicationId),
  });
}

/** The address of an objection's evidence file (a plain link: the browser downloads it with the cookie). */
export const objectionFileUrl = (
  planId: string,
  publicationId: string,
  objectionId: string,
  fileId: string,
) => `/api/v1${base(planId, publicationId)}/objections/${objectionId}/evidence/${fileId}`;

/** What the server accepts as evidence, by extension, for files the browser gives no type (an .ofd). */
const byExtension: Record<string, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ofd: "application/ofd",
};

/** Sends one file as the request body (the evidence endpoints take the file itself, not JSON). */
async function sendFile(path: string, file: File, csrfToken: string | undefined, lang: string) {
  const response = await fetch(`/api/v1${path}?filename=${encodeURIComponent(file.name)}`, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      accept: "application/json",
      "accept-language": lang,
      "content-type":
        file.type ||
        byExtension[file.name.split(".").pop()?.toLowerCase() ?? ""] ||
        "application/octet-stream",
      ...(csrfToken ? { "x-csrf-token": csrfToken } : {}),
    },
    body: file,
  });
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok)
    throw new ApiError(
      data && typeof data === "object" && "title" in data
        ? (data as Problem)
        : { title: response.statusText, status: response.status },
    );
  return data as EvidenceFileView;
}

/** The unit leader files an objection, then attaches its evidence files one by one. */
export function useFileObjection(planId: string, publicationId: string, lang: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, files }: { body: ObjectionBody; files: File[] }) => {
      const filed = await api<ObjectionView>("POST", `${base(planId, publicationId)}/objections`, body);
      const csrf = client.getQueryData<SessionReply | null>(sessionKey)?.csrfToken;
      for (const file of files)
        await sendFile(`${base(planId, publicationId)}/objections/${filed.id}/evidence`, file, csrf, lang);
      return filed;
    },
    onSettled: () =>
      client.invalidateQueries({ queryKey: ["plans", planId, "publications", publicationId, "objections"] }),
  });
}

/** The office accepts (the cells it names unlock for the unit) or rejects an objection, with the reason. */
export function useResolveObjection(planId: string, publicationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ objectionId, body }: { objectionId: string; body: ResolveBody }) =>
      api<ResolveReply>("POST", `${base(planId, publicationId)}/objections/${objectionId}/resolve`, body),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ["plans", planId, "publications"] }),
        client.invalidateQueries({ queryKey: ["plans", planId, "progress"] }),
      ]),
  });
}
