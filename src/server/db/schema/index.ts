/** The database schema, one file per aggregate. Migrations in /drizzle are generated from it. */

export * from "./audit.js";
export * from "./bulletins.js";
export * from "./jobs.js";
export * from "./notifications.js";
export * from "./organisations.js";
export * from "./plans.js";
export * from "./portal.js";
export * from "./scenarios.js";
export * from "./sessions.js";
export * from "./users.js";
