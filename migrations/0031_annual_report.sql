CREATE TYPE "public"."annual_report_status" AS ENUM('draft', 'approved', 'published');--> statement-breakpoint
CREATE TYPE "public"."annual_remedy_kind" AS ENUM('reconsideration', 'direct_suit', 'suit_after_reconsideration');--> statement-breakpoint
CREATE TYPE "public"."annual_remedy_result" AS ENUM('upheld', 'corrected', 'other', 'pending');--> statement-breakpoint
CREATE TABLE "annual_remedy_cases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" bigint NOT NULL,
	"request_number" text NOT NULL,
	"kind" "annual_remedy_kind" NOT NULL,
	"filed_on" date NOT NULL,
	"result" "annual_remedy_result" DEFAULT 'pending' NOT NULL,
	"decided_on" date,
	"note" text DEFAULT '' NOT NULL,
	"entered_by" integer NOT NULL,
	"entered_by_name" text NOT NULL,
	"entered_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "annual_report_figures" (
	"year" integer NOT NULL,
	"key" text NOT NULL,
	"value" numeric(14, 4) NOT NULL,
	"source_note" text DEFAULT '' NOT NULL,
	"entered_by" integer NOT NULL,
	"entered_by_name" text NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "annual_report_figures_year_key_pk" PRIMARY KEY("year","key")
);
--> statement-breakpoint
CREATE TABLE "annual_reports" (
	"year" integer PRIMARY KEY NOT NULL,
	"status" "annual_report_status" DEFAULT 'draft' NOT NULL,
	"overview" text DEFAULT '' NOT NULL,
	"problems" text DEFAULT '' NOT NULL,
	"other" text DEFAULT '' NOT NULL,
	"internal_deadline" text DEFAULT '01-20' NOT NULL,
	"snapshot" jsonb,
	"approved_by" integer,
	"approved_by_name" text,
	"approved_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"published_item_id" bigint,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "annual_remedy_cases" ADD CONSTRAINT "annual_remedy_cases_entered_by_staff_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_report_figures" ADD CONSTRAINT "annual_report_figures_year_annual_reports_year_fk" FOREIGN KEY ("year") REFERENCES "public"."annual_reports"("year") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_report_figures" ADD CONSTRAINT "annual_report_figures_entered_by_staff_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_reports" ADD CONSTRAINT "annual_reports_approved_by_staff_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_reports" ADD CONSTRAINT "annual_reports_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "annual_remedy_cases_filed_idx" ON "annual_remedy_cases" USING btree ("filed_on");