ALTER TABLE "letters" ADD COLUMN "clock_started_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- hand-written: letters written before this column existed counted from their receipt (a transfer never restarted a stored clock).
UPDATE "letters" SET "clock_started_at" = "received_at";
