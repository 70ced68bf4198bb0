CREATE TABLE "notice_pdfs" (
	"publication_id" uuid NOT NULL,
	"lang" text NOT NULL,
	"content" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"sm3" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notice_pdfs_publication_id_lang_pk" PRIMARY KEY("publication_id","lang")
);
--> statement-breakpoint
ALTER TABLE "notice_pdfs" ADD CONSTRAINT "notice_pdfs_publication_id_portal_pages_publication_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."portal_pages"("publication_id") ON DELETE no action ON UPDATE no action;