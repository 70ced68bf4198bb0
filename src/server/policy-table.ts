/**
 * The roles and the policy table, with no imports: the server's checks (policies.ts) and the web app's
 * menus and routes (src/web/access.ts) read this same table, so the two cannot disagree.
 */
export const roles = [
  "system_admin",
  "security_admin",
  "audit_admin",
  "office_staff",
  "reviewer",
  "unit_reporter",
  "unit_leader",
] as const;
export type Role = (typeof roles)[number];

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
  /** Draft plans are the office's alone; the others see a plan once it is published. */
  "plans.drafts": ["office_staff"],
  /** Whose data a session sees: every unit's ("units.all"), or its own organisation's ("units.own"). */
  "units.all": ["office_staff", "reviewer"],
  "units.own": ["unit_reporter", "unit_leader"],
  "values.read": ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
  "values.write": ["unit_reporter"],
  "evidence.read": ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
  "evidence.write": ["unit_reporter"],
  "values.submit": ["unit_leader"],
  "values.import": ["office_staff"],
  "values.review": ["reviewer", "office_staff"],
  /** Review any indicator of any unit (a lead department's reviewer only what it leads). */
  "values.reviewAny": ["office_staff"],
  /** Send an approved value back to its unit (a correction, e.g. after an accepted objection). */
  "values.correct": ["office_staff"],
  "values.progress": ["office_staff", "reviewer"],
  "plans.schedule": ["office_staff"],
  "targets.request": ["unit_leader"],
  "targets.read": ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
  "targets.decide": ["office_staff"],
  "marks.write": ["reviewer"],
  "marks.read": ["office_staff", "reviewer"],
  /** Every reviewer's marks and their trimmed mean; a reviewer reads only their own marks. */
  "marks.all": ["office_staff"],
  "claims.bonus": ["unit_leader", "office_staff"],
  "claims.penalty": ["office_staff"],
  "claims.read": ["office_staff", "reviewer", "unit_reporter", "unit_leader"],
  "claims.decide": ["office_staff"],
  "spotchecks.draw": ["office_staff"],
  "spotchecks.record": ["office_staff", "reviewer"],
  "spotchecks.read": ["office_staff", "reviewer"],
  "runs.manage": ["office_staff"],
  "runs.read": ["office_staff", "reviewer"],
  /** A run's frozen inputs (every unit's values and marks), for the what-if simulator. */
  "runs.inputs": ["office_staff"],
  /** 模拟测算: what-if scenarios of a run, saved per person, shared with the office; never official. */
  "scenarios.use": ["office_staff"],
  /** Read every background job (others read only the jobs they started). */
  "jobs.readAll": ["office_staff"],
  "results.publish": ["office_staff"],
  "publications.read": ["office_staff"],
  /**
   * A unit's own published results (scoped to the unit), and the office's and reviewers' view of any
   * unit's (reviewers read every unit's runs and traces already: runs.read); the web app's results page.
   */
  "results.own": ["office_staff", "reviewer", "unit_leader", "unit_reporter"],
  "objections.file": ["unit_leader"],
  "objections.read": ["office_staff", "unit_leader", "unit_reporter"],
  "objections.resolve": ["office_staff"],
  /** 喜报/通报: draft from a run, edit, publish on the portal, withdraw (the public reads the portal only). */
  "bulletins.manage": ["office_staff"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof policies;
