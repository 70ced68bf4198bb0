-- Hot queries (a unit's data pages, the public results) read these instead of the large document.
ALTER TABLE "plan_versions" ADD COLUMN "unit_codes" text[];--> statement-breakpoint
ALTER TABLE "plan_versions" ADD COLUMN "period_key" text;--> statement-breakpoint
UPDATE "plan_versions" SET
  "unit_codes" = ARRAY(SELECT jsonb_array_elements("document"->'units')->>'code'),
  "period_key" = coalesce("document"->'period'->>'key', '');--> statement-breakpoint
ALTER TABLE "plan_versions" ALTER COLUMN "unit_codes" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_versions" ALTER COLUMN "period_key" SET NOT NULL;
