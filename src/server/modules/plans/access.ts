import type { PlanStructure } from "../../../engine/index.js";
import { forbidden, notFound } from "../../errors.js";
import { can, inScope, unitScope } from "../../policies.js";
import type { Session } from "../auth/service.js";
import type { PlanService } from "./service.js";

/** A plan version's head as data pages read it (see `PlanService.head`). */
export interface PlanHead {
  id: string;
  status: "draft" | "published" | "frozen";
  hasUnit: boolean;
}

/**
 * The one check every unit data endpoint makes: the plan is visible (drafts only to the office), the
 * unit is in it (404 otherwise), and the session may see that unit (403 otherwise).
 */
export function checkUnitAccess<H extends PlanHead>(head: H, session: Session, unit: string): H {
  assertVisible(head.status, session);
  if (!head.hasUnit) throw notFound(`方案中没有单位 ${unit}`, `no unit ${unit} in this plan`);
  if (!inScope(unitScope(session), unit)) {
    throw forbidden("只能查看和处理本单位的数据", "you can only see and handle your own unit's data");
  }
  return head;
}

/**
 * The plan's current version, with its document and structure (cached per version), once
 * `checkUnitAccess` lets the session at the unit: routes that then check or score need no second read.
 */
export async function unitAccess(plans: PlanService, session: Session, planId: string, unit: string) {
  const current = await plans.current(planId);
  return checkUnitAccess({ ...current, hasUnit: current.structure.unitIndex.has(unit) }, session, unit);
}

/**
 * Who may write a unit's value of an indicator: the unit's own reporter, except where the plan says the
 * lead department scores it (scoredBy: lead) — then that department's reporter for every unit of the
 * plan, and nobody else, the unit itself included (403 naming the department).
 */
export async function valueWriteAccess(
  plans: PlanService,
  session: Session,
  planId: string,
  unit: string,
  indicator: string,
) {
  const current = await plans.current(planId);
  const k = current.structure.byCode.get(indicator);
  const node = k === undefined ? undefined : current.structure.nodes[k];
  if (!node?.scoredByLead)
    return checkUnitAccess({ ...current, hasUnit: current.structure.unitIndex.has(unit) }, session, unit);
  assertVisible(current.status, session);
  if (!current.structure.unitIndex.has(unit))
    throw notFound(`方案中没有单位 ${unit}`, `no unit ${unit} in this plan`);
  leadScorerOnly(current.structure, session, indicator);
  return current;
}

/**
 * Which of a unit's values a session may read (GET): all of them where `checkUnitAccess` lets it see
 * the unit (null); otherwise, for a reporter of a lead department that scores indicators for every unit
 * (scoredBy: lead), exactly those indicators' values, which it enters; anyone else gets the 403 of
 * `checkUnitAccess`. The structure is read only on that second path, so a unit's own page costs no more.
 */
export async function valueReadAccess(
  plans: PlanService,
  session: Session,
  planId: string,
  head: PlanHead,
  unit: string,
): Promise<ReadonlySet<string> | null> {
  const lead = session.user.organisationCode;
  if (!head.hasUnit || inScope(unitScope(session), unit) || !lead || !can(session, "values.write")) {
    checkUnitAccess(head, session, unit);
    return null;
  }
  assertVisible(head.status, session);
  const { structure } = await plans.current(planId);
  const scored = new Set(
    structure.leaves.map((i) => structure.nodes[i]!).filter((n) => n.scoredByLead && n.lead === lead),
  );
  if (scored.size === 0) checkUnitAccess(head, session, unit);
  return new Set([...scored].map((n) => n.code));
}

/**
 * Refuses (403) a write of an indicator the lead department scores by anyone but that department's
 * people: the one rule entry and withdrawal share (the unit's upload refuses such a row at its cell).
 */
function leadScorerOnly(structure: PlanStructure, session: Session, indicator: string): void {
  const node = structure.nodes[structure.byCode.get(indicator) ?? -1];
  if (!node?.scoredByLead || session.user.organisationCode === node.lead) return;
  throw forbidden(
    `指标 ${node.code} 由牵头部门 ${node.lead} 为各单位评分，只有该部门的填报人员可以录入`,
    `indicator ${node.code} is scored for every unit by its lead department ${node.lead}: only that department's reporters enter it`,
  );
}

/** A draft plan is the office's alone: to anyone else it does not exist (404, not 403). */
function assertVisible(status: PlanHead["status"], session: Session): void {
  if (status === "draft" && !can(session, "plans.drafts")) throw notFound("方案不存在", "plan not found");
}

/** The plan's current version (document and structure) for a plan-wide endpoint, once it is visible. */
export async function planAccess(plans: PlanService, session: Session, planId: string) {
  const current = await plans.current(planId);
  assertVisible(current.status, session);
  return current;
}
