/** `WHERE a = ? AND b = ?` for the filters given (column names are the caller's, never input), or ''. */
export function whereEqual(filters: readonly (readonly [column: string, value: unknown])[]): { sql: string; params: unknown[] } {
  const given = filters.filter(([, v]) => v !== undefined && v !== null && v !== '');
  return { sql: given.length ? `WHERE ${given.map(([c]) => `${c} = ?`).join(' AND ')}` : '', params: given.map(([, v]) => v) };
}
