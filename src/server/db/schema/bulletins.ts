import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { Bulletin } from "../../../bulletins/types.js";
import type { PageHashes } from "../../../portal/pages/hashes.js";
import { plans, scoringRuns } from "./plans.js";
import { users } from "./users.js";

/**
 * A bulletin (喜报/通报) of one unit (src/server/modules/bulletins, docs/bulletins.md): drafted by the
 * service from a scoring run, edited by the office (title and body per language, the body sanitised
 * to the allow-list), then published on the portal — its article rendered once, stored and hashed
 * (SM3, SHA-256) like a notice's, the hashes sealed in the publish audit entry — and perhaps withdrawn.
 * draft → published → withdrawn; a published or withdrawn bulletin's text never changes.
 */
export const bulletins = pgTable(
  "bulletins",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id),
    runId: uuid("run_id")
      .notNull()
      .references(() => scoringRuns.id),
    unitCode: text("unit_code").notNull(),
    status: text("status", { enum: ["draft", "published", "withdrawn"] })
      .notNull()
      .default("draft"),
    /** Title by language ("zh-CN", "en"), as edited. */
    titles: jsonb("titles").$type<Record<string, string>>().notNull(),
    /** Body by language: sanitised HTML (modules/bulletins/sanitise.ts). */
    bodies: jsonb("bodies").$type<Record<string, string>>().notNull(),
    /** The drafted bulletin as the core wrote it, every sentence with its facts (shown beside the editor). */
    draft: jsonb("draft").$type<Bulletin>().notNull(),
    /** Counts edits: an edit names the revision it started from, so a stale one is refused. */
    revision: integer("revision").notNull().default(1),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** The published article by language: the bytes the hashes are of. */
    articles: jsonb("articles").$type<Record<string, string>>(),
    hashes: jsonb("hashes").$type<Record<string, PageHashes>>(),
    /** Every hash of the page (both kinds, both languages), for the portal's verify. */
    hashIndex: text("hash_index").array(),
    /** The embargo: not public before then. */
    visibleFrom: timestamp("visible_from", { withTimezone: true }),
    publishedBy: uuid("published_by").references(() => users.id),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    withdrawnBy: uuid("withdrawn_by").references(() => users.id),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    withdrawReason: text("withdraw_reason"),
    views: integer("views").notNull().default(0),
  },
  (t) => [
    index("bulletins_plan_idx").on(t.planId),
    index("bulletins_visible_idx").on(t.status, t.visibleFrom),
    // What the portal serves exists from publication on, and is gone from no bulletin after it.
    check(
      "bulletins_published_page",
      sql`${t.status} = 'draft' OR (${t.articles} IS NOT NULL AND ${t.hashes} IS NOT NULL AND ${t.hashIndex} IS NOT NULL AND ${t.visibleFrom} IS NOT NULL AND ${t.publishedAt} IS NOT NULL)`,
    ),
    check("bulletins_withdrawn", sql`${t.status} <> 'withdrawn' OR ${t.withdrawnAt} IS NOT NULL`),
  ],
);
