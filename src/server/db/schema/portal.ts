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
  visibleFrom: timestamp("visible_from", { withTimezone: true }).notNull(),
  views: integer("views").notNull().default(0),
  /** Every hash of the page (both kinds, both languages), for GET /portal/verify?hash=. */
  hashIndex: text("hash_index").array().notNull(),
});

/**
 * A notice's PDF in one language (src/server/modules/portal/pdf.ts), made the first time it is asked
 * for and kept: it is served from here ever after, so its recorded hashes (SHA-256 and SM3 of these
 * bytes, also in the sealed audit entry `results.notice_pdf`) stay those of every copy handed out, even
 * after the fonts or the PDF library change.
 */
export const noticePdfs = pgTable(
  "notice_pdfs",
  {
    publicationId: uuid("publication_id")
      .notNull()
      .references(() => portalPages.publicationId),
    lang: text("lang").notNull(),
    content: bytea("content").notNull(),
    sha256: text("sha256").notNull(),
    sm3: text("sm3").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.publicationId, t.lang] })],
);
