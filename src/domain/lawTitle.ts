/**
 * 书名号 — a legal basis names one or more documents in one field, joined by "；" (the catalogue's
 * "条例；保证金规定"). In Chinese each title sits in its own pair of 《》: "《甲》《乙》", never "《甲；乙》".
 * A text that already carries 书名号 is left as written.
 */
export function lawTitle(document: string): string {
  if (document.includes('《')) return document;
  const titles = document
    .split(/[；;]/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return titles.map((t) => `《${t}》`).join('');
}
