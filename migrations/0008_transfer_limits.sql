ALTER TABLE "letter_events" ADD COLUMN "late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "arbitrated_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "letter_events_transfers_idx" ON "letter_events" USING btree ("at") WHERE kind = 'transferred';--> statement-breakpoint
-- hand-written:
-- Letters the general office decided before this migration keep its decision (Art. 22): no transfer away from it.
UPDATE "letters" SET "arbitrated_at" = e."at"
FROM (SELECT "letter_id", max("at") AS "at" FROM "letter_events" WHERE "kind" = 'arbitrated' GROUP BY "letter_id") AS e
WHERE e."letter_id" = "letters"."id";
