CREATE TABLE "sign_in_limits" (
	"address" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"attempts" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttles" (
	"account" text NOT NULL,
	"address" text NOT NULL,
	"failures" integer NOT NULL,
	"blocked_until" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sign_in_throttles_account_address_pk" PRIMARY KEY("account","address")
);
--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "failed_logins";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "locked_until";
--> statement-breakpoint
-- custom SQL (hand-written) --
-- 三员分立, and administrators take no part in assessments: an account holds at most one of
-- system_admin, security_admin and audit_admin, and an administrator role never beside a business role
-- (office_staff, reviewer, unit_reporter, unit_leader). Grants to one account are serialised on its
-- users row (FOR NO KEY UPDATE, held until commit), and the check runs after the lock, so under READ
-- COMMITTED it sees every grant committed before it: two transactions cannot each miss the other's.
-- Existing grants are not changed by this migration; the next PUT /users/:id/roles replaces them.
CREATE OR REPLACE FUNCTION user_roles_separate_admins() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  admins constant text[] := ARRAY['system_admin', 'security_admin', 'audit_admin'];
  business constant text[] := ARRAY['office_staff', 'reviewer', 'unit_reporter', 'unit_leader'];
  other text;
BEGIN
  PERFORM 1 FROM users WHERE id = NEW.user_id FOR NO KEY UPDATE;
  SELECT r.role INTO other FROM user_roles r
  WHERE r.user_id = NEW.user_id AND r.role <> NEW.role
    AND NOT (TG_OP = 'UPDATE' AND r.user_id = OLD.user_id AND r.role = OLD.role)
    AND CASE WHEN NEW.role = ANY (admins) THEN r.role = ANY (admins) OR r.role = ANY (business)
             ELSE r.role = ANY (admins) END
  ORDER BY r.role LIMIT 1;
  IF other IS NOT NULL THEN
    RAISE EXCEPTION 'an account cannot hold both % and % (三员分立; administrators take no part in assessments)',
      NEW.role, other
      USING ERRCODE = 'check_violation', CONSTRAINT = 'user_roles_separation', DETAIL = NEW.role || ',' || other;
  END IF;
  RETURN NEW;
END
$$;
