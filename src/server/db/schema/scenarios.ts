import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { plans, scoringRuns } from "./plans.js";
import { users } from "./users.js";

/**
 * 模拟测算方案: a what-if scenario saved by one of the office, the changes it makes to one run's frozen
 * inputs (engine's ScenarioChanges), private to its owner or shared with the office. Never a run:
 * nothing reads it to publish.
 */
export const scenarios = pgTable(
  "scenarios",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id),
    runId: uuid("run_id")
      .notNull()
      .references(() => scoringRuns.id),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    changes: jsonb("changes").notNull(),
    shared: boolean("shared").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("scenarios_plan_idx").on(t.planId, t.updatedAt)],
);
