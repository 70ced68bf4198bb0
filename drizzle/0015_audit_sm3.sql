-- The audit chain in SM3 (国密) beside SHA-256, where the database offers SM3 (pgcrypto, with an
-- OpenSSL that has it): PostgreSQL and embedded PGlite both do. audit_sm3 is decided here, once, so
-- that the trigger needs no error handling (a subtransaction per entry) to find out.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pgcrypto;
  PERFORM digest('kaohe', 'sm3');
  CREATE FUNCTION audit_sm3(t text) RETURNS text LANGUAGE sql IMMUTABLE AS
    'SELECT encode(digest(convert_to(t, ''UTF8''), ''sm3''), ''hex'')';
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'SM3 is not available (%): the audit trail is chained in SHA-256 only', SQLERRM;
  CREATE FUNCTION audit_sm3(t text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT NULL::text';
END
$$;
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash_sm3" text;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  prev_sm3 text;
BEGIN
  PERFORM pg_advisory_xact_lock(727166);
  -- Number the entry only now, under the lock, so seq order is the order entries join the chain.
  NEW.seq := nextval('audit_log_seq');
  SELECT hash, hash_sm3 INTO NEW.prev_hash, prev_sm3 FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.prev_hash := coalesce(NEW.prev_hash, repeat('0', 64));
  NEW.hash := encode(sha256(convert_to(audit_log_entry_text(NEW), 'UTF8')), 'hex');
  NEW.hash_sm3 := audit_sm3(coalesce(prev_sm3, repeat('0', 64)) || '|' || audit_log_entry_text(NEW));
  RETURN NEW;
END
$$;
