/**
 * The deadline rush's starting point (bench/rush.bench.ts): a published plan of one unit per reporter
 * with `leaves` indicators (the first needs an evidence file), and for each unit one account holding
 * both unit roles (it saves, uploads and submits), plus the office's account — all signing in through
 * the API with one password. Written through the service's own modules, as the API bench seeds.
 */
import type { IndicatorSpec, Plan } from "../src/engine/index.js";
import type { Actor } from "../src/server/actor.js";
import type { DatabaseHandle } from "../src/server/db/client.js";
import { organisations, userRoles, users } from "../src/server/db/schema/index.js";
import { hashPassword } from "../src/server/modules/accounts/passwords.js";
import { createPlan } from "../src/server/modules/plans/commands/create-plan.js";
import { publishPlan } from "../src/server/modules/plans/commands/publish-plan.js";
import { createPlanService } from "../src/server/modules/plans/service.js";

export const RUSH_PASSWORD = "Rush-deadline-2026!";
export const RUSH_PERIOD = "2026";

export const unitCode = (k: number) => `u${String(k).padStart(4, "0")}`;
export const leafCode = (i: number) => `i${String(i).padStart(2, "0")}`;

export function rushPlan(units: number, leaves: number): Plan {
  const unitList = Array.from({ length: units }, (_, k) => ({ code: unitCode(k), name: `单位${k}` }));
  const indicators: IndicatorSpec[] = Array.from({ length: leaves }, (_, i) => ({
    code: leafCode(i),
    name: `指标${i}`,
    points: 100 / leaves,
    rule: {
      type: "relative" as const,
      normaliser: { method: "minmax" as const, range: [0, 1] as [number, number] },
    },
    ...(i === 0 ? { evidence: { required: true } } : {}),
  }));
  return {
    format: "kaohe-plan/1",
    id: "rush",
    name: "截止前填报高峰",
    period: { key: RUSH_PERIOD },
    pointsTotal: 100,
    units: unitList,
    categories: [{ code: "all", name: "全部单位", units: unitList.map((u) => u.code) }],
    indicators,
    grades: [{ code: "优秀", minScore: 60, quota: { share: 0.3 } }, { code: "合格" }],
  };
}

export interface RushSeed {
  planId: string;
  versionId: string;
  units: string[];
  /** Username of each unit's account, in unit order; "office" is the office's. */
  usernames: string[];
}

export async function seedRush(database: DatabaseHandle, units: number, leaves: number): Promise<RushSeed> {
  const { db } = database;
  const plan = rushPlan(units, leaves);
  // One argon2 hash for every account: hashing 500 times would only slow the seeding down.
  const passwordHash = await hashPassword(RUSH_PASSWORD);
  const orgs = await db
    .insert(organisations)
    .values(plan.units.map((u) => ({ code: u.code, name: u.name, kind: "department" as const })))
    .returning();
  const [office] = await db
    .insert(users)
    .values({ username: "office", displayName: "考核办", passwordHash, mustChangePassword: false })
    .returning();
  await db.insert(userRoles).values({ userId: office!.id, role: "office_staff" });
  const usernames = plan.units.map((_, k) => `r${k}`);
  const people = await db
    .insert(users)
    .values(
      usernames.map((username, k) => ({
        username,
        displayName: username,
        passwordHash,
        mustChangePassword: false,
        organisationId: orgs[k]!.id,
      })),
    )
    .returning();
  await db.insert(userRoles).values(
    people.flatMap((p) => [
      { userId: p.id, role: "unit_reporter" as const },
      { userId: p.id, role: "unit_leader" as const },
    ]),
  );
  const actor: Actor = {
    id: office!.id,
    username: "office",
    roles: ["office_staff"],
    organisation: null,
    ip: "bench",
  };
  const plans = createPlanService({ db });
  const created = await createPlan({ db, now: () => new Date(), actor, document: plan });
  await publishPlan({
    db,
    now: () => new Date(),
    actor,
    planId: created.planId,
    version: await plans.head(created.planId),
  });
  const version = await plans.current(created.planId);
  return { planId: created.planId, versionId: version.id, units: plan.units.map((u) => u.code), usernames };
}
