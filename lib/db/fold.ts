/**
 * Text folded for search, the one definition both engines use: "São João", "SAO JOAO" and
 * "sao joao" all fold to "sao joao". Compatibility decomposition (NFKD) splits accented
 * letters into a base letter and combining marks, which are dropped; letters that do not
 * decompose (ß, æ, ø, ł, …) are spelled out; then the text is lower-cased, locale-free.
 *
 * The folded text is stored beside the original (transactions.search_text) and written by
 * the app on every write and on every load of a backup (never read from a file), so a
 * search is a plain substring test on both engines: PostgreSQL serves it from a trigram
 * index, SQLite scans. Changing this function changes what is stored: it needs a
 * migration that refolds every row (lib/db/migrate.ts refills derived columns).
 */
const SPELLED_OUT: Record<string, string> = {
  ß: "ss",
  ẞ: "ss",
  æ: "ae",
  Æ: "ae",
  œ: "oe",
  Œ: "oe",
  ø: "o",
  Ø: "o",
  ł: "l",
  Ł: "l",
  đ: "d",
  Đ: "d",
  ð: "d",
  Ð: "d",
  þ: "th",
  Þ: "th",
  ı: "i",
};
const NOT_DECOMPOSED = /[ßẞæÆœŒøØłŁđĐðÐþÞı]/g;
const MARKS = /\p{M}+/gu;
const PLAIN = /^[\x20-\x7e]*$/;

export function foldForSearch(text: string): string {
  if (PLAIN.test(text)) return text.toLowerCase();
  return text
    .normalize("NFKD")
    .replace(MARKS, "")
    .replace(NOT_DECOMPOSED, (c) => SPELLED_OUT[c] ?? c)
    .toLowerCase();
}
