/**
 * 法定参数的本地导入 — dated legal parameters the bureau adds without a release (`huxin params import`, the
 * supervisor's page, POST /api/v1/params/imports). The shipped values live in `params/` files in the code;
 * these rows live in the database, so an upgrade keeps them, and are laid over the shipped files (a row
 * replaces the shipped value of the same parameter and start date; a holiday schedule replaces the
 * shipped schedule of its year). Append-only: a later import of the same parameter and date wins.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One imported file: who, when, which file, its text (what was cited is kept as given). */
export const paramImports = sqliteTable('param_imports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  importedAt: text('imported_at').notNull(),
  actor: text('actor').notNull(),
  fileName: text('file_name').notNull(),
  sha256: text('sha256').notNull(),
  content: text('content').notNull(),
});

/** One dated value of one parameter (`holidays`: one year's schedule, valid_from = 1 January). */
export const paramValues = sqliteTable(
  'param_values',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** param_imports.id */
    importId: integer('import_id').notNull(),
    parameter: text('parameter').notNull(),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to'),
    /** JSON: the value as written in the file (money in yuan strings), validated on import */
    value: text('value').notNull(),
    /** JSON: 出处 {document, article?, verified, note?, localSetting?} */
    source: text('source').notNull(),
  },
  (t) => [index('param_values_parameter').on(t.parameter, t.validFrom)],
);
