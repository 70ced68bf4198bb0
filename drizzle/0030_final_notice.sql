ALTER TABLE "notice_pdfs" ADD COLUMN "edition" text DEFAULT 'notice' NOT NULL;--> statement-breakpoint
ALTER TABLE "notice_pdfs" DROP CONSTRAINT "notice_pdfs_publication_id_lang_pk";--> statement-breakpoint
ALTER TABLE "notice_pdfs" ADD CONSTRAINT "notice_pdfs_publication_id_edition_lang_pk" PRIMARY KEY("publication_id","edition","lang");--> statement-breakpoint
ALTER TABLE "portal_pages" ADD COLUMN "final_titles" jsonb;--> statement-breakpoint
ALTER TABLE "portal_pages" ADD COLUMN "final_articles" jsonb;--> statement-breakpoint
ALTER TABLE "portal_pages" ADD COLUMN "final_hashes" jsonb;
