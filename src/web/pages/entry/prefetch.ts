import type { QueryClient } from "@tanstack/react-query";
import type { PlanView } from "../../../server/modules/plans/schema.js";
import { sessionQuery } from "../../services/auth";
import { evidenceLimitsQuery, evidenceQuery } from "../../services/evidence";
import { planQuery, plansQuery } from "../../services/plans";
import { unitValuesQuery } from "../../services/values";

/**
 * The plans a unit enters data in (in force, and the unit's own), and the one the page shows: the one
 * chosen in the address, else the first.
 */
export function entryPlanChoice(plans: readonly PlanView[], unit: string | undefined, chosen: string | null) {
  const choices = plans.filter((p) => p.status !== "draft" && (!unit || p.units.includes(unit)));
  return { choices, planId: chosen ?? choices[0]?.planId };
}

/**
 * Starts the data-entry page's requests as the route is entered, while its code is still loading (the
 * page would otherwise ask only once rendered, a waterfall of chunk, session, page and data). The page's
 * own queries then find them in the cache or in flight. Never throws: the page shows what failed when
 * it asks again.
 */
export function prefetchEntry(client: QueryClient, url: URL): void {
  const chosen = url.searchParams.get("plan");
  if (chosen) void client.prefetchQuery(planQuery(chosen));
  void (async () => {
    const session = await client.ensureQueryData(sessionQuery(client));
    const unit = url.searchParams.get("unit") ?? session?.user.organisationCode ?? undefined;
    if (!unit) return;
    const { planId } = chosen
      ? { planId: chosen }
      : entryPlanChoice((await client.ensureQueryData(plansQuery())).items, unit, null);
    if (!planId) return;
    if (!chosen) void client.prefetchQuery(planQuery(planId));
    void client.prefetchQuery(unitValuesQuery(planId, unit));
    void client.prefetchQuery(evidenceQuery(planId, unit));
    void client.prefetchQuery(evidenceLimitsQuery(planId, unit));
    void client.prefetchQuery(plansQuery());
  })().catch(() => {});
}
