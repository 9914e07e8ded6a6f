/**
 * What the e2e run uses, decided once in the Playwright runner process and handed to the
 * workers and web servers through the environment (the config file is evaluated again in
 * every worker, so anything random must be fixed in process.env the first time).
 *
 * scripts/test.sh sets WIMM_E2E_SQLITE_URL / WIMM_E2E_PG_URL / ports itself; run directly,
 * `npx playwright test` picks a temp SQLite file and, when WIMM_PG_URL points at a test
 * cluster, a `wimm_e2e_*` database on it.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../../lib/db/url.ts";

/** Known passwords for the seeded users (test-only values). */
export const ADMIN = { username: "admin", password: "e2e-admin-password" } as const;
export const MEMBER = { username: "maria", password: "e2e-member-password" } as const;

export type E2eServer = { engine: Engine; databaseUrl: string; port: number; workDir: string };

export function e2eServers(): E2eServer[] {
  const env = process.env;
  env.WIMM_E2E_RUN_ID ??= `${Date.now().toString(36)}${process.pid.toString(36)}`;
  env.WIMM_E2E_DIR ??= join(tmpdir(), `wimm-e2e-${env.WIMM_E2E_RUN_ID}`);
  env.WIMM_E2E_SQLITE_URL ??= `file:${join(env.WIMM_E2E_DIR, "sqlite", "wimm.sqlite3")}`;
  if (!env.WIMM_E2E_PG_URL && env.WIMM_PG_URL) {
    const url = new URL(env.WIMM_PG_URL);
    url.pathname = `/wimm_e2e_${env.WIMM_E2E_RUN_ID}`;
    env.WIMM_E2E_PG_URL = url.toString();
  }
  const servers: E2eServer[] = [
    {
      engine: "sqlite",
      databaseUrl: env.WIMM_E2E_SQLITE_URL,
      port: Number(env.WIMM_E2E_SQLITE_PORT ?? 3101),
      workDir: join(env.WIMM_E2E_DIR, "sqlite"),
    },
  ];
  if (env.WIMM_E2E_PG_URL) {
    servers.push({
      engine: "postgresql",
      databaseUrl: env.WIMM_E2E_PG_URL,
      port: Number(env.WIMM_E2E_PG_PORT ?? 3102),
      workDir: join(env.WIMM_E2E_DIR, "postgresql"),
    });
  } else if (["1", "true"].includes((env.CI ?? "").toLowerCase())) {
    throw new Error("[E2E] CI=true but no PostgreSQL: set WIMM_PG_URL and WIMM_PG_ADMIN_URL (scripts/test.sh does)");
  }
  return servers;
}
