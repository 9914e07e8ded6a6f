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
  // `u`: one `_` is one code point (an emoji too), as in SQLite; `i` with `u` folds Unicode case.
  return new RegExp(`^${source}$`, "iu");
}

export function registerUnicodeLike(db: Database.Database): void {
  // A search runs one pattern over many rows: compile it once.
  let lastKey: string | undefined;
  let lastRegExp: RegExp | undefined;
  const like = (pattern: unknown, text: unknown, escape?: unknown): number | null => {
    if (pattern === null || text === null || escape === null) return null;
    const key = `${escape ?? ""}\u0000${String(pattern)}`;
    if (key !== lastKey) {
      lastRegExp = likePatternToRegExp(String(pattern), escape === undefined ? undefined : String(escape));
      lastKey = key;
    }
    return lastRegExp!.test(String(text)) ? 1 : 0;
  };
  db.function("like", { deterministic: true }, (pattern: unknown, text: unknown) => like(pattern, text));
  db.function("like", { deterministic: true }, (pattern: unknown, text: unknown, escape: unknown) =>
    like(pattern, text, escape),
  );
}
