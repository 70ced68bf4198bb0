import type { PlanStructure } from "../../../engine/index.js";
import { type Action, allows, inScope, type UnitScope, unitScope } from "../../policies.js";
import type { AssessmentService } from "../assessments/service.js";
import type { Session } from "../auth/service.js";
import { type ReportingWindow, reportedCells } from "../plans/reporting-window.js";
import type { PlanService, PlanVersionView } from "../plans/service.js";
import type { PublicationService } from "../publication/service.js";
import type { TargetService } from "../targets/service.js";
import type { ValueService } from "../values/service.js";
import { reviewLimits, type WorkflowService } from "../workflow/service.js";
import type { AgendaPlan } from "./schema.js";

/** What the agenda reads through: each module's own queries, so each count follows that module's rules. */
export interface AgendaDeps {
  plans: PlanService;
  window: ReportingWindow;
  values: ValueService;
  workflow: WorkflowService;
  targets: TargetService;
  assessments: AssessmentService;
  publication: PublicationService;
  now: () => Date;
}

/** Only a count is wanted of a list: one row read, the total counted by the list's own query. */
const countOnly = (sort: string) => ({ page: 1, pageSize: 1, sort });
/** The returned values listed (the total counts them all), and the publications looked through. */
const RETURNED_LISTED = 10;
const PUBLICATIONS_READ = 10;

/** A unit's values against the cells it reports: how many are empty, and how many in each status. */
async function entryOf(deps: AgendaDeps, versionId: string, structure: PlanStructure, unit: string) {
  const rows = await deps.values.list(versionId, unit);
  const filled = new Set(rows.map((r) => `${r.indicator}\u0000${r.period}`));
  const cells = reportedCells(structure, unit);
  const counts = { draft: 0, submitted: 0, returned: 0, approved: 0 };
  for (const r of rows) counts[r.status] += 1;
  const returned = rows
    .filter((r) => r.status === "returned")
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  const node = (code: string) => structure.nodes[structure.byCode.get(code) ?? -1];
  return {
    entry: { expected: cells.size, empty: [...cells].filter((c) => !filled.has(c)).length, ...counts },
    returned: {
      total: returned.length,
      items: returned.slice(0, RETURNED_LISTED).map((r) => ({
        indicator: r.indicator,
        name: node(r.indicator)?.name ?? r.indicator,
        nameEn: node(r.indicator)?.nameEn ?? null,
        period: r.period,
        reason: r.returnReason,
        response: r.response,
        updatedAt: r.updatedAt.toISOString(),
      })),
    },
  };
}

/**
 * The objections of a plan's publications (withdrawn ones aside): for the office, how many are open
 * in all; for a unit's leader, its own (read through the scoped list) and their states. Also the
 * publication whose notice is running, while objections may be filed.
 */
async function objectionsOf(deps: AgendaDeps, planId: string, scope: UnitScope, office: boolean) {
  const history = await deps.publication.history(
    planId,
    { page: 1, pageSize: PUBLICATIONS_READ, sort: "-publishedAt" },
    !office,
  );
  const pubs = history.items.filter((p) => p.status !== "withdrawn");
  const at = deps.now();
  const running = pubs.find((p) => p.status === "notice" && !p.supersededBy && p.noticeUntil > at);
  const notice = running
    ? { publicationId: running.id, noticeUntil: running.noticeUntil.toISOString() }
    : null;
  if (office) {
    const most = [...pubs].sort((a, b) => b.openObjections - a.openObjections)[0];
    return {
      open: pubs.reduce((n, p) => n + p.openObjections, 0),
      notice,
      publicationId: most && most.openObjections > 0 ? most.id : (notice?.publicationId ?? null),
      items: [],
    };
  }
  const items = [];
  for (const p of pubs) {
    const own = await deps.publication.list(p.id, scope, { page: 1, pageSize: 20, sort: "-filedAt" });
    items.push(
      ...own.items.map((o) => ({
        id: o.id,
        publicationId: o.publicationId,
        unit: o.unitCode,
        status: o.status,
        reason: o.reason,
        resolution: o.resolution,
        filedAt: o.filedAt.toISOString(),
        resolvedAt: o.resolvedAt?.toISOString() ?? null,
      })),
    );
  }
  const openOne = items.find((o) => o.status === "open");
  return {
    open: items.filter((o) => o.status === "open").length,
    notice,
    publicationId: openOne?.publicationId ?? notice?.publicationId ?? items[0]?.publicationId ?? null,
    items,
  };
}

/**
 * The workbench's agenda (待办): per plan in force that the session sees, what waits for its roles,
 * within its unit scope: a unit's people only ever get their own unit's counts.
 */
export function createAgendaService(deps: AgendaDeps) {
  async function planAgenda(p: PlanVersionView, session: Session, scope: UnitScope): Promise<AgendaPlan> {
    const may = (action: Action) => allows(session.user.roles, action);
    const current = await deps.plans.current(p.planId);
    const status = current.status === "frozen" ? "frozen" : "published";
    const inForce = status === "published";
    // A unit's people: their own unit's window (its reopening too), as GET /plans/:planId shows it.
    const unit =
      scope !== "all" && scope.length === 1 && current.structure.unitIndex.has(scope[0]!) ? scope[0]! : null;
    const w = await deps.window.state(current, unit ?? undefined);
    const reports = unit !== null && inForce && (may("values.write") || may("values.submit"));
    const own = reports ? await entryOf(deps, current.id, current.structure, unit) : null;
    const office = may("objections.resolve");
    const decides = (decide: Action, ask: Action) => inForce && (may(decide) || (unit !== null && may(ask)));
    return {
      planId: p.planId,
      name: current.plan.name,
      version: current.version,
      status,
      unit,
      window: { open: w.open, closedBy: w.closedBy, deadline: w.deadline, reopenedUntil: w.reopenedUntil },
      entry: own?.entry ?? null,
      returned: own?.returned ?? null,
      review:
        inForce && may("values.review")
          ? {
              submitted: (
                await deps.workflow.queue(
                  current.id,
                  { ...countOnly("updatedAt"), status: "submitted" },
                  reviewLimits(current.structure, session),
                )
              ).total,
            }
          : null,
      objections:
        office || (unit !== null && may("objections.file"))
          ? await objectionsOf(deps, p.planId, scope, office)
          : null,
      targetAdjustments: decides("targets.decide", "targets.request")
        ? {
            pending: (
              await deps.targets.list(current.id, scope, { ...countOnly("requestedAt"), status: "pending" })
            ).total,
          }
        : null,
      claims: decides("claims.decide", "claims.bonus")
        ? {
            pending: (
              await deps.assessments.claimsPage(current.id, scope, {
                ...countOnly("createdAt"),
                status: "pending",
              })
            ).total,
          }
        : null,
    };
  }

  return {
    /** The agenda of every plan in force the session sees (none for the administrators). */
    async of(session: Session): Promise<AgendaPlan[]> {
      if (!allows(session.user.roles, "plans.read")) return [];
      const scope = unitScope(session);
      const visible = (await deps.plans.list()).filter(
        (p) => p.status !== "draft" && (scope === "all" || p.units.some((u) => inScope(scope, u))),
      );
      const items: AgendaPlan[] = [];
      for (const p of visible) items.push(await planAgenda(p, session, scope));
      return items;
    },
  };
}

export type AgendaService = ReturnType<typeof createAgendaService>;
