-- The audit trail is append-only and hash-chained. The hash of each entry covers the previous entry's
-- hash and every field, so changing or removing any past entry breaks the chain at that point.
-- Appends from several app processes are serialised by an advisory lock held until commit.
CREATE SEQUENCE audit_log_seq;
--> statement-breakpoint
CREATE FUNCTION audit_log_entry_text(e audit_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws('|', e.prev_hash, e.seq::text,
    to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.actor, coalesce(e.ip, ''), e.action, e.entity, coalesce(e.entity_id, ''),
    coalesce(e.before::text, 'null'), coalesce(e.after::text, 'null'))
$$;
--> statement-breakpoint
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(727166);
  -- Number the entry only now, under the lock, so seq order is the order entries join the chain.
  NEW.seq := nextval('audit_log_seq');
  SELECT hash INTO NEW.prev_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.prev_hash := coalesce(NEW.prev_hash, repeat('0', 64));
  NEW.hash := encode(sha256(convert_to(audit_log_entry_text(NEW), 'UTF8')), 'hex');
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
--> statement-breakpoint
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
-- 三员分立: the system, security and audit administrator roles are never held by one account.
CREATE FUNCTION user_roles_separate_admins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.role IN ('system_admin', 'security_admin', 'audit_admin') AND EXISTS (
    SELECT 1 FROM user_roles
    WHERE user_id = NEW.user_id AND role IN ('system_admin', 'security_admin', 'audit_admin') AND role <> NEW.role
  ) THEN
    RAISE EXCEPTION 'an account cannot hold two of system_admin, security_admin and audit_admin (三员分立)'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER user_roles_separate_admins BEFORE INSERT OR UPDATE ON user_roles FOR EACH ROW EXECUTE FUNCTION user_roles_separate_admins();
