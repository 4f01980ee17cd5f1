CREATE TABLE "home_probes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"probed_at" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"url" text NOT NULL,
	"status" integer,
	"ms" integer NOT NULL,
	"failed" boolean NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "home_probes_day_idx" ON "home_probes" USING btree ("day");