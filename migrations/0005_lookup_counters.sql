CREATE TABLE "lookup_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "lookup_counters_window_ends_at_index" ON "lookup_counters" USING btree ("window_ends_at");