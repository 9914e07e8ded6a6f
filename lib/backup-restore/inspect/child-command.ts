/**
 * How to start the isolated SQLite child (inspect-child.ts): the arguments for `node` before
 * the child's own. Three cases, so that the child always comes from the same code as the
 * process that spawns it:
 *   - inside the compiled CLI (scripts/build-cli.mjs defines WIMM_COMPILED): the compiled
 *     child of that very build, beside the running file. bin/wimm checked that build fresh
 *     before it started, and a later build never replaces that directory.
 *   - the built web app (`next start`, NODE_ENV=production): build/cli/inspect-child.mjs,
 *     compiled by the same `npm run build` as the app.
 *   - anything running the TypeScript sources (vitest, `next dev`, scripts through tsx):
 *     the source itself, through tsx, so an edit is never met by an older compiled child.
 * The web app falls back to the source when the compiled child is missing (an install that
 * skipped `npm run build`), and says so in its log.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { log } from "../../log.ts";

/** `true` in the compiled CLI (an esbuild `define`); not declared anywhere else. */
declare const WIMM_COMPILED: boolean | undefined;

const SOURCE = ["lib", "backup-restore", "inspect", "inspect-child.ts"];

let warnedMissing = false;

export function inspectChildArgs(root: string): string[] {
  if (typeof WIMM_COMPILED !== "undefined" && WIMM_COMPILED) {
    return [join(dirname(fileURLToPath(import.meta.url)), "inspect-child.mjs")];
  }
  if (process.env.NODE_ENV === "production") {
    const built = join(root, "build", "cli", "inspect-child.mjs");
    if (existsSync(built)) return [built];
    if (!warnedMissing) {
      warnedMissing = true;
      log("VALIDATE", "build/cli/inspect-child.mjs is missing (run npm run build): running the child from its source");
    }
  }
  return [
    "--no-warnings=ExperimentalWarning",
    "--import",
    `file://${join(root, "node_modules", "tsx", "dist", "loader.mjs")}`,
    join(root, ...SOURCE),
  ];
}
