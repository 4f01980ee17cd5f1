CREATE TABLE "disclosure_guide" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"body" text NOT NULL,
	"updated_by" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disclosure_text_chunks" (
	"text_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "disclosure_text_chunks_text_id_seq_pk" PRIMARY KEY("text_id","seq")
);
--> statement-breakpoint
CREATE TABLE "disclosure_texts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"document_id" bigint NOT NULL,
	"filename" text NOT NULL,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" integer NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalogue_entries" ADD COLUMN "search_bigrams" text[] GENERATED ALWAYS AS (array_cat(regexp_split_to_array(regexp_replace(replace(lower(coalesce(name, '') || ' ' || coalesce(doc_number, '') || ' ' || coalesce(index_no, '')), chr(1), ''), '(..)', '\1' || chr(1), 'g'), chr(1)), regexp_split_to_array(regexp_replace(substr(replace(lower(coalesce(name, '') || ' ' || coalesce(doc_number, '') || ' ' || coalesce(index_no, '')), chr(1), ''), 2), '(..)', '\1' || chr(1), 'g'), chr(1)))) STORED;--> statement-breakpoint
ALTER TABLE "disclosure_guide" ADD CONSTRAINT "disclosure_guide_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_text_chunks" ADD CONSTRAINT "disclosure_text_chunks_text_id_disclosure_texts_id_fk" FOREIGN KEY ("text_id") REFERENCES "public"."disclosure_texts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_texts" ADD CONSTRAINT "disclosure_texts_document_id_disclosure_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."disclosure_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_texts" ADD CONSTRAINT "disclosure_texts_uploaded_by_staff_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disclosure_texts_document_idx" ON "disclosure_texts" USING btree ("document_id","id");--> statement-breakpoint
CREATE INDEX "catalogue_entries_bigrams_idx" ON "catalogue_entries" USING gin ("search_bigrams");--> statement-breakpoint
CREATE INDEX "catalogue_entries_published_idx" ON "catalogue_entries" USING btree ("generated_on" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status = 'published';