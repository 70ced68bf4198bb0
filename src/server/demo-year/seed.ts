import { and, eq } from "drizzle-orm";
import type { DataRow, Plan, PlanStructure } from "../../engine/index.js";
import type { Actor } from "../actor.js";
import type { Database } from "../db/client.js";
import {
  claims,
  expertMarks,
  organisations,
  plans,
  type Role,
  reportedValues,
  userRoles,
  users,
} from "../db/schema/index.js";
import { hashPassword } from "../modules/accounts/passwords.js";
import { createAssessmentService } from "../modules/assessments/service.js";
import { appendAudit } from "../modules/audit/service.js";
import { draftNewBulletin } from "../modules/bulletins/commands/draft.js";
import { publishBulletin } from "../modules/bulletins/commands/publish.js";
import { createPlan } from "../modules/plans/commands/create-plan.js";
import { publishPlan } from "../modules/plans/commands/publish-plan.js";
import { createPlanService } from "../modules/plans/service.js";
import { fileObjection } from "../modules/publication/commands/file-objection.js";
import { finaliseResults } from "../modules/publication/commands/finalise.js";
import { publishResults } from "../modules/publication/commands/publish.js";
import { resolveObjection } from "../modules/publication/commands/resolve-objection.js";
import { createRunService } from "../modules/runs/service.js";
import { createTargetService } from "../modules/targets/service.js";
import { createValueService } from "../modules/values/service.js";
import { createWorkflowService } from "../modules/workflow/service.js";
import { type DemoPlan, readDemoYear } from "./data.js";

/** An account of the demo: its username, role and organisation (a unit's code). */
export interface DemoAccount {
  username: string;
  role: Role;
  org?: string;
}

/**
 * The year's story in dates (the seed document's): values submitted in early January 2023, reviewed,
 * one returned and corrected, scored and put up for notice on the 10th, an objection filed and answered,
 * the results final on the 17th, the bureau's 喜报 on 1 February, the 2023 plan open from the 10th.
 * (2021 went the same way a year earlier, without the return and the objection: PRIOR_DAYS.)
 */
const DAYS = {
  submitted: "2023-01-05T09:00:00+08:00",
  reviewed: "2023-01-06T10:00:00+08:00",
  corrected: "2023-01-07T15:00:00+08:00",
  approved: "2023-01-09T10:00:00+08:00",
  notice: "2023-01-10T09:00:00+08:00",
  objection: "2023-01-11T14:00:00+08:00",
  resolved: "2023-01-12T16:00:00+08:00",
  final: "2023-01-17T09:00:00+08:00",
  bulletin: "2023-02-01T16:02:00+08:00",
  next: "2023-02-10T09:00:00+08:00",
} as const;

/** The year before (2021), finished a year earlier without an objection: the history trends read. */
const PRIOR_DAYS = {
  submitted: "2022-01-05T09:00:00+08:00",
  approved: "2022-01-09T10:00:00+08:00",
  deadline: "2022-01-08T17:00:00+08:00",
  notice: "2022-01-10T09:00:00+08:00",
  final: "2022-01-17T09:00:00+08:00",
} as const;

/** The seed's clock: set to each step's date in turn, so every stored time tells the story. */
function storyClock() {
  let at = new Date(PRIOR_DAYS.submitted);
  return {
    now: () => at,
    set: (day: keyof typeof DAYS) => {
      at = new Date(DAYS[day]);
    },
    setPrior: (day: keyof typeof PRIOR_DAYS) => {
      at = new Date(PRIOR_DAYS[day]);
    },
  };
}

const REVIEWER = (label: string) => (label === "评委1" ? "reviewer" : `reviewer${label.replace("评委", "")}`);

/**
 * Seeds the demo year (examples/demo-2022/), with the finished 2021 before it, in one transaction: a kill half-way leaves nothing, and the
 * next start seeds it whole. On a database that already has plans it does nothing (idempotent) and
 * returns no accounts.
 */
export async function seedDemoYear(
  db: Database,
  accounts: readonly DemoAccount[],
  password: string,
): Promise<{ username: string; password: string; role: Role }[]> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: plans.id }).from(plans).limit(1);
    if (existing) return [];
    return seedInto(tx as unknown as Database, accounts, password);
  });
}

async function seedInto(db: Database, accounts: readonly DemoAccount[], password: string) {
  const demo = readDemoYear();
  const clock = storyClock();
  const orgs = await db
    .insert(organisations)
    .values(demo.organisations.map((o) => ({ code: o.code, name: o.name, nameEn: o.nameEn, kind: o.kind })))
    .returning({ id: organisations.id, code: organisations.code });
  const orgId = new Map(orgs.map((o) => [o.code, o.id]));
  // One hash for the one shared password (argon2id is slow by design; every account gets the same).
  const hash = await hashPassword(password);
  const made = await db
    .insert(users)
    .values(
      accounts.map((a) => ({
        username: a.username,
        displayName: a.username,
        passwordHash: hash,
        mustChangePassword: false,
        organisationId: a.org ? orgId.get(a.org)! : null,
      })),
    )
    .returning({ id: users.id, username: users.username });
  const ids = Object.fromEntries(made.map((u) => [u.username, u.id]));
  await db.insert(userRoles).values(accounts.map((a) => ({ userId: ids[a.username]!, role: a.role })));
  /** The id of a demo account the seed acts as, which the accounts given must include. */
  const account = (username: string): string => {
    const id = ids[username];
    if (!id) throw new Error(`the demo year needs the demo account ${username}`);
    return id;
  };
  const actor = (username: string, roles: Role[], organisation: string | null = null): Actor => ({
    id: account(username),
    username,
    roles,
    organisation,
    ip: "demo",
  });
  const office = actor("office", ["office_staff"]);
  const reporter = actor("kjj.reporter", ["unit_reporter"], "kjj");
  const leader = actor("kjj.leader", ["unit_leader"], "kjj");
  const ctx = { db, now: clock.now, actor: office };
  const planService = createPlanService({ db });
  const values = createValueService({ db });
  const workflow = createWorkflowService({ db, now: clock.now });
  const runs = createRunService({
    db,
    targets: createTargetService({ db, now: clock.now }),
    assessments: createAssessmentService({ db }),
  });

  /** Creates and publishes a plan; its current version. */
  const open = async (plan: Plan) => {
    const created = await createPlan({ ...ctx, document: plan });
    await publishPlan({ ...ctx, planId: created.planId, version: await planService.head(created.planId) });
    return { planId: created.planId, version: await planService.current(created.planId) };
  };

  /**
   * A plan's data as the year left it: every unit's values submitted (the earlier years' ranks and
   * values kept with them, already approved), the reviewers' marks and the office's approved items.
   */
  const enter = async (
    { plan, rows }: DemoPlan,
    version: { id: string; structure: PlanStructure },
    hold: (r: DataRow) => boolean,
  ) => {
    const versionId = version.id;
    const { nodes, leaves } = version.structure;
    const reported = new Set(
      leaves.filter((i) => nodes[i]!.rule?.type !== "expert").map((i) => nodes[i]!.code),
    );
    const value = rows.filter((r) => reported.has(r.indicator) && !r.reviewer && !hold(r));
    await db.insert(reportedValues).values(
      value.map((r) => ({
        planVersionId: versionId,
        unitCode: r.unit,
        indicator: r.indicator,
        period: r.period,
        value: r.value,
        source: r.source ?? null,
        // The year's values await review; the earlier years' are the unit's approved history.
        status: r.period === plan.period.key ? ("submitted" as const) : ("approved" as const),
        updatedAt: clock.now(),
      })),
    );
    const marked = rows.filter((r) => r.reviewer);
    await db.insert(expertMarks).values(
      marked.map((r) => ({
        planVersionId: versionId,
        unitCode: r.unit,
        indicator: r.indicator,
        period: r.period,
        reviewerId: account(REVIEWER(r.reviewer!)),
        mark: r.value,
      })),
    );
    const itemCodes = new Set(
      [...(plan.bonus ?? []), ...(plan.penalties ?? []), ...(plan.vetoes ?? [])].map((i) => i.code),
    );
    const items = rows.filter((r) => itemCodes.has(r.indicator));
    if (items.length > 0)
      await db.insert(claims).values(
        items.map((r) => ({
          planVersionId: versionId,
          unitCode: r.unit,
          item: r.indicator,
          level: r.level ?? null,
          ref: r.ref ?? null,
          value: r.value,
          status: "approved" as const,
          createdBy: office.id,
          decidedBy: office.id,
          decidedAt: clock.now(),
        })),
      );
    await appendAudit(db, {
      actor: "demo",
      action: "demo.seed",
      entity: "plan_version",
      entityId: versionId,
      after: { values: value.length, marks: marked.length, items: items.length },
    });
  };
  // 2021年度目标责任制: every unit's values submitted and approved, scored, put up for notice and final
  // a year before 2022's (no objection), so the 2022 results have a year to compare with.
  const prior = await open(demo.prior.plan);
  await enter(demo.prior, prior.version, () => false);
  clock.setPrior("approved");
  await workflow.approveAll({
    planVersionId: prior.version.id,
    structure: prior.version.structure,
    cells: await submittedCells(db, prior.version.id),
    actor: office,
  });
  await workflow.setDeadline({
    planVersionId: prior.version.id,
    deadline: new Date(PRIOR_DAYS.deadline),
    actor: office,
  });
  clock.setPrior("notice");
  const priorRun = await runs.create({
    planVersionId: prior.version.id,
    plan: prior.version.plan,
    actor: office,
  });
  const priorPub = await publishResults({
    ...ctx,
    planVersionId: prior.version.id,
    plan: prior.version.plan,
    runId: priorRun.id,
  });
  clock.setPrior("final");
  await finaliseResults({ ...ctx, publicationId: priorPub.id });

  clock.set("submitted");
  const work = await open(demo.work.plan);
  const talent = await open(demo.talent.plan);

  // 目标责任制: 市科技局 first reports its key tasks one short (17 of 18); the office returns it with
  // the reason, the reporter corrects it, the leader submits again, and the office approves it.
  const a1 = demo.work.rows.find((r) => r.unit === "kjj" && r.indicator === "A1")!;
  await enter(demo.work, work.version, (r) => r === a1);
  await enter(demo.talent, talent.version, () => false);
  await values.save({
    planVersionId: work.version.id,
    structure: work.version.structure,
    unit: "kjj",
    input: { indicator: "A1", period: a1.period, value: a1.value - 1, source: a1.source },
    actor: reporter,
  });
  await workflow.submit({
    planVersionId: work.version.id,
    structure: work.version.structure,
    unit: "kjj",
    actor: leader,
  });
  clock.set("reviewed");
  const cell = { indicator: "A1", period: a1.period };
  await workflow.review({
    planVersionId: work.version.id,
    structure: work.version.structure,
    unit: "kjj",
    cell,
    decision: "return",
    reason: "任务清单列有18项已完成任务，填报为17项，请核对",
    actor: office,
  });
  clock.set("corrected");
  const current = await rowOf(db, work.version.id, "kjj", cell);
  await values.save({
    planVersionId: work.version.id,
    structure: work.version.structure,
    unit: "kjj",
    input: { ...cell, value: a1.value, source: a1.source, revision: current.revision },
    actor: reporter,
  });
  await workflow.submit({
    planVersionId: work.version.id,
    structure: work.version.structure,
    unit: "kjj",
    actor: leader,
  });
  // Everything submitted approved at once, each plan's values in one batch.
  clock.set("approved");
  for (const p of [work, talent])
    await workflow.approveAll({
      planVersionId: p.version.id,
      structure: p.version.structure,
      cells: await submittedCells(db, p.version.id),
      actor: office,
    });

  // Reporting for 2022 closed (the deadline the units reported by), scored and put up for notice.
  for (const p of [work, talent])
    await workflow.setDeadline({
      planVersionId: p.version.id,
      deadline: new Date("2023-01-08T17:00:00+08:00"),
      actor: office,
    });
  clock.set("notice");
  const published: Record<"work" | "talent", { publicationId: string; runId: string }> = {} as never;
  for (const [key, p] of [
    ["work", work],
    ["talent", talent],
  ] as const) {
    const run = await runs.create({ planVersionId: p.version.id, plan: p.version.plan, actor: office });
    const pub = await publishResults({
      ...ctx,
      planVersionId: p.version.id,
      plan: p.version.plan,
      runId: run.id,
    });
    published[key] = { publicationId: pub.id, runId: run.id };
  }

  // 市科技局 asks for its public evaluation to be checked; the office answers and rejects it.
  clock.set("objection");
  const objection = await fileObjection({
    db,
    now: clock.now,
    actor: leader,
    structure: work.version.structure,
    publicationId: published.work.publicationId,
    unit: "kjj",
    scope: ["kjj"],
    reason: "社会评价得分低于本单位测评汇总结果，申请复核",
    cells: [{ indicator: "C2", period: "2022" }],
  });
  clock.set("resolved");
  await resolveObjection({
    ...ctx,
    planId: work.planId,
    publicationId: published.work.publicationId,
    objectionId: objection.id,
    planVersionId: work.version.id,
    decision: "rejected",
    resolution: "经复核，社会评价得分按全市统一测评结果计入，计算无误，维持原结果",
  });
  clock.set("final");
  for (const p of Object.values(published)) await finaliseResults({ ...ctx, publicationId: p.publicationId });

  // 市科技局's 喜报, drafted from the final run as the office would (with the talent plan's result
  // beside it) and published on the portal: nothing in it is typed in.
  clock.set("bulletin");
  const bulletin = await draftNewBulletin({
    ...ctx,
    planId: work.planId,
    unit: "kjj",
    runId: published.work.runId,
  });
  await publishBulletin({ ...ctx, id: bulletin.id });

  // The 2023 plan, published with no values: open for a visitor to enter 市科技局's.
  clock.set("next");
  // No deadline: the demo is served at any date, and a visitor's entry must stay open.
  await open(demo.next);
  return accounts.map((a) => ({ username: a.username, password, role: a.role }));
}

async function rowOf(
  db: Database,
  versionId: string,
  unit: string,
  cell: { indicator: string; period: string },
) {
  const [row] = await db
    .select()
    .from(reportedValues)
    .where(
      and(
        eq(reportedValues.planVersionId, versionId),
        eq(reportedValues.unitCode, unit),
        eq(reportedValues.indicator, cell.indicator),
        eq(reportedValues.period, cell.period),
      ),
    );
  return row!;
}

async function submittedCells(db: Database, versionId: string) {
  const rows = await db
    .select({
      unit: reportedValues.unitCode,
      indicator: reportedValues.indicator,
      period: reportedValues.period,
      status: reportedValues.status,
    })
    .from(reportedValues)
    .where(and(eq(reportedValues.planVersionId, versionId), eq(reportedValues.status, "submitted")));
  return rows.map(({ unit, indicator, period }) => ({ unit, indicator, period }));
}
