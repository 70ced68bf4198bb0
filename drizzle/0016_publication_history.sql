ALTER TABLE "objections" ADD COLUMN "cells" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "publications" ADD COLUMN "supersedes" uuid;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_supersedes_publications_id_fk" FOREIGN KEY ("supersedes") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_supersedes" UNIQUE("supersedes");