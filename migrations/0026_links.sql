CREATE TYPE "public"."link_check_outcome" AS ENUM('ok', 'failed', 'not_checked');--> statement-breakpoint
CREATE TYPE "public"."link_decision" AS ENUM('approve', 'return', 'refuse', 'withdraw');--> statement-breakpoint
CREATE TYPE "public"."link_application_status" AS ENUM('at_office', 'at_leader', 'returned', 'refused', 'approved', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."link_decision_step" AS ENUM('office', 'leader', 'withdraw');--> statement-breakpoint
CREATE TABLE "link_applications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"department_id" integer NOT NULL,
	"placement" text NOT NULL,
	"target_url" text NOT NULL,
	"target_host" text NOT NULL,
	"site_name" text NOT NULL,
	"site_owner" text NOT NULL,
	"purpose" text NOT NULL,
	"government" boolean NOT NULL,
	"justification" text,
	"status" "link_application_status" NOT NULL,
	"submitted_by" integer NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"step_started_at" timestamp with time zone,
	"step_due_at" timestamp with time zone,
	"step_due_on" date,
	"step_overdue" boolean DEFAULT false NOT NULL,
	"closed_at" timestamp with time zone,
	"change_seq" integer DEFAULT 1 NOT NULL,
	"synced_seq" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "link_checks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"host" text NOT NULL,
	"internal" boolean NOT NULL,
	"sources" jsonb NOT NULL,
	"on_home" boolean DEFAULT false NOT NULL,
	"outcome" "link_check_outcome" NOT NULL,
	"status" integer,
	"final_url" text,
	"redirects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"elapsed_ms" integer,
	"content_type" text,
	"title" text,
	"title_changed" boolean DEFAULT false NOT NULL,
	"cross_domain" boolean DEFAULT false NOT NULL,
	"error" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"broken" boolean DEFAULT false NOT NULL,
	"broken_since" timestamp with time zone,
	"fix_by" date,
	"checked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "link_checks_url_unique" UNIQUE("url")
);
--> statement-breakpoint
CREATE TABLE "link_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"application_id" integer NOT NULL,
	"step" "link_decision_step" NOT NULL,
	"decision" "link_decision" NOT NULL,
	"decided_by" integer NOT NULL,
	"decided_by_name" text NOT NULL,
	"reason" text,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "link_applications" ADD CONSTRAINT "link_applications_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_applications" ADD CONSTRAINT "link_applications_submitted_by_staff_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_decisions" ADD CONSTRAINT "link_decisions_application_id_link_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."link_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_decisions" ADD CONSTRAINT "link_decisions_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "link_applications_host" ON "link_applications" USING btree ("target_host");--> statement-breakpoint
CREATE INDEX "link_applications_status" ON "link_applications" USING btree ("status");--> statement-breakpoint
CREATE INDEX "link_checks_broken" ON "link_checks" USING btree ("broken");