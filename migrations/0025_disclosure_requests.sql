CREATE TYPE "public"."request_applicant_type" AS ENUM('natural_person', 'commercial_enterprise', 'research_institution', 'public_welfare_organisation', 'legal_service_institution', 'other_organisation');--> statement-breakpoint
CREATE TYPE "public"."request_consulted_party" AS ENUM('third_party', 'agency');--> statement-breakpoint
CREATE TYPE "public"."request_handling_step" AS ENUM('routing', 'drafting', 'signing', 'signed');--> statement-breakpoint
CREATE TYPE "public"."request_id_document_type" AS ENUM('resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_residence', 'unified_credit_code', 'other');--> statement-breakpoint
CREATE TYPE "public"."request_receive_way" AS ENUM('post', 'pick_up', 'email', 'online');--> statement-breakpoint
CREATE TYPE "public"."request_channel" AS ENUM('online', 'post', 'in_person', 'fax', 'email');--> statement-breakpoint
CREATE TYPE "public"."request_clock_state" AS ENUM('running', 'paused', 'waiting_for_supplement', 'abandoned', 'done');--> statement-breakpoint
CREATE TYPE "public"."request_event_kind" AS ENUM('correction_requested', 'supplement_received', 'consultation_opened', 'consultation_closed', 'fee_notified', 'fee_paid', 'extended', 'later_date_set', 'withdrawn', 'concluded');--> statement-breakpoint
CREATE TYPE "public"."request_outcome" AS ENUM('disclosed', 'partly_disclosed', 'withheld_state_secret', 'withheld_law_forbids', 'withheld_security_stability', 'withheld_third_party', 'withheld_internal_affairs', 'withheld_process_information', 'withheld_enforcement_file', 'withheld_query_matter', 'cannot_not_held', 'cannot_needs_creation', 'cannot_unclear_after_correction', 'not_processed_petition', 'not_processed_repeated', 'not_processed_publication', 'not_processed_excessive', 'not_processed_confirmation', 'other_no_correction', 'other_fee_unpaid', 'other');--> statement-breakpoint
CREATE TYPE "public"."request_status" AS ENUM('awaiting_confirmation', 'in_progress', 'concluded', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."request_form" AS ENUM('paper', 'electronic', 'email', 'on_site_reading');--> statement-breakpoint
CREATE TABLE "disclosure_request_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" bigint NOT NULL,
	"kind" "request_event_kind" NOT NULL,
	"on" date NOT NULL,
	"days" integer,
	"party" "request_consulted_party",
	"consultation_event_id" bigint,
	"later_date" date,
	"outcome" "request_outcome",
	"detail" text DEFAULT '' NOT NULL,
	"actor_id" integer,
	"actor_username" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disclosure_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"access_code_hash" text NOT NULL,
	"channel" "request_channel" NOT NULL,
	"status" "request_status" NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_for_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"mail_received_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"received_on" date,
	"start_on" date,
	"receipt_basis" text,
	"applicant_type" "request_applicant_type" NOT NULL,
	"applicant_name" text NOT NULL,
	"id_document_type" "request_id_document_type" NOT NULL,
	"id_document_number" text NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"info_title" text DEFAULT '' NOT NULL,
	"info_doc_number" text DEFAULT '' NOT NULL,
	"info_description" text DEFAULT '' NOT NULL,
	"form" "request_form" NOT NULL,
	"receive_way" "request_receive_way" NOT NULL,
	"outcome" "request_outcome",
	"concluded_on" date,
	"clock_state" "request_clock_state",
	"deadline" date,
	"reminded_for" date,
	"overdue_for" date,
	"entered_by" integer,
	"handling_step" "request_handling_step",
	"step_since" date,
	"holding_department_id" integer,
	"draft" text DEFAULT '' NOT NULL,
	"signed_by" integer,
	"signed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"change_seq" integer DEFAULT 1 NOT NULL,
	"synced_seq" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "disclosure_requests_number_unique" UNIQUE("number")
);
--> statement-breakpoint
ALTER TABLE "disclosure_request_events" ADD CONSTRAINT "disclosure_request_events_request_id_disclosure_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."disclosure_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_request_events" ADD CONSTRAINT "disclosure_request_events_actor_id_staff_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD CONSTRAINT "disclosure_requests_entered_by_staff_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD CONSTRAINT "disclosure_requests_holding_department_id_departments_id_fk" FOREIGN KEY ("holding_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD CONSTRAINT "disclosure_requests_signed_by_staff_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disclosure_request_events_request_idx" ON "disclosure_request_events" USING btree ("request_id","id");--> statement-breakpoint
CREATE INDEX "disclosure_requests_status_idx" ON "disclosure_requests" USING btree ("status","deadline");--> statement-breakpoint
CREATE INDEX "disclosure_requests_unsynced_idx" ON "disclosure_requests" USING btree ("id") WHERE change_seq > synced_seq;