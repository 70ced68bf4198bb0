CREATE TABLE "portal_pages" (
	"publication_id" uuid PRIMARY KEY NOT NULL,
	"titles" jsonb NOT NULL,
	"articles" jsonb NOT NULL,
	"hashes" jsonb NOT NULL,
	"visible_from" timestamp with time zone NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"hash_index" text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "portal_pages" ADD CONSTRAINT "portal_pages_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;