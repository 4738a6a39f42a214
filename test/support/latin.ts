/**
 * The Latin-word scanner of the pages' one-language test (test/pages/latin.test.ts), in a module of its own so
 * that another test file can use it without importing (and so running) that file's suites.
 */

/** Latin words a Chinese reader reads as such: file formats, the product, units, and the law's own abbreviations. */
const ALLOWED = new Set(['CSV', 'JSON', 'API', 'PDF', 'xlsx', 'XLSX', 'Excel', 'YAML', 'Huxin', 'HTML', 'UTF', 'GBK', 'SHA']);

/**
 * The visible text of an HTML page: no scripts, styles, tags or attributes; entities decoded. A <code> element
 * marks a code or a command shown as such (a parameter key, a file path), so its content is not prose.
 */
export function visibleText(page: string): string {
  return page
    .replace(/<(script|style|code)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Latin words in a user text, outside codes and names: a word glued to digits or dashes (XT-2026-001, a credit
 * code 91130500MA0000001X, BR0001, V-001) is a code, not English.
 */
export function latinWords(text: string, names: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9_.\-/:]*[A-Za-z]{3,}[A-Za-z0-9_.\-/:]*/g)) {
    const token = m[0];
    if (/\d/.test(token)) continue; // codes, credit codes, references, file names with dates
    if (/^[\w.-]+\.(csv|json|xlsx|html|pdf|yaml|md|db)$/i.test(token)) continue; // a file name
    if (/^\/|:\/\//.test(token)) continue; // a path or URL shown as such
    if (ALLOWED.has(token) || names.has(token)) continue;
    out.push(token);
  }
  return out;
}
