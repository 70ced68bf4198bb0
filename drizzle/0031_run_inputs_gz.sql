ALTER TABLE "scoring_runs" ALTER COLUMN "inputs" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "scoring_runs" ADD COLUMN "inputs_gz" "bytea";--> statement-breakpoint
ALTER TABLE "scoring_runs" ADD CONSTRAINT "scoring_runs_inputs_once" CHECK (("scoring_runs"."inputs" IS NULL) <> ("scoring_runs"."inputs_gz" IS NULL));