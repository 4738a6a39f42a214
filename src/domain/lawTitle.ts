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

/**
 * A citation as a reader writes it: "《条例》第十二条" for one document; for several, the titles then the articles
 * ("《中华人民共和国劳动法》《禁止使用童工规定》劳动法第十五条；禁止使用童工规定第二条" would run the article
 * into the last title, so the articles go in brackets: "《…》《…》（劳动法第十五条；禁止使用童工规定第二条）").
 */
export function lawCitation(document: string, article: string): string {
  const titles = lawTitle(document);
  if (article.trim() === '') return titles;
  return titles.split('》《').length > 1 ? `${titles}（${article}）` : `${titles}${article}`;
}
