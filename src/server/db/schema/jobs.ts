import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.js";

/**
 * Long work (scoring runs, sensitivity analyses) as database-backed jobs: any app process may claim a
 * queued job, its progress is written here, and the API reports it. No process keeps job state.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ["score", "sensitivity", "import"] }).notNull(),
    status: text("status", { enum: ["queued", "running", "done", "failed"] })
      .notNull()
      .default("queued"),
    progress: doublePrecision("progress").notNull().default(0),
    params: jsonb("params").notNull(),
    result: jsonb("result"),
    error: text("error"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** Which process runs it, and when it last said so: a stale heartbeat lets another process take over. */
    worker: text("worker"),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    /** How many times a process has claimed it: a job whose process keeps dying is failed, not retried forever. */
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [index("jobs_status_created").on(t.status, t.createdAt)],
);
