CREATE TABLE "unit_value_stamps" (
	"plan_version_id" uuid NOT NULL,
	"unit_code" text NOT NULL,
	"stamp" uuid DEFAULT gen_random_uuid() NOT NULL,
	CONSTRAINT "unit_value_stamps_plan_version_id_unit_code_pk" PRIMARY KEY("plan_version_id","unit_code")
);
--> statement-breakpoint
ALTER TABLE "unit_value_stamps" ADD CONSTRAINT "unit_value_stamps_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Every statement that changes reported values gives each unit it touched a new stamp, whoever runs
-- it (the app, a restore, an administrator's SQL): a cached page can never outlive its data.
CREATE FUNCTION unit_value_stamps_renew() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO unit_value_stamps (plan_version_id, unit_code)
      SELECT DISTINCT plan_version_id, unit_code FROM new_rows
      ON CONFLICT (plan_version_id, unit_code) DO UPDATE SET stamp = gen_random_uuid();
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO unit_value_stamps (plan_version_id, unit_code)
      SELECT plan_version_id, unit_code FROM new_rows UNION SELECT plan_version_id, unit_code FROM old_rows
      ON CONFLICT (plan_version_id, unit_code) DO UPDATE SET stamp = gen_random_uuid();
  ELSE
    INSERT INTO unit_value_stamps (plan_version_id, unit_code)
      SELECT DISTINCT plan_version_id, unit_code FROM old_rows
      ON CONFLICT (plan_version_id, unit_code) DO UPDATE SET stamp = gen_random_uuid();
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER reported_values_stamp_insert AFTER INSERT ON reported_values
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION unit_value_stamps_renew();
--> statement-breakpoint
CREATE TRIGGER reported_values_stamp_update AFTER UPDATE ON reported_values
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION unit_value_stamps_renew();
--> statement-breakpoint
CREATE TRIGGER reported_values_stamp_delete AFTER DELETE ON reported_values
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION unit_value_stamps_renew();
--> statement-breakpoint
INSERT INTO unit_value_stamps (plan_version_id, unit_code)
  SELECT DISTINCT plan_version_id, unit_code FROM reported_values;
