import { defineConfig } from 'drizzle-kit';

// PostgreSQL migrations, generated from the pg-core schema (itself derived from the SQLite schema) with
// `npm run db:generate`; src/store/open.ts applies them when a postgres:// database is opened.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/store/pg/schema.ts'],
  out: './migrations/pg',
});
