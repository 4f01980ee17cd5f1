CREATE TYPE "public"."catalogue_task_status" AS ENUM('open', 'published', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."disclosure_decision" AS ENUM('proactive', 'on_request', 'withheld');--> statement-breakpoint
CREATE TYPE "public"."document_category" AS ENUM('regulation', 'organisation', 'plan', 'statistics', 'licensing', 'penalty', 'fees', 'procurement', 'emergency', 'inspection', 'recruitment', 'other');--> statement-breakpoint
CREATE TYPE "public"."document_validity" AS ENUM('valid', 'amended', 'repealed', 'expired');--> statement-breakpoint
CREATE TYPE "public"."disclosure_legal_basis" AS ENUM('art14_state_secret', 'art14_law_forbids', 'art14_security_stability', 'art15_third_party', 'art16_internal_affairs', 'art16_process_information', 'art16_enforcement_file');--> statement-breakpoint
CREATE TABLE "catalogue_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"document_id" bigint NOT NULL,
	"round" integer NOT NULL,
	"status" "catalogue_task_status" DEFAULT 'open' NOT NULL,
	"starts_on" date NOT NULL,
	"due_on" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"due_provisional" boolean DEFAULT false NOT NULL,
	"overdue" boolean DEFAULT false NOT NULL,
	"department_id" integer NOT NULL,
	"index_no" text,
	"name" text,
	"summary" text,
	"generated_on" date,
	"doc_number" text,
	"publisher" text,
	"category" "document_category" NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalogue_index_counters" (
	"category" "document_category" NOT NULL,
	"year" integer NOT NULL,
	"last" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "catalogue_index_counters_category_year_pk" PRIMARY KEY("category","year")
);
--> statement-breakpoint
CREATE TABLE "disclosure_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"document_id" bigint NOT NULL,
	"decision" "disclosure_decision" NOT NULL,
	"legal_basis" "disclosure_legal_basis",
	"reason" text DEFAULT '' NOT NULL,
	"re_review_on" date,
	"decided_by" integer NOT NULL,
	"decider_name" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disclosure_documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"doc_number" text,
	"department_id" integer NOT NULL,
	"category" "document_category" NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"formed_on" date NOT NULL,
	"changed_on" date,
	"validity" "document_validity" DEFAULT 'valid' NOT NULL,
	"validity_changed_on" date,
	"changed_by_document_id" bigint,
	"index_no" text,
	"decision" "disclosure_decision",
	"re_review_on" date,
	"re_review_reminded_for" date,
	"registered_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"change_seq" integer DEFAULT 1 NOT NULL,
	"synced_seq" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "disclosure_documents_indexNo_unique" UNIQUE("index_no")
);
--> statement-breakpoint
ALTER TABLE "catalogue_entries" ADD CONSTRAINT "catalogue_entries_document_id_disclosure_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."disclosure_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_entries" ADD CONSTRAINT "catalogue_entries_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_entries" ADD CONSTRAINT "catalogue_entries_published_by_staff_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_decisions" ADD CONSTRAINT "disclosure_decisions_document_id_disclosure_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."disclosure_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_decisions" ADD CONSTRAINT "disclosure_decisions_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_registered_by_staff_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "catalogue_entries_document_round_idx" ON "catalogue_entries" USING btree ("document_id","round");--> statement-breakpoint
CREATE INDEX "catalogue_entries_index_no_idx" ON "catalogue_entries" USING btree ("index_no");--> statement-breakpoint
CREATE INDEX "catalogue_entries_open_idx" ON "catalogue_entries" USING btree ("due_on") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "disclosure_decisions_document_idx" ON "disclosure_decisions" USING btree ("document_id","id");--> statement-breakpoint
CREATE INDEX "disclosure_documents_department_idx" ON "disclosure_documents" USING btree ("department_id","formed_on" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "disclosure_documents_unsynced_idx" ON "disclosure_documents" USING btree ("id") WHERE change_seq > synced_seq;