import { type Column, inArray } from "drizzle-orm";
import type { FastifyRequest } from "fastify";
import { type Role, roles } from "./db/schema/index.js";
import { forbidden } from "./errors.js";
import type { Session } from "./modules/auth/service.js";
import { requireSession } from "./plugins/session.js";

/**
 * Who may do what, in one table (Outline-style declarative policies). The three administrators are
 * deliberately narrow: the system administrator runs organisations and accounts, the security
 * administrator grants roles and unlocks accounts, the audit administrator reads the audit trail.
 */
export const policies = {
  /** Every signed-in role. */
  "organisations.read": roles,
  "organisations.write": ["system_admin"],
  "users.read": ["system_admin", "security_admin"],
  "users.create": ["system_admin"],
  "users.roles": ["security_admin"],
  "users.unlock": ["security_admin"],
  "audit.read": ["audit_admin"],
  "plans.manage": ["office_staff"],
  "plans.read": ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
  /** 方案修订: a new version of a plan in force, with a reason. */
  "plans.revise": ["office_staff"],
  /** The versions of a plan with their reasons and diffs, and the values a revision left behind. */
  "plans.history": ["office_staff", "reviewer"],
  "values.read": ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
  "values.write": ["unit_reporter"],
  "evidence.read": ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
  "evidence.write": ["unit_reporter"],
  "values.submit": ["unit_leader"],
  "values.import": ["office_staff"],
  "values.review": ["reviewer", "office_staff"],
  "plans.schedule": ["office_staff"],
  "targets.request": ["unit_leader"],
  "targets.read": ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
  "targets.decide": ["office_staff"],
  "marks.write": ["reviewer"],
  "marks.read": ["office_staff", "reviewer"],
  "claims.bonus": ["unit_leader", "office_staff"],
  "claims.penalty": ["office_staff"],
  "claims.read": ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
  "claims.decide": ["office_staff"],
  "spotchecks.draw": ["office_staff"],
  "spotchecks.record": ["office_staff", "reviewer"],
  "spotchecks.read": ["office_staff", "reviewer"],
  "runs.manage": ["office_staff"],
  "runs.read": ["office_staff", "reviewer"],
  "results.publish": ["office_staff"],
  "objections.file": ["unit_leader"],
  "objections.read": ["office_staff", "unit_leader", "unit_reporter"],
  "objections.resolve": ["office_staff"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof policies;

export function can(session: Session, action: Action): boolean {
  const allowed: readonly Role[] = policies[action];
  return session.user.roles.some((r) => allowed.includes(r));
}

/** The session, if it may perform the action: 401 without a session, 403 without the role. */
export function authorize(request: FastifyRequest, action: Action): Session {
  const session = requireSession(request);
  if (!can(session, action)) throw forbidden();
  return session;
}

/**
 * The units whose data a session may see: all of them for the office and reviewers, only its own
 * organisation for a unit's reporter or leader, none otherwise.
 */
export type UnitScope = "all" | string[];

export function unitScope(session: Session): UnitScope {
  const { roles, organisationCode } = session.user;
  if (roles.includes("office_staff") || roles.includes("reviewer")) return "all";
  if ((roles.includes("unit_reporter") || roles.includes("unit_leader")) && organisationCode)
    return [organisationCode];
  return [];
}

/**
 * Refuses (403) a review the session may not make of a unit's value of an indicator led by `lead`
 * (牵头部门): the office reviews anything; a reviewer of no organisation (the assessment office's own)
 * any indicator; a reviewer of a department only the indicators that department leads, and never the
 * department's own values.
 */
export function authorizeReview(session: Session, unit: string, lead: string | undefined): void {
  const { roles, organisationCode } = session.user;
  if (roles.includes("office_staff") || !organisationCode) return;
  if (organisationCode === unit)
    throw forbidden("不能审核本单位的数据", "you cannot review your own organisation's values");
  if (lead !== organisationCode)
    throw forbidden("只能审核本部门牵头的指标", "you can only review indicators your department leads");
}

export const inScope = (scope: UnitScope, unit: string) => scope === "all" || scope.includes(unit);

/** The same scope as a SQL condition on a unit-code column, so a list is filtered where it is read. */
export const scopeCondition = (column: Column, scope: UnitScope) =>
  scope === "all" ? undefined : inArray(column, scope);
