/** Small pieces the enforcement repositories share. */

/** `WHERE a = ? AND b = ?` for the filters given (column names are the caller's, never input), or ''. */
export function whereEqual(filters: readonly (readonly [column: string, value: unknown])[]): { sql: string; params: unknown[] } {
  const given = filters.filter(([, v]) => v !== undefined && v !== null && v !== '');
  return { sql: given.length ? `WHERE ${given.map(([c]) => `${c} = ?`).join(' AND ')}` : '', params: given.map(([, v]) => v) };
}

/** The rows of `read` over `ids` in parts of 500 (an `IN (…)` list stays within both engines' parameter limits). */
export async function inParts<T>(ids: readonly number[], read: (part: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await read(ids.slice(i, i + 500))));
  return out;
}
