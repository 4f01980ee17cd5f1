CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TYPE "public"."department_kind" AS ENUM('department', 'general_office', 'service_center', 'publicity_office');--> statement-breakpoint
CREATE TYPE "public"."letter_status" AS ENUM('processing', 'in_arbitration', 'answered', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."letter_type" AS ENUM('complaint', 'inquiry', 'suggestion', 'report');--> statement-breakpoint
CREATE TABLE "departments" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "department_kind" DEFAULT 'department' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"notify_emails" text[] DEFAULT '{}' NOT NULL,
	"sort_order" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "departments_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"staff_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"department_id" integer,
	"roles" text[] NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" integer,
	"actor_username" text,
	"actor_role" text,
	"action" text NOT NULL,
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"ip" text,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"schedule" jsonb NOT NULL,
	"loaded_by" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "convenience_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department_id" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letter_attachments" (
	"id" serial PRIMARY KEY NOT NULL,
	"letter_id" bigint NOT NULL,
	"filename" text NOT NULL,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letter_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"letter_id" bigint NOT NULL,
	"event_key" text NOT NULL,
	"kind" text NOT NULL,
	"is_public" boolean NOT NULL,
	"department_id" integer,
	"to_department_id" integer,
	"actor_id" integer,
	"reason_code" text,
	"text" text,
	"data" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tracking_no" text NOT NULL,
	"access_code_hash" text NOT NULL,
	"idempotency_key" text,
	"access_code_sealed" text,
	"type" "letter_type" NOT NULL,
	"convenience_item_id" integer,
	"status" "letter_status" DEFAULT 'processing' NOT NULL,
	"first_department_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"assisting_department_ids" integer[] DEFAULT '{}' NOT NULL,
	"visited_department_ids" integer[] DEFAULT '{}' NOT NULL,
	"transferred_from_department_id" integer,
	"requested_department_ids" integer[] DEFAULT '{}' NOT NULL,
	"pending_rejection" jsonb,
	"writer_name" text NOT NULL,
	"writer_phone" text NOT NULL,
	"writer_email" text,
	"writer_id_number" text,
	"subject" text NOT NULL,
	"content" text NOT NULL,
	"allow_publication" boolean NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"limit_days" integer NOT NULL,
	"due_date" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"due_provisional" boolean NOT NULL,
	"due_soon" boolean DEFAULT false NOT NULL,
	"overdue" boolean DEFAULT false NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"answered_by" integer,
	"closed_late" boolean,
	"reject_reason_code" text,
	"reject_reason" text,
	"workflow_started_at" timestamp with time zone,
	"submit_ip" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "letters_trackingNo_unique" UNIQUE("tracking_no"),
	CONSTRAINT "letters_idempotencyKey_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "convenience_items" ADD CONSTRAINT "convenience_items_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_attachments" ADD CONSTRAINT "letter_attachments_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_events" ADD CONSTRAINT "letter_events_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_events" ADD CONSTRAINT "letter_events_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_events" ADD CONSTRAINT "letter_events_to_department_id_departments_id_fk" FOREIGN KEY ("to_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_events" ADD CONSTRAINT "letter_events_actor_id_staff_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_convenience_item_id_convenience_items_id_fk" FOREIGN KEY ("convenience_item_id") REFERENCES "public"."convenience_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_first_department_id_departments_id_fk" FOREIGN KEY ("first_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_transferred_from_department_id_departments_id_fk" FOREIGN KEY ("transferred_from_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_answered_by_staff_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_staff_id_index" ON "sessions" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "audit_log_record_type_record_id_index" ON "audit_log" USING btree ("record_type","record_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_id_at_index" ON "audit_log" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_at_index" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "letter_attachments_letter_id_index" ON "letter_attachments" USING btree ("letter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "letter_events_event_key_index" ON "letter_events" USING btree ("event_key");--> statement-breakpoint
CREATE INDEX "letter_events_letter_id_id_index" ON "letter_events" USING btree ("letter_id","id");--> statement-breakpoint
CREATE INDEX "letters_department_open_due_idx" ON "letters" USING btree ("department_id","due_at") WHERE status in ('processing', 'in_arbitration');--> statement-breakpoint
CREATE INDEX "letters_status_due_idx" ON "letters" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "letters_overdue_idx" ON "letters" USING btree ("due_at") WHERE overdue and status in ('processing', 'in_arbitration');--> statement-breakpoint
CREATE INDEX "letters_unstarted_idx" ON "letters" USING btree ("id") WHERE workflow_started_at is null;--> statement-breakpoint
CREATE INDEX "letters_visited_gin_idx" ON "letters" USING gin ("visited_department_ids");--> statement-breakpoint
CREATE INDEX "letters_received_idx" ON "letters" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "letters_text_trgm_idx" ON "letters" USING gin (("subject" || ' ' || "content") gin_trgm_ops);