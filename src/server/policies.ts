import { type Column, inArray } from "drizzle-orm";
import type { FastifyRequest } from "fastify";
import type { Lang } from "../engine/index.js";
import type { Role } from "./db/schema/index.js";
import { forbidden } from "./errors.js";
import type { Session } from "./modules/auth/service.js";
import { requireSession } from "./plugins/session.js";
import { type Action, policies } from "./policy-table.js";

export { type Action, policies };

export function can(session: Session, action: Action): boolean {
  return allows(session.user.roles, action);
}

/** Whether any of the roles may perform the action: `can` for an Actor (`allows(actor.roles, …)`). */
export function allows(roles: readonly Role[], action: Action): boolean {
  const allowed: readonly Role[] = policies[action];
  return roles.some((r) => allowed.includes(r));
}

/** Each role's name, as a refusal states it. */
export const roleNames: Record<Role, Record<Lang, string>> = {
  system_admin: { "zh-CN": "系统管理员", en: "system administrator" },
  security_admin: { "zh-CN": "安全管理员", en: "security administrator" },
  audit_admin: { "zh-CN": "审计管理员", en: "audit administrator" },
  office_staff: { "zh-CN": "考核办工作人员", en: "office staff" },
  reviewer: { "zh-CN": "审核人员", en: "reviewer" },
  unit_reporter: { "zh-CN": "单位填报人员", en: "unit reporter" },
  unit_leader: { "zh-CN": "单位负责人", en: "unit leader" },
};

/** The 403 for a caller without any of the roles an action needs: it names them, and lists them in `requiredRoles`. */
export function rolesRequired(allowed: readonly Role[]) {
  const names = (lang: Lang) => allowed.map((r) => roleNames[r][lang]);
  return forbidden(
    `无权进行此操作，需要以下角色之一：${names("zh-CN").join("、")}`,
    `not allowed: requires one of the roles: ${names("en").join(", ")}`,
    { requiredRoles: [...allowed] },
  );
}

/** The session, if it may perform the action: 401 without a session, 403 (naming the roles) without the role. */
export function authorize(request: FastifyRequest, action: Action): Session {
  const session = requireSession(request);
  if (!can(session, action)) throw rolesRequired(policies[action]);
  return session;
}

/**
 * The units whose data a session may see: all of them for the office and reviewers, only its own
 * organisation for a unit's reporter or leader, none otherwise.
 */
export type UnitScope = "all" | string[];

export function unitScope(session: Session): UnitScope {
  const { organisationCode } = session.user;
  if (can(session, "units.all")) return "all";
  if (can(session, "units.own") && organisationCode) return [organisationCode];
  return [];
}

/**
 * Refuses (403) a review the session may not make of a unit's value of an indicator led by `lead`
 * (牵头部门): the office reviews anything; a reviewer of no organisation (the assessment office's own)
 * any indicator; a reviewer of a department only the indicators that department leads, and never the
 * department's own values.
 */
export function authorizeReview(session: Session, unit: string, lead: string | undefined): void {
  const { organisationCode } = session.user;
  if (can(session, "values.reviewAny") || !organisationCode) return;
  if (organisationCode === unit)
    throw forbidden("不能审核本单位的数据", "you cannot review your own organisation's values");
  if (lead !== organisationCode)
    throw forbidden("只能审核本部门牵头的指标", "you can only review indicators your department leads");
}

/**
 * Refuses (403) a mark (评审打分) by a reviewer who belongs to the unit marked: an organisation's own
 * people do not assess it, as they do not review its values (authorizeReview).
 */
export function authorizeMark(session: Session, unit: string): void {
  if (session.user.organisationCode === unit)
    throw forbidden("不能为本单位评分", "you cannot mark your own organisation");
}

/**
 * Which values a session may review, as a filter of the review queue: everything for the office and
 * for a reviewer of no organisation; for a lead department's reviewer, the indicators it leads in
 * other units (as `authorizeReview` decides one by one).
 */
export function reviewScope(session: Session): "all" | { lead: string; exceptUnit: string } {
  const { organisationCode } = session.user;
  if (can(session, "values.reviewAny") || !organisationCode) return "all";
  return { lead: organisationCode, exceptUnit: organisationCode };
}

export const inScope = (scope: UnitScope, unit: string) => scope === "all" || scope.includes(unit);

/** The same scope as a SQL condition on a unit-code column, so a list is filtered where it is read. */
export const scopeCondition = (column: Column, scope: UnitScope) =>
  scope === "all" ? undefined : inArray(column, scope);
