import * as accounts from "../pages/accounts/locales";
import * as audit from "../pages/audit/locales";
import * as claims from "../pages/claims/locales";
import * as entry from "../pages/entry/locales";
import * as login from "../pages/login/locales";
import * as marks from "../pages/marks/locales";
import * as notifications from "../pages/notifications/locales";
import * as objections from "../pages/objections/locales";
import * as organisations from "../pages/organisations/locales";
import * as plans from "../pages/plans/locales";
import * as results from "../pages/results/locales";
import * as review from "../pages/review/locales";
import * as targets from "../pages/targets/locales";
import type { MessageKey } from "./zh-CN";

/** English interface text: the same keys as zh-CN.ts (the compiler checks that none is missing). */
export const en: Record<MessageKey, string> = {
  "app.name": "Target-responsibility assessment",
  "app.org": "Assessment office",
  "app.demoBanner": "Demo: all data is illustrative.",
  "lang.switch": "中文",
  "nav.home": "Workbench",
  "user.logout": "Sign out",
  "role.system_admin": "System administrator",
  "role.security_admin": "Security administrator",
  "role.audit_admin": "Audit administrator",
  "role.office_staff": "Assessment office",
  "role.reviewer": "Reviewer",
  "role.unit_reporter": "Unit reporter",
  "role.unit_leader": "Unit leader",
  "login.title": "Sign in",
  "login.subtitle": "Target-responsibility assessment and indicator evaluation",
  "login.username": "Username",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.required.username": "Enter your username",
  "login.required.password": "Enter your password",
  "login.demo.title": "Demo accounts",
  "login.demo.password": "Every demo account's password is",
  "login.demo.use": "Use",
  "login.expired": "Your session has expired: sign in again. What you typed is kept.",
  "home.welcome": "Welcome, {name}",
  "home.noPlans": "No assessment plan is visible to you yet.",
  "home.plan": "Plan",
  "home.progress": "Reporting progress by unit",
  "home.deadline": "Reporting deadline",
  "home.noDeadline": "No deadline set",
  "home.remaining": "{days} d {hours} h left",
  "home.reporting.open": "Open for reporting",
  "home.reporting.PLAN_DRAFT": "Plan not published",
  "home.reporting.PLAN_FROZEN": "Plan frozen",
  "home.reporting.DEADLINE_PASSED": "Deadline passed",
  "home.reopenedUntil": "Reopened until {time}",
  "home.col.unit": "Unit",
  "home.col.progress": "Progress",
  "home.col.window": "Reporting",
  "count.expected": "Expected",
  "count.entered": "Entered",
  "count.draft": "Draft",
  "count.submitted": "Submitted",
  "count.returned": "Returned",
  "count.approved": "Approved",
  "count.missingEvidence": "Missing evidence",
  "status.draft": "Draft",
  "status.published": "In force",
  "status.frozen": "Frozen",
  "error.load": "Could not load",
  "exception.403.title": "Not allowed",
  "exception.403.text": "Your role may not see this page.",
  "exception.404.title": "Page not found",
  "exception.404.text": "The page you asked for does not exist.",
  "exception.back": "Back to the workbench",
  "error.network": "Cannot reach the server; try again later.",
  "error.generic": "The action failed",
  "problem.field": "At: {field}",
  "confirm.ok": "Confirm",
  "confirm.cancel": "Cancel",
  ...login.en,
  ...entry.en,
  ...targets.en,
  ...review.en,
  ...marks.en,
  ...claims.en,
  ...plans.en,
  ...objections.en,
  ...results.en,
  ...notifications.en,
  ...organisations.en,
  ...accounts.en,
  ...audit.en,
};
