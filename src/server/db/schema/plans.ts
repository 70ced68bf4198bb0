import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  customType,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users.js";

/** An assessment plan (考核方案); its content lives in versions. */
export const plans = pgTable("plans", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One version of a plan: a kaohe-plan/1 document, draft -> published (units report against it) ->
 * frozen (scoring inputs fixed). Plan unit codes are organisation codes.
 */
export const planVersions = pgTable(
  "plan_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id),
    version: integer("version").notNull(),
    status: text("status", { enum: ["draft", "published", "frozen"] })
      .notNull()
      .default("draft"),
    document: jsonb("document").notNull(),
    /** The document's unit codes and period key, kept beside it so hot queries never read the document. */
    unitCodes: text("unit_codes").array().notNull(),
    periodKey: text("period_key").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** After this, reporting is closed unless the office reopens it for a unit. */
    deadline: timestamp("deadline", { withTimezone: true }),
    /** Why the office revised the plan into this version (方案修订理由); null for version 1. */
    reason: text("reason"),
  },
  (t) => [unique("plan_versions_plan_version").on(t.planId, t.version)],
);

/** The column every per-version table has: which plan version the row belongs to. */
const planVersionRef = () =>
  uuid("plan_version_id")
    .notNull()
    .references(() => planVersions.id);

/**
 * A reported value of one unit for one indicator and period. `revision` is bumped on every change:
 * a writer sends the revision it read, and a stale one gets a conflict instead of overwriting.
 */
export const reportedValues = pgTable(
  "reported_values",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planVersionId: planVersionRef(),
    unitCode: text("unit_code").notNull(),
    indicator: text("indicator").notNull(),
    period: text("period").notNull(),
    value: doublePrecision("value").notNull(),
    note: text("note"),
    source: text("source"),
    status: text("status", { enum: ["draft", "submitted", "approved", "returned"] })
      .notNull()
      .default("draft"),
    returnReason: text("return_reason"),
    /** The unit's written answer to the return reason, when it resubmits a returned value unchanged. */
    response: text("response"),
    revision: integer("revision").notNull().default(1),
    updatedBy: uuid("updated_by").references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("reported_values_cell").on(t.planVersionId, t.unitCode, t.indicator, t.period)],
);

/**
 * One row per unit and plan version, whose stamp changes (by trigger) with every change to the unit's
 * reported values: the data-entry page's ETag and cache key. Every transaction that writes a unit's
 * values locks this row first, so writers of one unit queue in one order and cannot deadlock.
 */
export const unitValueStamps = pgTable(
  "unit_value_stamps",
  {
    planVersionId: planVersionRef(),
    unitCode: text("unit_code").notNull(),
    stamp: uuid("stamp").notNull().defaultRandom(),
  },
  (t) => [primaryKey({ columns: [t.planVersionId, t.unitCode] })],
);

/** The office reopens reporting for one unit after the deadline, until a given time. */
export const reopenings = pgTable(
  "reopenings",
  {
    planVersionId: planVersionRef(),
    unitCode: text("unit_code").notNull(),
    until: timestamp("until", { withTimezone: true }).notNull(),
    reason: text("reason").notNull(),
  },
  (t) => [unique("reopenings_unit").on(t.planVersionId, t.unitCode)],
);

export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
});

/**
 * A scoring run: the exact inputs (plan document and approved data), their hashes, the engine
 * version and the result: numbers without traces since issue 14 (a unit's trace is scored again on
 * demand from the inputs), every trace in runs stored before. Never changed once written.
 * The inputs are kept in one of two columns (read by runs/inputs.ts `runInputs`, the one reader):
 * `inputs_gz`, the gzipped JSON text, since migration 0031 (a JSONB value holds at most 256 MB, which
 * the inputs of a province's run pass), or `inputs`, JSONB, in runs stored before.
 */
export const scoringRuns = pgTable(
  "scoring_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planVersionId: planVersionRef(),
    engineVersion: text("engine_version").notNull(),
    inputHash: text("input_hash").notNull(),
    inputs: jsonb("inputs"),
    inputsGz: bytea("inputs_gz"),
    result: jsonb("result").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("scoring_runs_inputs_once", sql`(${t.inputs} IS NULL) <> (${t.inputsGz} IS NULL)`)],
);

/** Results put up for public notice (公示) from one run; final once the notice ends and objections are settled. */
export const publications = pgTable("publications", {
  id: uuid("id").primaryKey().defaultRandom(),
  planVersionId: planVersionRef(),
  runId: uuid("run_id")
    .notNull()
    .references(() => scoringRuns.id),
  status: text("status", { enum: ["notice", "final", "withdrawn"] })
    .notNull()
    .default("notice"),
  noticeUntil: timestamp("notice_until", { withTimezone: true }).notNull(),
  publishedBy: uuid("published_by").references(() => users.id),
  publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  finalisedAt: timestamp("finalised_at", { withTimezone: true }),
  /** What the public sees, computed once at publication (the run's traces never reach a public page). */
  publicView: jsonb("public_view").notNull().default([]),
  /**
   * The earlier publication of the plan this one replaces (a correction, e.g. after an accepted
   * objection). Recorded on the new row only, so the earlier one's row and view are never rewritten;
   * each publication is superseded at most once.
   */
  supersedes: uuid("supersedes")
    .references((): AnyPgColumn => publications.id)
    .unique("publications_supersedes"),
});

/** An objection (异议) a unit files during public notice; the office accepts or rejects it with a reason. */
export const objections = pgTable("objections", {
  id: uuid("id").primaryKey().defaultRandom(),
  publicationId: uuid("publication_id")
    .notNull()
    .references(() => publications.id),
  unitCode: text("unit_code").notNull(),
  reason: text("reason").notNull(),
  /** The cells (indicator and period of the unit) the objection concerns: accepting it unlocks them. */
  cells: jsonb("cells").$type<{ indicator: string; period: string }[]>().notNull().default([]),
  status: text("status", { enum: ["open", "accepted", "rejected"] })
    .notNull()
    .default("open"),
  resolution: text("resolution"),
  filedBy: uuid("filed_by").references(() => users.id),
  filedAt: timestamp("filed_at", { withTimezone: true }).notNull().defaultNow(),
  resolvedBy: uuid("resolved_by").references(() => users.id),
  resolvedAt: timestamp("resolved_at", { withTimezone: true }),
});

/** The columns of a stored file: its name, checked type, size, SHA-256 and bytes, who sent it and when. */
const storedFile = () => ({
  filename: text("filename").notNull(),
  contentType: text("content_type").notNull(),
  size: integer("size").notNull(),
  sha256: text("sha256").notNull(),
  content: bytea("content").notNull(),
  uploadedBy: uuid("uploaded_by").references(() => users.id),
  uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
});

/** An evidence file (佐证材料) for one value, stored in the database with its SHA-256, size and type. */
export const evidence = pgTable("evidence", {
  id: uuid("id").primaryKey().defaultRandom(),
  planVersionId: planVersionRef(),
  unitCode: text("unit_code").notNull(),
  indicator: text("indicator").notNull(),
  period: text("period").notNull(),
  ...storedFile(),
});

/** An evidence file a unit attaches to its objection (异议), checked and stored like value evidence. */
export const objectionEvidence = pgTable("objection_evidence", {
  id: uuid("id").primaryKey().defaultRandom(),
  objectionId: uuid("objection_id")
    .notNull()
    .references(() => objections.id),
  ...storedFile(),
});

/** The columns of a request the office decides once: pending, then approved or rejected, by whom, when and why. */
const decision = () => ({
  status: text("status", { enum: ["pending", "approved", "rejected"] })
    .notNull()
    .default("pending"),
  decisionReason: text("decision_reason"),
  decidedBy: uuid("decided_by").references(() => users.id),
  decidedAt: timestamp("decided_at", { withTimezone: true }),
});

/**
 * 目标调整: a unit asks to change one of its targets; the office approves or rejects it with a reason.
 * The plan document keeps the original target; scoring runs apply the approved adjustments.
 */
export const targetAdjustments = pgTable(
  "target_adjustments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planVersionId: planVersionRef(),
    unitCode: text("unit_code").notNull(),
    indicator: text("indicator").notNull(),
    original: doublePrecision("original").notNull(),
    requested: doublePrecision("requested").notNull(),
    reason: text("reason").notNull(),
    requestedBy: uuid("requested_by").references(() => users.id),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    ...decision(),
  },
  // At most one pending request per unit and indicator, held by the database (two racing requests cannot both pass).
  (t) => [
    uniqueIndex("target_adjustments_one_pending")
      .on(t.planVersionId, t.unitCode, t.indicator)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/** A random spot check (抽查) of reported values, drawn from a recorded seed so it can be redrawn exactly. */
export const spotChecks = pgTable("spot_checks", {
  id: uuid("id").primaryKey().defaultRandom(),
  planVersionId: planVersionRef(),
  seed: integer("seed").notNull(),
  size: integer("size").notNull(),
  drawnBy: uuid("drawn_by").references(() => users.id),
  drawnAt: timestamp("drawn_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One value picked by a spot check, and what checking it found. */
export const spotCheckItems = pgTable("spot_check_items", {
  id: uuid("id").primaryKey().defaultRandom(),
  spotCheckId: uuid("spot_check_id")
    .notNull()
    .references(() => spotChecks.id),
  unitCode: text("unit_code").notNull(),
  indicator: text("indicator").notNull(),
  period: text("period").notNull(),
  value: doublePrecision("value").notNull(),
  outcome: text("outcome", { enum: ["confirmed", "discrepancy"] }),
  note: text("note"),
  checkedBy: uuid("checked_by").references(() => users.id),
  checkedAt: timestamp("checked_at", { withTimezone: true }),
});

/** A reviewer's mark (评审打分) for an expert-marked indicator; one per reviewer, unit, indicator and period. */
export const expertMarks = pgTable(
  "expert_marks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planVersionId: planVersionRef(),
    unitCode: text("unit_code").notNull(),
    indicator: text("indicator").notNull(),
    period: text("period").notNull(),
    reviewerId: uuid("reviewer_id")
      .notNull()
      .references(() => users.id),
    mark: doublePrecision("mark").notNull(),
    note: text("note"),
    markedAt: timestamp("marked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("expert_marks_cell").on(t.planVersionId, t.unitCode, t.indicator, t.period, t.reviewerId)],
);

/**
 * A bonus, penalty or veto item for a unit: a unit claims a bonus (level and achievement), the office
 * records penalties and vetoes; only approved claims are scored.
 */
export const claims = pgTable("claims", {
  id: uuid("id").primaryKey().defaultRandom(),
  planVersionId: planVersionRef(),
  unitCode: text("unit_code").notNull(),
  item: text("item").notNull(),
  level: text("level"),
  ref: text("ref"),
  value: doublePrecision("value").notNull().default(1),
  note: text("note"),
  createdBy: uuid("created_by").references(() => users.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  ...decision(),
});

/** An evidence file (证明材料) for a bonus claim or a recorded item, checked and stored like value evidence. */
export const claimEvidence = pgTable("claim_evidence", {
  id: uuid("id").primaryKey().defaultRandom(),
  claimId: uuid("claim_id")
    .notNull()
    .references(() => claims.id),
  ...storedFile(),
});

/**
 * A file the office sent to import (数据导入), kept here while its import job runs: the job's params
 * name it by id, so that they stay small. Deleted when the job ends.
 */
export const importFiles = pgTable("import_files", {
  id: uuid("id").primaryKey().defaultRandom(),
  planId: uuid("plan_id")
    .notNull()
    .references(() => plans.id),
  ...storedFile(),
});
