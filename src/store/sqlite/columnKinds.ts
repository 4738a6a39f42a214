/**
 * Which SQLite text columns hold ISO dates and which hold JSON — the two kinds PostgreSQL stores with types
 * of their own (`date`, `jsonb`; src/store/pg/schema.ts). Dates follow one naming rule across the schema
 * (`…_date`, `…_on`, `on`, `as_of`, `deadline`, `stage_since`, `valid_from`, `valid_to`); instants are `…_at` and
 * stay text. JSON columns are listed by name.
 */
const DATE = /(^|_)(date|on)$|^(as_of|deadline|order_deadline|stage_since|valid_from|valid_to|next_change)$/;

// `reports.json` stays text on both: the report's canonical bytes (jsonb would reorder its keys); so do
// the large documents read whole and never queried inside (fact snapshots, ledgers, a night's results)
const JSON_COLUMNS = new Set([
  'replaced_detail',
  'warnings',
  'detail',
  'legal_basis',
  'params',
  'evidence',
  'risk_terms',
  'deposit',
  'circumstances',
  'routing',
  'persons',
  'items',
  'value',
  'source',
  'assessment',
  'report_part',
  'project_ids',
]);

export function isDateColumn(_table: string, column: string): boolean {
  return DATE.test(column);
}

export function isJsonColumn(_table: string, column: string): boolean {
  return JSON_COLUMNS.has(column);
}
