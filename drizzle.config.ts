import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL from the tables; migrations are applied at boot by src/db/migrate.ts.
// Every module keeps its drizzle tables in src/<module>/tables.ts; the glob finds them, so src/db
// needs no list of modules.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/*/tables.ts',
  out: './migrations',
  casing: 'snake_case',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5433/amr' },
});
