CREATE TYPE "public"."column_publisher" AS ENUM('drafter', 'service_center');--> statement-breakpoint
CREATE TYPE "public"."column_section" AS ENUM('disclosure', 'services', 'online', 'interaction');--> statement-breakpoint
CREATE TYPE "public"."content_type" AS ENUM('article', 'notice', 'policy', 'interpretation', 'qa', 'video');--> statement-breakpoint
CREATE TYPE "public"."review_form_status" AS ENUM('at_step', 'approved', 'scheduled', 'published', 'returned', 'rejected', 'withdrawn', 'voided');--> statement-breakpoint
CREATE TYPE "public"."item_state" AS ENUM('draft', 'published', 'taken_down');--> statement-breakpoint
CREATE TYPE "public"."review_step" AS ENUM('dept_leader', 'publicity', 'bureau_leader');--> statement-breakpoint
CREATE TYPE "public"."secrecy_conclusion" AS ENUM('no_secret', 'secret_not_publish', 'needs_secrecy_office');--> statement-breakpoint
CREATE TYPE "public"."step_decision" AS ENUM('approved', 'returned', 'rejected');--> statement-breakpoint
CREATE TABLE "leader_assignments" (
	"department_id" integer PRIMARY KEY NOT NULL,
	"leader_id" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"form_id" bigint NOT NULL,
	"step" "review_step" NOT NULL,
	"decision" "step_decision" NOT NULL,
	"opinion" text DEFAULT '' NOT NULL,
	"secrecy" "secrecy_conclusion",
	"decider_id" integer NOT NULL,
	"decider_name" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"due_date" date,
	"late" boolean DEFAULT false NOT NULL,
	"edited_version" integer
);
--> statement-breakpoint
CREATE TABLE "review_forms" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"column_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"drafter_id" integer NOT NULL,
	"content_type" "content_type" NOT NULL,
	"art19" jsonb NOT NULL,
	"drafter_secrecy" "secrecy_conclusion" NOT NULL,
	"steps" "review_step"[] NOT NULL,
	"status" "review_form_status" DEFAULT 'at_step' NOT NULL,
	"step" "review_step",
	"step_started_at" timestamp with time zone,
	"step_due_date" date,
	"step_due_at" timestamp with time zone,
	"step_overdue" boolean DEFAULT false NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"scheduled_for" timestamp with time zone,
	"published_at" timestamp with time zone,
	"published_by" integer,
	"closed_at" timestamp with time zone,
	"change_seq" integer DEFAULT 1 NOT NULL,
	"synced_seq" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "site_columns" (
	"id" serial PRIMARY KEY NOT NULL,
	"parent_id" integer,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"section" "column_section" NOT NULL,
	"accepts_items" boolean DEFAULT true NOT NULL,
	"content_types" "content_type"[] DEFAULT '{article}' NOT NULL,
	"is_news" boolean DEFAULT false NOT NULL,
	"news_needs_bureau_leader" boolean DEFAULT false NOT NULL,
	"publisher" "column_publisher" DEFAULT 'drafter' NOT NULL,
	"supplier_department_ids" integer[] DEFAULT '{}' NOT NULL,
	"update_every_days" integer,
	"sort_order" integer DEFAULT 100 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "site_columns_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "site_item_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"qa_pairs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"related_item_ids" bigint[] DEFAULT '{}' NOT NULL,
	"author_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "site_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"column_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"drafter_id" integer NOT NULL,
	"content_type" "content_type" NOT NULL,
	"state" "item_state" DEFAULT 'draft' NOT NULL,
	"latest_version" integer DEFAULT 1 NOT NULL,
	"published_version" integer,
	"first_published_at" timestamp with time zone,
	"updated_published_at" timestamp with time zone,
	"taken_down_at" timestamp with time zone,
	"takedown_reason" text,
	"taken_down_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "leader_assignments" ADD CONSTRAINT "leader_assignments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leader_assignments" ADD CONSTRAINT "leader_assignments_leader_id_staff_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_form_id_review_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."review_forms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_decider_id_staff_id_fk" FOREIGN KEY ("decider_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_forms" ADD CONSTRAINT "review_forms_item_id_site_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."site_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_forms" ADD CONSTRAINT "review_forms_column_id_site_columns_id_fk" FOREIGN KEY ("column_id") REFERENCES "public"."site_columns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_forms" ADD CONSTRAINT "review_forms_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_forms" ADD CONSTRAINT "review_forms_drafter_id_staff_id_fk" FOREIGN KEY ("drafter_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_forms" ADD CONSTRAINT "review_forms_published_by_staff_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_item_versions" ADD CONSTRAINT "site_item_versions_item_id_site_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."site_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_item_versions" ADD CONSTRAINT "site_item_versions_author_id_staff_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_items" ADD CONSTRAINT "site_items_column_id_site_columns_id_fk" FOREIGN KEY ("column_id") REFERENCES "public"."site_columns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_items" ADD CONSTRAINT "site_items_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_items" ADD CONSTRAINT "site_items_drafter_id_staff_id_fk" FOREIGN KEY ("drafter_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_items" ADD CONSTRAINT "site_items_taken_down_by_staff_id_fk" FOREIGN KEY ("taken_down_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "review_decisions_form_step_idx" ON "review_decisions" USING btree ("form_id","step");--> statement-breakpoint
CREATE INDEX "review_forms_item_idx" ON "review_forms" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "review_forms_open_idx" ON "review_forms" USING btree ("step","department_id") WHERE status = 'at_step';--> statement-breakpoint
CREATE INDEX "review_forms_unsynced_idx" ON "review_forms" USING btree ("id") WHERE change_seq > synced_seq;--> statement-breakpoint
CREATE INDEX "site_columns_parent_idx" ON "site_columns" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "site_item_versions_item_version_idx" ON "site_item_versions" USING btree ("item_id","version");--> statement-breakpoint
CREATE INDEX "site_item_versions_text_trgm_idx" ON "site_item_versions" USING gin (("title" || ' ' || "body") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "site_items_column_published_idx" ON "site_items" USING btree ("column_id","first_published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE state = 'published';--> statement-breakpoint
CREATE INDEX "site_items_published_idx" ON "site_items" USING btree ("first_published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE state = 'published';