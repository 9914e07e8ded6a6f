/**
 * SQLite's built-in LIKE ignores case only for A–Z: "SÃO" does not find "São", while
 * PostgreSQL's ILIKE (what the app uses there) does. SQLite lets an application replace the
 * LIKE operator with its own like() function, so the app's connection gets one that folds
 * case the Unicode way, as PostgreSQL does: the same search finds the same rows on both.
 *
 * Semantics otherwise as SQLite's: `%` any run of characters, `_` one character, an optional
 * ESCAPE character, NULL in → NULL out.
 */
import type Database from "better-sqlite3";

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

export function likePatternToRegExp(pattern: string, escape?: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== undefined && c === escape && i + 1 < pattern.length) {
      source += pattern[++i]!.replace(REGEX_SPECIAL, "\\$&");
    } else if (c === "%") source += "[\\s\\S]*";
    else if (c === "_") source += "[\\s\\S]";
    else source += c.replace(REGEX_SPECIAL, "\\$&");
  }
  // `u`: one `_` is one code point (an emoji too), as in SQLite.
  return new RegExp(`^${source}$`, "u");
}

/** A compiled LIKE pattern over lower-cased text (PostgreSQL's ILIKE lower-cases both sides too). */
function compile(pattern: string, escape: string | undefined): (text: string) => boolean {
  const folded = pattern.toLowerCase();
  // The search box's shape, `%words%`, is a substring test: 3–4× faster than a regular expression.
  const inner = folded.slice(1, -1);
  if (
    escape === undefined &&
    folded.length >= 2 &&
    folded.startsWith("%") &&
    folded.endsWith("%") &&
    !/[%_]/.test(inner)
  )
    return (text) => text.toLowerCase().includes(inner);
  const regExp = likePatternToRegExp(folded, escape);
  return (text) => regExp.test(text.toLowerCase());
}

export function registerUnicodeLike(db: Database.Database): void {
  // A search runs one pattern over many rows: compile it once.
  let lastKey: string | undefined;
  let lastMatch: ((text: string) => boolean) | undefined;
  const like = (pattern: unknown, text: unknown, escape?: unknown): number | null => {
    if (pattern === null || text === null || escape === null) return null;
    const key = `${escape ?? ""}\u0000${String(pattern)}`;
    if (key !== lastKey) {
      lastMatch = compile(String(pattern), escape === undefined ? undefined : String(escape));
      lastKey = key;
    }
    return lastMatch!(String(text)) ? 1 : 0;
  };
  db.function("like", { deterministic: true }, (pattern: unknown, text: unknown) => like(pattern, text));
  db.function("like", { deterministic: true }, (pattern: unknown, text: unknown, escape: unknown) =>
    like(pattern, text, escape),
  );
}
