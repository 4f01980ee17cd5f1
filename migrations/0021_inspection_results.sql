CREATE TABLE "inspection_results" (
	"day" date PRIMARY KEY NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"vetoed" boolean NOT NULL,
	"red" integer NOT NULL,
	"amber" integer NOT NULL,
	"report" jsonb NOT NULL
);
