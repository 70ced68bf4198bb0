import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { PageHashes } from "../../../portal/pages/hashes.js";
import { bytea, publications } from "./plans.js";

/**
 * A publication's page on the public portal (src/server/modules/portal): its article in each
 * language, rendered once at publication and never changed (the portal serves these bytes, so the
 * hashes recorded beside them stay checkable by anyone who saved the page), when it becomes visible
 * (an embargo: before then no public page or API shows it), and how often it was viewed.
 */
export const portalPages = pgTable("portal_pages", {
  publicationId: uuid("publication_id")
    .primaryKey()
    .references(() => publications.id),
  /** The notice's title by language ("zh-CN", "en"), as lists show it. */
  titles: jsonb("titles").$type<Record<string, string>>().notNull(),
  /** The article's HTML by language. */
  articles: jsonb("articles").$type<Record<string, string>>().notNull(),
  /** The articles' hashes by language. */
  hashes: jsonb("hashes").$type<Record<string, PageHashes>>().notNull(),
  /**
   * The final results notice (通报), rendered once when the results are finalised
   * (publication/commands/finalise.ts) and never changed after: its titles, articles and hashes by
   * language, which the sealed `results.finalise` audit entry also records. Null until then (and for
   * publications finalised before migration 0030). The notice's own articles above stay as published.
   */
  finalTitles: jsonb("final_titles").$type<Record<string, string>>(),
  finalArticles: jsonb("final_articles").$type<Record<string, string>>(),
  finalHashes: jsonb("final_hashes").$type<Record<string, PageHashes>>(),
  visibleFrom: timestamp("visible_from", { withTimezone: true }).notNull(),
  views: integer("views").notNull().default(0),
  /** Every hash of the page (both kinds, both languages, the final notice's too), for GET /portal/verify?hash=. */
  hashIndex: text("hash_index").array().notNull(),
});

/**
 * A notice's PDF in one language (src/server/modules/portal/pdf.ts), made the first time it is asked
 * for and kept: it is served from here ever after, so its recorded hashes (SHA-256 and SM3 of these
 * bytes, also in the sealed audit entry `results.notice_pdf`) stay those of every copy handed out, even
 * after the fonts or the PDF library change. A finalised publication has two editions: the public
 * notice's (`notice`) and the final results notice's (`final`), each its own file and hashes.
 */
export const noticePdfs = pgTable(
  "notice_pdfs",
  {
    publicationId: uuid("publication_id")
      .notNull()
      .references(() => portalPages.publicationId),
    /** `notice` (the public notice, 公示) or `final` (the final results notice, 通报). */
    edition: text("edition").$type<"notice" | "final">().notNull().default("notice"),
    lang: text("lang").notNull(),
    content: bytea("content").notNull(),
    sha256: text("sha256").notNull(),
    sm3: text("sm3").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.publicationId, t.edition, t.lang] })],
);
