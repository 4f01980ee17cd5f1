CREATE TYPE "public"."request_delivery_method" AS ENUM('post', 'direct', 'via_agency');--> statement-breakpoint
ALTER TYPE "public"."request_event_kind" ADD VALUE 'delivered';--> statement-breakpoint
ALTER TABLE "disclosure_request_events" ADD COLUMN "fee" jsonb;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "reasons" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "access" jsonb;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "responsible_agency" jsonb;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "delivery_method" "request_delivery_method";--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "delivery_posted_on" date;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "delivery_signed_on" date;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "delivery_counts_on" date;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "delivery_deadline" date;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "delivery_in_time" boolean;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "idempotency_fingerprint" text;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD COLUMN "access_code_sealed" text;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD CONSTRAINT "disclosure_requests_idempotencyKey_unique" UNIQUE("idempotency_key");