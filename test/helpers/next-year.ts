import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../src/server/db/client.js";
import {
  claims,
  expertMarks,
  plans,
  planVersions,
  reportedValues,
} from "../../src/server/db/schema/index.js";
import type { Client } from "./accounts.js";

/** The demo year's two plans of the 目标责任制 series (examples/demo-2022). */
export const WORK_2022 = "2022年度目标责任制考核方案（示例）";
export const WORK_2023 = "2023年度目标责任制考核方案（示例）";

/** The indicators whose 2022 values are lowered for 2023 (completion, the ratings, services online). */
const LOWERED = ["A1", "A2", "B3", "C1", "C2"];

/** Each unit's factor for 2023: from 1.00 down to 0.90 by its place among the codes, so ranks move. */
export const factorOf = (units: readonly string[], unit: string) =>
  1 - ((units.indexOf(unit) * 7) % 11) / 100;

const versionOf = async (db: Database, name: string) => {
  const [v] = await db
    .select({ id: planVersions.id, planId: planVersions.planId })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .where(eq(plans.name, name));
  return v!;
};

/**
 * A 2023 for the demo year's open plan, for the history's tests (the demo seeds none): the 2022 plan's
 * approved values copied to 2023 (A1, A2, B3, C1, C2 lowered by each unit's factor, so ranks change),
 * its reviewers' marks and approved items likewise, then scored by the office through the API. The
 * run's id and result.
 */
export async function scoreDemo2023(db: Database, office: Client) {
  const from = await versionOf(db, WORK_2022);
  const to = await versionOf(db, WORK_2023);
  const values = await db
    .select()
    .from(reportedValues)
    .where(and(eq(reportedValues.planVersionId, from.id), eq(reportedValues.period, "2022")));
  const units = [...new Set(values.map((v) => v.unitCode))].sort();
  await db.insert(reportedValues).values(
    values.map((v) => ({
      planVersionId: to.id,
      unitCode: v.unitCode,
      indicator: v.indicator,
      period: "2023",
      value: LOWERED.includes(v.indicator)
        ? // A1 counts tasks (whole numbers); the others keep one decimal.
          v.indicator === "A1"
          ? Math.round(v.value * factorOf(units, v.unitCode))
          : Math.round(v.value * factorOf(units, v.unitCode) * 10) / 10
        : v.value,
      source: "示例数据",
      status: "approved" as const,
    })),
  );
  const marks = await db
    .select()
    .from(expertMarks)
    .where(and(eq(expertMarks.planVersionId, from.id), eq(expertMarks.period, "2022")));
  await db
    .insert(expertMarks)
    .values(
      marks.map(({ id: _, planVersionId: __, ...m }) => ({ ...m, planVersionId: to.id, period: "2023" })),
    );
  const items = await db
    .select()
    .from(claims)
    .where(and(eq(claims.planVersionId, from.id), inArray(claims.status, ["approved"])));
  if (items.length > 0)
    await db
      .insert(claims)
      .values(items.map(({ id: _, planVersionId: __, ...c }) => ({ ...c, planVersionId: to.id })));
  const reply = await office.request("POST", `/api/v1/plans/${to.planId}/runs`);
  if (reply.statusCode !== 201) throw new Error(`scoring 2023: ${reply.statusCode} ${reply.body}`);
  return { planId: to.planId, workPlanId: from.planId, ...(reply.json() as { id: string; result: unknown }) };
}
