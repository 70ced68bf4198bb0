import { type AnyPgColumn, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** The units assessed and the offices that assess them: a tree (city → districts, departments). */
export const organisations = pgTable("organisations", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  nameEn: text("name_en"),
  kind: text("kind", { enum: ["city", "district", "department", "office"] }).notNull(),
  parentId: uuid("parent_id").references((): AnyPgColumn => organisations.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
