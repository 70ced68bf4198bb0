import { useQuery } from "@tanstack/react-query";
import type { AgendaReply } from "../../server/modules/agenda/schema.js";
import { api } from "./http";

/** What needs the signed-in user's action now, per plan in force (read afresh each time home opens). */
export function useAgenda() {
  return useQuery({
    queryKey: ["me", "agenda"],
    queryFn: () => api<AgendaReply>("GET", "/me/agenda"),
    refetchOnMount: "always",
  });
}
