import { resolve } from "node:path";

/** The two engines the app runs on. The engine is read from the URL here and nowhere else. */
export type Engine = "sqlite" | "postgresql";

export type DatabaseTarget = { engine: "sqlite"; url: string; path: string } | { engine: "postgresql"; url: string };

export const DEFAULT_DATABASE_URL = "file:./data/wimm.sqlite3";

/**
 * `file:<path>` → SQLite (path relative to the working directory, i.e. the repo root);
 * `postgres://` / `postgresql://` → PostgreSQL. Anything else is a configuration error.
 */
export function parseDatabaseUrl(url: string | undefined = process.env.DATABASE_URL): DatabaseTarget {
  const value = (url ?? "").trim() || DEFAULT_DATABASE_URL;
  if (value.startsWith("file:")) {
    const raw =
      value
        .slice("file:".length)
        .replace(/^\/\/(?=\/)/, "")
        .split("?")[0] ?? "";
    if (!raw) throw new Error("DATABASE_URL: a file: URL needs a path, e.g. file:./data/wimm.sqlite3");
    // The comment keeps Turbopack from tracing the whole project through a dynamic path.
    return { engine: "sqlite", url: value, path: resolve(/*turbopackIgnore: true*/ raw) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) return { engine: "postgresql", url: value };
  throw new Error("DATABASE_URL must start with file:, postgres:// or postgresql://");
}

/** The URL with any password replaced, for logs and `wimm info`. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
