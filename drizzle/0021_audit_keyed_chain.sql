CREATE TABLE "audit_seals" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"mac" text NOT NULL,
	"mac_sm3" text
);

--> statement-breakpoint
-- custom SQL (hand-written) --
-- The seals are append-only like the trail they seal (the app writes them in the same transaction as
-- the entries, under the chain's advisory lock 727166).
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE OR DELETE ON audit_seals FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
