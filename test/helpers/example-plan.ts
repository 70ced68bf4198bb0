import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Database } from "../../src/server/db/client.js";
import { organisations, plans, planVersions, reportedValues } from "../../src/server/db/schema/index.js";
import type { Client } from "./accounts.js";

/** The municipal example (examples/city-departments), as the server tests use it. */
const dir = join(import.meta.dirname, "..", "..", "examples", "city-departments");

/** A fresh copy of the example plan document, as parsed JSON (tests change it freely). */
export function examplePlan() {
  return JSON.parse(readFileSync(join(dir, "plan.json"), "utf8"));
}

/** The example's data rows (values.csv), optionally only some indicators. */
export function exampleValues(keep: (indicator: string) => boolean = () => true) {
  return readFileSync(join(dir, "values.csv"), "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(","))
    .filter(([, indicator]) => keep(indicator!))
    .map(([unit, indicator, period, value]) => ({
      unit: unit!,
      indicator: indicator!,
      period: period!,
      value: Number(value),
    }));
}

/** The leaf indicators units report themselves (expert marks and bonus/penalty/veto items aside). */
export const REPORTED = new Set(["A1", "A2", "A3", "B2", "B3", "B4", "C1", "C2", "C3"]);

/** Registers the plan's units as organisations; returns a lookup from code to id. */
export async function registerUnits(db: Database, plan: { units: { code: string; name: string }[] }) {
  const rows = await db
    .insert(organisations)
    .values(plan.units.map((u) => ({ code: u.code, name: u.name, kind: "department" as const })))
    .returning();
  return (code: string) => rows.find((o) => o.code === code)!.id;
}

/**
 * Creates and publishes a plan (by default the example) as the office, with the example's reported
 * values already approved unless `approve` is false: the starting point of most workflow tests.
 */
export async function publishExample(
  db: Database,
  office: Client,
  plan: { units: { code: string; name: string }[] } = examplePlan(),
  approve = true,
): Promise<{ planId: string; versionId: string }> {
  const planId = (await office.request("POST", "/api/v1/plans", { document: plan })).json().planId as string;
  await office.request("POST", `/api/v1/plans/${planId}/publish`);
  const [version] = await db
    .select({ id: planVersions.id })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .where(eq(plans.id, planId));
  if (approve) {
    await db.insert(reportedValues).values(
      exampleValues((i) => REPORTED.has(i)).map((v) => ({
        planVersionId: version!.id,
        unitCode: v.unit,
        indicator: v.indicator,
        period: v.period,
        value: v.value,
        status: "approved" as const,
      })),
    );
  }
  return { planId, versionId: version!.id };
}
