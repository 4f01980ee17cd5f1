CREATE TYPE "public"."dissatisfaction_decision" AS ENUM('reopened', 'closed');--> statement-breakpoint
CREATE TYPE "public"."letter_rating" AS ENUM('satisfied', 'basically_satisfied', 'dissatisfied');--> statement-breakpoint
CREATE TABLE "letter_ratings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"letter_id" bigint NOT NULL,
	"round" integer NOT NULL,
	"rating" "letter_rating" NOT NULL,
	"comment" text,
	"rated_at" timestamp with time zone NOT NULL,
	"department_id" integer NOT NULL,
	"decision" "dissatisfaction_decision",
	"decision_text" text,
	"reopened_to_department_id" integer,
	"decided_at" timestamp with time zone,
	"decided_by" integer
);
--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "letter_ratings" ADD CONSTRAINT "letter_ratings_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_ratings" ADD CONSTRAINT "letter_ratings_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_ratings" ADD CONSTRAINT "letter_ratings_reopened_to_department_id_departments_id_fk" FOREIGN KEY ("reopened_to_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_ratings" ADD CONSTRAINT "letter_ratings_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "letter_ratings_letter_round_idx" ON "letter_ratings" USING btree ("letter_id","round");--> statement-breakpoint
CREATE INDEX "letter_ratings_undecided_idx" ON "letter_ratings" USING btree ("rated_at") WHERE rating = 'dissatisfied' and decided_at is null;