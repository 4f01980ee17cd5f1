CREATE TYPE "public"."publication_status" AS ENUM('draft', 'published', 'taken_down');--> statement-breakpoint
CREATE TABLE "letter_publications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"letter_id" bigint NOT NULL,
	"status" "publication_status" DEFAULT 'draft' NOT NULL,
	"subject" text NOT NULL,
	"content" text NOT NULL,
	"answer" text NOT NULL,
	"masking" jsonb NOT NULL,
	"edited_at" timestamp with time zone,
	"unsure_confirmed_by" integer,
	"type" "letter_type" NOT NULL,
	"department_id" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	"selected_by" integer NOT NULL,
	"approved_by" integer,
	"published_at" timestamp with time zone,
	"taken_down_at" timestamp with time zone,
	"take_down_reason" text,
	CONSTRAINT "letter_publications_letterId_unique" UNIQUE("letter_id")
);
--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "reports_person" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "letter_publications" ADD CONSTRAINT "letter_publications_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_publications" ADD CONSTRAINT "letter_publications_unsure_confirmed_by_staff_id_fk" FOREIGN KEY ("unsure_confirmed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_publications" ADD CONSTRAINT "letter_publications_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_publications" ADD CONSTRAINT "letter_publications_selected_by_staff_id_fk" FOREIGN KEY ("selected_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_publications" ADD CONSTRAINT "letter_publications_approved_by_staff_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "letter_publications_public_idx" ON "letter_publications" USING btree ("published_at","id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "letter_publications_text_trgm_idx" ON "letter_publications" USING gin (("subject" || ' ' || "content") gin_trgm_ops);