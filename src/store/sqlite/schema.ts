/** The SQLite schema (drizzle sqlite-core): every table, from the schema modules. */
export * from './schema-core.ts';
export * from './schema-registries.ts';
export * from './schema-enforcement.ts';
export * from './schema-evaluation.ts';
export * from './schema-params.ts';
export * from './schema-notices.ts';
export * from './schema-warnings.ts';
export * from './schema-portal.ts';
