/** The SQLite schema (drizzle sqlite-core): every table, from the schema modules. */
export * from '../../db/schema.ts';
export * from '../../db/schema-registries.ts';
export * from '../../db/schema-enforcement.ts';
export * from './schema-evaluation.ts';
export * from '../../db/schema-params.ts';
export * from '../../db/schema-notices.ts';
export * from '../../db/schema-warnings.ts';
export * from '../../db/schema-portal.ts';
