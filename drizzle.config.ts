import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL from the schema; migrations are applied at boot by src/db/migrate.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
  casing: 'snake_case',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5433/amr' },
});
