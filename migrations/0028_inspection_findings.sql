CREATE TYPE "public"."inspection_finding_kind" AS ENUM('format', 'content');--> statement-breakpoint
CREATE TYPE "public"."inspection_finding_status" AS ENUM('open', 'reported', 'closed');--> statement-breakpoint
CREATE TABLE "inspection_findings" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" "inspection_finding_kind" NOT NULL,
	"department_id" integer NOT NULL,
	"item_id" integer,
	"place" text NOT NULL,
	"finding" text NOT NULL,
	"status" "inspection_finding_status" NOT NULL,
	"due_on" date NOT NULL,
	"raised_by" integer NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"report_note" text,
	"reported_by" integer,
	"reported_at" timestamp with time zone,
	"review_note" text,
	"closed_by" integer,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "inspection_findings" ADD CONSTRAINT "inspection_findings_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_findings" ADD CONSTRAINT "inspection_findings_raised_by_staff_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_findings" ADD CONSTRAINT "inspection_findings_reported_by_staff_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_findings" ADD CONSTRAINT "inspection_findings_closed_by_staff_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspection_findings_open" ON "inspection_findings" USING btree ("status","department_id");