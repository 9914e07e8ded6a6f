/**
 * After the run: drop the e2e PostgreSQL database and remove the temp directory. (scripts/
 * test.sh removes its whole cluster anyway; this is for `npx playwright test` by hand.)
 */
import { rmSync } from "node:fs";
import pg from "pg";
import { assertLocalDatabase } from "./assert-local-database.ts";

export default async function globalTeardown() {
  const url = process.env.WIMM_E2E_PG_URL;
  const adminUrl = process.env.WIMM_PG_ADMIN_URL;
  if (url && adminUrl && !process.env.WIMM_E2E_KEEP) {
    assertLocalDatabase(url);
    const name = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  if (process.env.WIMM_E2E_DIR && !process.env.WIMM_E2E_KEEP) {
    rmSync(process.env.WIMM_E2E_DIR, { recursive: true, force: true });
  }
}
