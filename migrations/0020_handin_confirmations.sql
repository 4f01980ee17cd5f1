CREATE TABLE "handin_confirmations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"department_id" integer NOT NULL,
	"year" integer NOT NULL,
	"quarter" smallint NOT NULL,
	"confirmed_by" integer NOT NULL,
	"confirmed_by_name" text NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL,
	"due_date" date NOT NULL,
	"form_ids" integer[] NOT NULL,
	"pdf_sha256" text NOT NULL,
	"pdf" "bytea" NOT NULL,
	CONSTRAINT "handin_confirmations_department_quarter" UNIQUE("department_id","year","quarter")
);
--> statement-breakpoint
ALTER TABLE "handin_confirmations" ADD CONSTRAINT "handin_confirmations_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handin_confirmations" ADD CONSTRAINT "handin_confirmations_confirmed_by_staff_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;