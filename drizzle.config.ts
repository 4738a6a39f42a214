import { defineConfig } from 'drizzle-kit';

// SQLite migrations, generated from the schema (src/store/sqlite/schema.ts and the modules it gathers) with
// `npm run db:generate` and committed; src/store/open.ts applies them whenever a database is opened.
// PostgreSQL's: drizzle.pg.config.ts.
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/store/sqlite/schema.ts'],
  out: './migrations/sqlite',
});
