import { and, desc, eq, or } from "drizzle-orm";
import { applyScenario, type ScenarioChanges, scenarioSize, scoreOfficial } from "../../../engine/index.js";
import { type Actor, auditedBy } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { scenarios, users } from "../../db/schema/index.js";
import { AppError, forbidden, notFound } from "../../errors.js";
import { appendAudit } from "../audit/service.js";
import type { RunInputs } from "../runs/scoring.js";
import type { RunService } from "../runs/service.js";
import type { ScenarioView } from "./schema.js";

/** The most scenarios one person keeps per plan: each is a small document, but none is unbounded. */
export const MAX_SCENARIOS_PER_OWNER = 100;

type Row = typeof scenarios.$inferSelect & { owner: string };

const present = (row: Row, actor: Actor): ScenarioView => ({
  id: row.id,
  planId: row.planId,
  runId: row.runId,
  name: row.name,
  owner: row.owner,
  mine: row.ownerId === actor.id,
  shared: row.shared,
  changes: row.changes as ScenarioChanges,
  size: scenarioSize(row.changes as ScenarioChanges),
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * 模拟测算: what-if scenarios of a plan's runs, saved per user and shared with the office. A scenario is
 * checked when saved by scoring it on the run's inputs (what the browser does at every change), so a
 * saved one always opens; it is never a run and nothing publishes it.
 */
export function createScenarioService(deps: { db: Database; now: () => Date; runs: RunService }) {
  const { db, now, runs } = deps;

  /** Refuses changes the run's inputs do not take, with the engine's message naming the indicator or unit. */
  const check = async (planId: string, runId: string, changes: ScenarioChanges) => {
    const run = await runs.ofPlan(planId, runId);
    const inputs = run.inputs as RunInputs;
    const applied = applyScenario(inputs.plan, inputs.rows, changes);
    const scored = applied.ok
      ? scoreOfficial(applied.value.plan, applied.value.rows, { hashes: false })
      : applied;
    if (!scored.ok) {
      const e = scored.error;
      throw new AppError(422, e.code, e.message, "changes", {
        ...(e.indicator ? { indicator: e.indicator } : {}),
        ...(e.unit ? { unit: e.unit } : {}),
      });
    }
  };

  const read = async (planId: string, id: string, actor: Actor): Promise<Row> => {
    const [row] = await db
      .select({ scenario: scenarios, owner: users.username })
      .from(scenarios)
      .innerJoin(users, eq(users.id, scenarios.ownerId))
      .where(and(eq(scenarios.id, id), eq(scenarios.planId, planId)));
    // Another's unshared scenario is not found, as if it did not exist.
    if (!row || (row.scenario.ownerId !== actor.id && !row.scenario.shared))
      throw notFound("模拟方案不存在", "scenario not found");
    return { ...row.scenario, owner: row.owner };
  };

  const owned = async (planId: string, id: string, actor: Actor) => {
    const row = await read(planId, id, actor);
    if (row.ownerId !== actor.id)
      throw forbidden("只有创建者可以修改或删除此模拟方案", "only its owner may change or delete a scenario");
    return row;
  };

  return {
    /** The actor's own scenarios of the plan and those the office shares, newest first. */
    async list(planId: string, actor: Actor): Promise<ScenarioView[]> {
      const rows = await db
        .select({ scenario: scenarios, owner: users.username })
        .from(scenarios)
        .innerJoin(users, eq(users.id, scenarios.ownerId))
        .where(
          and(eq(scenarios.planId, planId), or(eq(scenarios.ownerId, actor.id), eq(scenarios.shared, true))),
        )
        .orderBy(desc(scenarios.updatedAt))
        .limit(500);
      return rows.map((r) => present({ ...r.scenario, owner: r.owner }, actor));
    },

    get: async (planId: string, id: string, actor: Actor) => present(await read(planId, id, actor), actor),

    async create(
      planId: string,
      body: { runId: string; name: string; changes: ScenarioChanges; shared?: boolean | undefined },
      actor: Actor,
    ): Promise<ScenarioView> {
      await check(planId, body.runId, body.changes);
      return db.transaction(async (tx) => {
        // One owner's count, read under a lock on the owner's row, so a burst of saves cannot pass it.
        await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.id)).for("update");
        const mine = await tx
          .select({ id: scenarios.id })
          .from(scenarios)
          .where(and(eq(scenarios.planId, planId), eq(scenarios.ownerId, actor.id)));
        if (mine.length >= MAX_SCENARIOS_PER_OWNER)
          throw new AppError(409, "TOO_MANY_SCENARIOS", {
            "zh-CN": `每人每个方案最多保存 ${MAX_SCENARIOS_PER_OWNER} 个模拟方案，请先删除不用的`,
            en: `at most ${MAX_SCENARIOS_PER_OWNER} scenarios per person and plan: delete some first`,
          });
        const at = now();
        const [row] = await tx
          .insert(scenarios)
          .values({
            planId,
            runId: body.runId,
            ownerId: actor.id,
            name: body.name,
            changes: body.changes,
            shared: body.shared ?? false,
            createdAt: at,
            updatedAt: at,
          })
          .returning();
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "scenario.create",
          entity: "scenario",
          entityId: row!.id,
          after: {
            runId: body.runId,
            name: body.name,
            shared: row!.shared,
            size: scenarioSize(body.changes),
          },
        });
        return present({ ...row!, owner: actor.username }, actor);
      });
    },

    async update(
      planId: string,
      id: string,
      body: { name: string; changes: ScenarioChanges; shared?: boolean | undefined },
      actor: Actor,
    ): Promise<ScenarioView> {
      const row = await owned(planId, id, actor);
      await check(planId, row.runId, body.changes);
      const [updated] = await db
        .update(scenarios)
        .set({ name: body.name, changes: body.changes, shared: body.shared ?? row.shared, updatedAt: now() })
        .where(eq(scenarios.id, id))
        .returning();
      return present({ ...updated!, owner: row.owner }, actor);
    },

    async remove(planId: string, id: string, actor: Actor): Promise<void> {
      await owned(planId, id, actor);
      await db.transaction(async (tx) => {
        await tx.delete(scenarios).where(eq(scenarios.id, id));
        await appendAudit(tx, {
          ...auditedBy(actor),
          action: "scenario.delete",
          entity: "scenario",
          entityId: id,
        });
      });
    },
  };
}

export type ScenarioService = ReturnType<typeof createScenarioService>;
