CREATE TABLE "catalogue_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalogue_entries" ADD COLUMN "is_current" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "catalogue_entries_current_idx" ON "catalogue_entries" USING btree ("generated_on" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE is_current;--> statement-breakpoint
CREATE INDEX "catalogue_entries_current_category_idx" ON "catalogue_entries" USING btree ("category","generated_on" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE is_current;--> statement-breakpoint
CREATE INDEX "catalogue_entries_current_department_idx" ON "catalogue_entries" USING btree ("department_id","generated_on" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE is_current;--> statement-breakpoint
CREATE INDEX "catalogue_entries_current_subject_idx" ON "catalogue_entries" USING btree ("subject","generated_on" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE is_current;--> statement-breakpoint
CREATE INDEX "catalogue_entries_published_at_idx" ON "catalogue_entries" USING btree ("published_at") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "catalogue_entries_current_index_no_idx" ON "catalogue_entries" USING btree (lower("index_no")) WHERE is_current;--> statement-breakpoint
CREATE INDEX "catalogue_entries_current_doc_number_idx" ON "catalogue_entries" USING btree (lower("doc_number")) WHERE is_current;--> statement-breakpoint
CREATE INDEX "disclosure_documents_invalid_updated_idx" ON "disclosure_documents" USING btree ("updated_at") WHERE validity <> 'valid';