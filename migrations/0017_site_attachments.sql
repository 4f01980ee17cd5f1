CREATE TYPE "public"."site_attachment_kind" AS ENUM('document', 'image', 'video');--> statement-breakpoint
CREATE TABLE "site_attachment_chunks" (
	"attachment_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "site_attachment_chunks_attachment_id_seq_pk" PRIMARY KEY("attachment_id","seq")
);
--> statement-breakpoint
CREATE TABLE "site_attachments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" bigint NOT NULL,
	"from_version" integer NOT NULL,
	"until_version" integer,
	"filename" text NOT NULL,
	"kind" "site_attachment_kind" NOT NULL,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "site_attachment_chunks" ADD CONSTRAINT "site_attachment_chunks_attachment_id_site_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."site_attachments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_attachments" ADD CONSTRAINT "site_attachments_item_id_site_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."site_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_attachments" ADD CONSTRAINT "site_attachments_uploaded_by_staff_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "site_attachments_item_idx" ON "site_attachments" USING btree ("item_id","from_version");