/**
 * The outcome of parsing one value from a file or a request. A failure carries a Chinese sentence that
 * tells the clerk what is wrong and how to fix it; it never throws, so an importer can collect every
 * problem of a file before answering.
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T = never>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Full-width digits, letters and punctuation (Excel on Chinese Windows, IMEs) → half-width; trims. */
export function normalizeCell(raw: string): string {
  return raw.normalize('NFKC').trim();
}

/** Unwraps a value that the caller already knows is valid (fixtures, constants); throws otherwise. */
export function must<T>(parsed: Parsed<T>, what = 'value'): T {
  if (!parsed.ok) throw new Error(`invalid ${what}: ${parsed.reason}`);
  return parsed.value;
}
