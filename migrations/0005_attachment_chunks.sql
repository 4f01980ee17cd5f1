CREATE TABLE "letter_attachment_chunks" (
	"attachment_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "letter_attachment_chunks_attachment_id_seq_pk" PRIMARY KEY("attachment_id","seq")
);
--> statement-breakpoint
ALTER TABLE "letter_attachment_chunks" ADD CONSTRAINT "letter_attachment_chunks_attachment_id_letter_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."letter_attachments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Existing attachments keep their bytes: each becomes its own single chunk (seq 0) before the column goes.
INSERT INTO "letter_attachment_chunks" ("attachment_id", "seq", "data") SELECT "id", 0, "content" FROM "letter_attachments";--> statement-breakpoint
ALTER TABLE "letter_attachments" DROP COLUMN "content";