/**
 * One e2e web server (Playwright `webServer` command): checks the target is a throwaway
 * database, makes it fresh (a new SQLite file; the PostgreSQL database dropped and created
 * again OWNER the app's role), seeds it with `./bin/wimm seed --transactions 200` and known
 * passwords, then runs the production build with `npm start` (next start).
 *
 *   DATABASE_URL=... PORT=... node --import tsx e2e/support/serve.ts
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import pg from "pg";
import { parseDatabaseUrl } from "../../lib/db/url.ts";
import { assertLocalDatabase } from "./assert-local-database.ts";

const root = join(import.meta.dirname, "..", "..");
const url = process.env.DATABASE_URL;
assertLocalDatabase(url);
const target = parseDatabaseUrl(url);
const tag = `[E2E ${target.engine}]`;

if (target.engine === "sqlite") {
  rmSync(dirname(target.path), { recursive: true, force: true });
  mkdirSync(dirname(target.path), { recursive: true });
} else {
  const adminUrl = process.env.WIMM_PG_ADMIN_URL;
  if (!adminUrl) throw new Error(`${tag} WIMM_PG_ADMIN_URL is needed to create the e2e database`);
  const parsed = new URL(target.url);
  const name = parsed.pathname.slice(1);
  const owner = decodeURIComponent(parsed.username);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Names were checked by the guard: [a-z0-9_] only.
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}" OWNER "${owner.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

const seed = spawnSync(join(root, "bin", "wimm"), ["seed", "--transactions", "200"], {
  cwd: root,
  env: process.env,
  encoding: "utf8",
});
if (seed.status !== 0) {
  console.error(seed.stderr);
  throw new Error(`${tag} ./bin/wimm seed failed with exit code ${seed.status}`);
}
console.error(`${tag} seeded ${target.engine === "sqlite" ? target.path : "database"}; starting npm start`);

// `npm start`, as in production (it preloads lib/server/long-uploads.mjs into next start).
const server = spawn("npm", ["start", "--", "-H", "127.0.0.1", "-p", process.env.PORT ?? "3000"], {
  cwd: root,
  env: process.env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
