CREATE TYPE "public"."archive_kind" AS ENUM('library', 'archive');--> statement-breakpoint
CREATE TABLE "archive_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"archive" "archive_kind" NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"paper" boolean NOT NULL,
	"electronic" boolean NOT NULL,
	"entry_count" integer NOT NULL,
	"delivered_on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"delivered_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "archive_deliveries" ADD CONSTRAINT "archive_deliveries_delivered_by_staff_id_fk" FOREIGN KEY ("delivered_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "archive_deliveries_archive_idx" ON "archive_deliveries" USING btree ("archive","period_to");