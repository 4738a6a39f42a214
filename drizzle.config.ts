import { defineConfig } from 'drizzle-kit';

// Migrations are generated from src/db/schema.ts with `npm run db:generate` and committed;
// src/db/open.ts applies them whenever a database is opened.
export default defineConfig({
  dialect: 'sqlite',
  // the core schema plus one file per later module (schema-enforcement.ts, schema-registries.ts …)
  schema: ['./src/db/schema.ts', './src/db/schema-*.ts'],
  out: './migrations',
});
