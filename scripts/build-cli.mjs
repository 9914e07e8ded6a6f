/**
 * Compiles the command line (lib/cli/main.ts) and the isolated SQLite child
 * (lib/backup-restore/inspect/inspect-child.ts) to plain JavaScript with esbuild, so that
 * `./bin/wimm` and the child start without a TypeScript transpiler.
 *
 *   node scripts/build-cli.mjs
 *
 * Plain JavaScript on purpose: it must run where nothing else is compiled yet (postinstall,
 * `npm run build`, scripts/test.sh, and bin/wimm when the build is missing or stale).
 *
 * Layout, under build/ (git-ignored):
 *   cli-<time>-<pid>/   one complete build: main.mjs, inspect-child.mjs, chunk-*.mjs, built-at
 *   cli                 a symlink to the newest complete build, swapped atomically
 * A process started from a build keeps reading that build's directory (Node resolves the
 * symlink when it loads the entry point), and the chunks it imports later — the Prisma client
 * in a restore's last step — are never replaced under it: an older build is only removed a
 * day after it stopped being the current one. Two builds at once are harmless: each writes
 * its own directory, and the last swap wins.
 *
 * `built-at` is written before esbuild reads a single source, and dated a second earlier
 * still: bin/wimm calls the build stale when any file under lib/ (or this script, or
 * tsconfig.json) is newer than it, so an edit made while the build ran is never missed, even
 * on a file system whose clock ticks coarsely.
 *
 * Packages from node_modules stay outside the bundle (resolved by Node at run time, as
 * before; the Prisma runtime's Wasm and better-sqlite3's native addon want their own
 * folders), except zod: every command validates the environment with it first, and Node
 * loading zod's hundred-odd module files cost about 40 ms of `wimm info`'s ~190 ms of CPU,
 * where the same code inside the bundle costs a few. (pg bundled saved ~10 ms, not worth a
 * second copy of pg beside the one Prisma's adapter loads.) Since zod's code is in the
 * build, bin/wimm also calls the build stale after an `npm install` (node_modules/.package-lock.json).
 */
import {
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUILD = join(ROOT, "build");
const KEEP_OLD_BUILDS_MS = 24 * 3600 * 1000;
const BUNDLED_PACKAGES = ["zod"];

/** esbuild's `packages: "external"`, but for the packages named in `except`. */
function externalPackages({ except }) {
  return {
    name: "external-packages",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const parts = args.path.split("/");
        const pkg = args.path.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
        return except.includes(pkg) ? undefined : { external: true };
      });
    },
  };
}

const started = Date.now();
const name = `cli-${started}-${process.pid}`;
const out = join(BUILD, name);
mkdirSync(out, { recursive: true });
const stamp = join(out, "built-at");
// Its first line, the build's real start in epoch milliseconds: bin/wimm's lock waiters read it.
writeFileSync(stamp, `${started}\n${new Date(started).toISOString()}\n`);
const backdated = new Date(started - 1000);
utimesSync(stamp, backdated, backdated);

try {
  await build({
    absWorkingDir: ROOT,
    entryPoints: {
      main: "lib/cli/main.ts",
      "inspect-child": "lib/backup-restore/inspect/inspect-child.ts",
    },
    outdir: out,
    bundle: true,
    // Chunks: what only some commands need (the Prisma client and its Wasm compiler) is
    // imported on demand, so `wimm info` does not load it.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    plugins: [externalPackages({ except: BUNDLED_PACKAGES })],
    outExtension: { ".js": ".mjs" },
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    // The isolated child is found beside the code that spawns it (inspect/child-command.ts).
    define: { WIMM_COMPILED: "true" },
    sourcemap: "linked",
    logLevel: "warning",
  });
} catch (error) {
  rmSync(out, { recursive: true, force: true });
  console.error(`[BUILD] the command line did not compile: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

// Atomic swap: a symlink made beside the old one, renamed over it. The build it replaces is
// dated now, the moment it stopped being current, which is what the clean-up below counts from.
const link = join(BUILD, "cli");
let previous = null;
try {
  previous = readlinkSync(link);
} catch {
  // the first build
}
const next = join(BUILD, `.cli-link-${process.pid}`);
rmSync(next, { force: true });
symlinkSync(name, next);
renameSync(next, link);
if (previous && previous !== name) {
  const now = new Date();
  try {
    utimesSync(join(BUILD, previous), now, now);
  } catch {
    // already gone
  }
}

for (const entry of readdirSync(BUILD)) {
  if (!entry.startsWith("cli-") || entry === name) continue;
  const path = join(BUILD, entry);
  if (started - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
}
console.error(`[BUILD] command line compiled in ${Date.now() - started} ms: build/${name}`);
