import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { count } from "drizzle-orm";
import { type Plan, planSchema } from "../engine/index.js";
import type { Actor } from "./actor.js";
import { type Database, projectRoot } from "./db/client.js";
import {
  claims,
  expertMarks,
  organisations,
  plans,
  type Role,
  reportedValues,
  userRoles,
  users,
} from "./db/schema/index.js";
import { seedDemoYear } from "./demo-year/seed.js";
import { hashPassword } from "./modules/accounts/passwords.js";
import { createAssessmentService } from "./modules/assessments/service.js";
import { appendAudit } from "./modules/audit/service.js";
import { draftNewBulletin } from "./modules/bulletins/commands/draft.js";
import { publishBulletin } from "./modules/bulletins/commands/publish.js";
import { createPlan } from "./modules/plans/commands/create-plan.js";
import { publishPlan } from "./modules/plans/commands/publish-plan.js";
import { createPlanService } from "./modules/plans/service.js";
import { publishResults } from "./modules/publication/commands/publish.js";
import { createRunService } from "./modules/runs/service.js";
import { createTargetService } from "./modules/targets/service.js";

/**
 * The demo accounts' shared password: the demo is illustrative data for visitors, so its sign-in page
 * shows the accounts and this password (only under --demo; the administrators keep one-time passwords).
 */
export const DEMO_PASSWORD = "kaohe-demo-2022";

/** The demo's accounts, one per business role (the example's five expert reviewers among them). */
export const DEMO_ACCOUNTS: readonly { username: string; role: Role; org?: string }[] = [
  { username: "office", role: "office_staff" },
  { username: "reviewer", role: "reviewer" },
  // The example's five expert reviewers (评委1–5); 评委1 is "reviewer".
  ...[2, 3, 4, 5].map((n) => ({ username: `reviewer${n}`, role: "reviewer" as const })),
  { username: "kjj.reporter", role: "unit_reporter", org: "kjj" },
  { username: "kjj.leader", role: "unit_leader", org: "kjj" },
];

const example = (file: string) => join(projectRoot(), "examples", "city-departments", file);

/**
 * The demo of `kaohe serve --demo` on an empty database: the demo year (examples/demo-2022/, issue 11),
 * seeded in one transaction with the demo accounts. Never used without the flag.
 */
export function seedDemo(db: Database): Promise<{ username: string; password: string; role: Role }[]> {
  return seedDemoYear(db, DEMO_ACCOUNTS, DEMO_PASSWORD);
}

/**
 * The earlier, smaller demo the browser and server tests build on (a fixture, not what --demo serves):
 * the municipal example plan (examples/city-departments), published, its reported values approved,
 * scored and put up for public notice, 市科技局's bulletin drafted from the run and published, and one
 * account per role with the demo password. On a database with plans it does nothing.
 */
export async function seedExampleDemo(
  db: Database,
): Promise<{ username: string; password: string; role: Role | "unit" }[]> {
  const [existing] = await db.select({ n: count() }).from(plans);
  if ((existing?.n ?? 0) > 0) return [];
  const plan: Plan = planSchema.parse(JSON.parse(readFileSync(example("plan.json"), "utf8")));
  const orgs = await db
    .insert(organisations)
    .values(
      plan.units.map((u) => ({
        code: u.code,
        name: u.name,
        nameEn: u.nameEn ?? null,
        kind: "department" as const,
      })),
    )
    .returning();
  const credentials: { username: string; password: string; role: Role }[] = [];
  const ids: Record<string, string> = {};
  const password = DEMO_PASSWORD;
  for (const a of DEMO_ACCOUNTS) {
    const organisationId = a.org ? orgs.find((o) => o.code === a.org)!.id : null;
    const [u] = await db
      .insert(users)
      .values({
        username: a.username,
        displayName: a.username,
        passwordHash: await hashPassword(password),
        mustChangePassword: false,
        organisationId,
      })
      .returning({ id: users.id });
    await db.insert(userRoles).values({ userId: u!.id, role: a.role });
    ids[a.username] = u!.id;
    credentials.push({ username: a.username, password, role: a.role });
  }
  const office: Actor = {
    id: ids.office!,
    username: "office",
    roles: ["office_staff"],
    organisation: null,
    ip: "demo",
  };
  const now = () => new Date();
  const ctx = { db, now, actor: office };
  const planService = createPlanService({ db });
  const created = await createPlan({ ...ctx, document: plan });
  await publishPlan({ ...ctx, planId: created.planId, version: await planService.head(created.planId) });
  const version = await planService.current(created.planId);
  // Reported values of the example, approved: every leaf's but the expert-marked ones (bonus,
  // penalty and veto items are not leaves).
  const { nodes, leaves } = version.structure;
  const reported = new Set(
    leaves.filter((i) => nodes[i]!.rule?.type !== "expert").map((i) => nodes[i]!.code),
  );
  const all = parseCsv(readFileSync(example("values.csv")), {
    bom: true,
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  const rows = all.filter((r) => reported.has(r.indicator!));
  await db.insert(reportedValues).values(
    rows.map((r) => ({
      planVersionId: version.id,
      unitCode: r.unit!,
      indicator: r.indicator!,
      period: r.period!,
      value: Number(r.value),
      source: r.source || null,
      status: "approved" as const,
    })),
  );
  await appendAudit(db, {
    actor: "demo",
    action: "demo.seed",
    entity: "plan",
    entityId: created.planId,
    after: { values: rows.length },
  });
  // The reviewers' marks (columns "reviewer" 评委N) and the bonus, penalty and veto items, approved.
  const marked = all.filter((r) => r.reviewer);
  await db.insert(expertMarks).values(
    marked.map((r) => ({
      planVersionId: version.id,
      unitCode: r.unit!,
      indicator: r.indicator!,
      period: r.period!,
      reviewerId: ids[r.reviewer === "评委1" ? "reviewer" : `reviewer${r.reviewer!.replace("评委", "")}`]!,
      mark: Number(r.value),
    })),
  );
  const itemCodes = new Set(
    [...(plan.bonus ?? []), ...(plan.penalties ?? []), ...(plan.vetoes ?? [])].map((i) => i.code),
  );
  const items = all.filter((r) => itemCodes.has(r.indicator!));
  await db.insert(claims).values(
    items.map((r) => ({
      planVersionId: version.id,
      unitCode: r.unit!,
      item: r.indicator!,
      level: r.level || null,
      ref: r.ref || null,
      value: Number(r.value),
      status: "approved" as const,
      createdBy: office.id,
      decidedBy: office.id,
      decidedAt: new Date(),
    })),
  );
  const runs = createRunService({
    db,
    targets: createTargetService({ db, now }),
    assessments: createAssessmentService({ db }),
  });
  const run = await runs.create({ planVersionId: version.id, plan: version.plan, actor: office });
  await publishResults({
    ...ctx,
    planVersionId: version.id,
    plan: version.plan,
    runId: run.id,
  });
  // 市科技局's 喜报, drafted from the run as the office would and published on the portal: nothing in it
  // is typed in, every sentence comes from the data.
  const bulletin = await draftNewBulletin({ ...ctx, planId: created.planId, unit: "kjj", runId: run.id });
  await publishBulletin({ ...ctx, id: bulletin.id });
  return credentials;
}
