-- Existing catalogues: each document's newest published round is the one the public catalogue shows.
UPDATE "catalogue_entries" e SET "is_current" = true
WHERE e."status" = 'published' AND NOT EXISTS (
  SELECT 1 FROM "catalogue_entries" l
  WHERE l."document_id" = e."document_id" AND l."status" = 'published' AND l."round" > e."round");
