ALTER TABLE "convenience_items" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "convenience_item_name" text;--> statement-breakpoint
ALTER TABLE "convenience_items" ADD CONSTRAINT "convenience_items_code_unique" UNIQUE("code");--> statement-breakpoint
-- hand-written: letters filed before this migration keep their item's current name as the name they were filed under.
UPDATE "letters" SET "convenience_item_name" = ci."name" FROM "convenience_items" ci WHERE ci."id" = "letters"."convenience_item_id" AND "letters"."convenience_item_name" IS NULL;
