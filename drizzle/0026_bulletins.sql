CREATE TABLE "bulletins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"unit_code" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"titles" jsonb NOT NULL,
	"bodies" jsonb NOT NULL,
	"draft" jsonb NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"articles" jsonb,
	"hashes" jsonb,
	"hash_index" text[],
	"visible_from" timestamp with time zone,
	"published_by" uuid,
	"published_at" timestamp with time zone,
	"withdrawn_by" uuid,
	"withdrawn_at" timestamp with time zone,
	"withdraw_reason" text,
	"views" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "bulletins_published_page" CHECK ("bulletins"."status" = 'draft' OR ("bulletins"."articles" IS NOT NULL AND "bulletins"."hashes" IS NOT NULL AND "bulletins"."hash_index" IS NOT NULL AND "bulletins"."visible_from" IS NOT NULL AND "bulletins"."published_at" IS NOT NULL)),
	CONSTRAINT "bulletins_withdrawn" CHECK ("bulletins"."status" <> 'withdrawn' OR "bulletins"."withdrawn_at" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_run_id_scoring_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."scoring_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulletins_plan_idx" ON "bulletins" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "bulletins_visible_idx" ON "bulletins" USING btree ("status","visible_from");