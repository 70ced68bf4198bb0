import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  Organisation,
  OrganisationBody,
  OrganisationPatch,
} from "../../server/modules/organisations/schema.js";
import type { Page } from "../../server/pagination.js";
import { api } from "./http";

const key = ["organisations"] as const;

/** Every organisation (a city's units fit in one page of 500), for the tree and the pickers. */
export function useOrganisations() {
  return useQuery({
    queryKey: key,
    queryFn: () => api<Page<Organisation>>("GET", "/organisations?pageSize=500&sort=code"),
  });
}

export function useCreateOrganisation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: OrganisationBody) => api<Organisation>("POST", "/organisations", body),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useUpdateOrganisation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: OrganisationPatch & { id: string }) =>
      api<Organisation>("PATCH", `/organisations/${id}`, patch),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export interface OrganisationNode extends Organisation {
  children?: OrganisationNode[];
}

/** The flat list as a tree (by parentId), each level by code; a unit whose parent is missing is a root. */
export function organisationTree(list: readonly Organisation[]): OrganisationNode[] {
  const nodes = new Map<string, OrganisationNode>(list.map((o) => [o.id, { ...o }]));
  const roots: OrganisationNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (!parent) roots.push(node);
    else if (parent.children) parent.children.push(node);
    else parent.children = [node];
  }
  const sort = (level: OrganisationNode[]) => {
    level.sort((a, b) => a.code.localeCompare(b.code));
    for (const n of level) if (n.children) sort(n.children);
  };
  sort(roots);
  return roots;
}
