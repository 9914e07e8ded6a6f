/**
 * The end-to-end tests drop, recreate and seed the database they are pointed at. This guard
 * (after Dub's playwright/assert-local-database.ts) refuses anything but a throwaway one:
 * a SQLite file in a `wimm-e2e*` directory under the system temp directory (and outside the
 * repo, which may itself be checked out under /tmp), or a PostgreSQL database on 127.0.0.1
 * whose name starts with `wimm_e2e`. A mistyped DATABASE_URL must never reach real data.
 */
import { existsSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";

export const E2E_DATABASE_PREFIX = "wimm_e2e";
export const E2E_DIR_PREFIX = "wimm-e2e";

const REPO_ROOT = resolve(import.meta.dirname, "..", "..");

export function assertLocalDatabase(url: string | undefined): void {
  if (!url) throw new Error("[E2E] refusing to run: no database URL given");
  if (url.startsWith("file:")) {
    const path = resolve(
      url
        .slice("file:".length)
        .replace(/^\/\/(?=\/)/, "")
        .split("?")[0] ?? "",
    );
    const temp = realpathSync(tmpdir());
    const real = realpathOfNearest(dirname(path));
    const underTemp = (real + sep).startsWith(temp + sep) && real !== temp;
    const segments = underTemp ? real.slice(temp.length + 1).split(sep) : [];
    const insideRepo = (real + sep).startsWith(realpathOfNearest(REPO_ROOT) + sep);
    if (!underTemp || insideRepo || !segments.some((s) => s.startsWith(E2E_DIR_PREFIX))) {
      throw new Error(
        `[E2E] refusing to run against ${path}: e2e SQLite files must live in a ${E2E_DIR_PREFIX}* directory under ${temp}`,
      );
    }
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("[E2E] refusing to run: the database URL cannot be parsed");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new Error(`[E2E] refusing to run: unsupported database URL scheme ${parsed.protocol}`);
  }
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (parsed.hostname !== "127.0.0.1") {
    throw new Error(`[E2E] refusing to run against PostgreSQL on ${parsed.hostname}: only 127.0.0.1 is allowed`);
  }
  if (!name.startsWith(E2E_DATABASE_PREFIX) || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error(
      `[E2E] refusing to run against database "${name}": its name must start with ${E2E_DATABASE_PREFIX}`,
    );
  }
}

/** realpath of a path that may not exist yet: its nearest existing ancestor, resolved, plus the rest. */
function realpathOfNearest(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  return join(realpathSync(existing), ...rest);
}
