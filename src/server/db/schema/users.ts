import { boolean, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { type Role, roles } from "../../policy-table.js";
import { organisations } from "./organisations.js";

export { type Role, roles };

/** The three administrators kept apart (三员分立): no account may hold two of these. */
export const separatedRoles: readonly Role[] = ["system_admin", "security_admin", "audit_admin"];

/**
 * The roles that take part in assessments. An administrator holds none of them: the database refuses
 * the combination (migration 0019), as it refuses two administrator roles on one account.
 */
export const businessRoles: readonly Role[] = ["office_staff", "reviewer", "unit_reporter", "unit_leader"];

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  /** One-time passwords must be changed at first sign-in. */
  mustChangePassword: boolean("must_change_password").notNull().default(true),
  organisationId: uuid("organisation_id").references(() => organisations.id),
  /** The interface language the user chose (null: not chosen; the browser's Accept-Language decides). */
  language: text("language", { enum: ["zh-CN", "en"] }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const userRoles = pgTable(
  "user_roles",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: roles }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);
