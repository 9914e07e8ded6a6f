/**
 * Backups nobody has to remember, end to end: a built server started with
 * WIMM_BACKUP_SCHEDULE="* * * * *" takes a backup on its own within a minute or so, verifies
 * it, and the settings page lists it as a verified scheduled backup — on both engines.
 *
 * The project servers run with the schedule off (other specs count the backup folder's
 * files), so this spec starts its own two servers, each with its own fresh database, backup
 * folder and port, side by side so that the wait for the next minute is paid once. It runs
 * in the `sqlite` project only and covers both engines itself.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { parseBackupFilename } from "../lib/backup-restore/backups/parse-backup-filename.ts";
import { LoginPage } from "./pages/login-page.ts";
import { ADMIN, e2eServers } from "./support/e2e-env.ts";
import { freePort, startOwnServer, waitUntilUp, type OwnInstance } from "./support/own-server.ts";
import { expect, test } from "./support/fixtures.ts";

/** The project servers' targets, with another database name and folder: nothing is shared. */
async function instances(): Promise<OwnInstance[]> {
  const list: OwnInstance[] = [];
  for (const s of e2eServers()) {
    const workDir = join(process.env.WIMM_E2E_DIR!, `scheduled-${s.engine}`);
    let databaseUrl = `file:${join(workDir, "wimm.sqlite3")}`;
    if (s.engine === "postgresql") {
      const url = new URL(s.databaseUrl);
      url.pathname = `${url.pathname}_scheduled`;
      databaseUrl = url.toString();
    }
    list.push({ engine: s.engine, port: await freePort(), workDir, databaseUrl });
  }
  return list;
}

test("the built server takes a scheduled backup within a minute on its own, and the page lists it as verified (both engines)", async ({
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name !== "sqlite", "one run covers both engines, started side by side");
  test.setTimeout(300_000);
  const list = await instances();
  const servers = list.map((instance) =>
    startOwnServer(instance, `Scheduled family (${instance.engine})`, { WIMM_BACKUP_SCHEDULE: "* * * * *" }),
  );
  try {
    await Promise.all(servers.map(waitUntilUp));
    const startedAt = Date.now();
    await Promise.all(
      servers.map(async ({ instance }) => {
        const context = await browser.newContext({ baseURL: `http://127.0.0.1:${instance.port}` });
        const page = await context.newPage();
        await new LoginPage(page).signIn(ADMIN.username, ADMIN.password);
        const backups = join(instance.workDir, "backups");
        const scheduled = () =>
          (existsSync(backups) ? readdirSync(backups) : []).filter(
            (n) => parseBackupFilename(n)?.trigger === "scheduled",
          );
        // No backup at start: the first one waits for the schedule's next time.
        expect(scheduled()).toEqual([]);
        // The page is read again until the scheduler has done its work: the next whole minute,
        // plus the scheduler's 30-second tick, plus the backup and its verification.
        await expect(async () => {
          await page.goto("/settings");
          const row = page.locator('[data-testid="backup-row"]').filter({ hasText: "scheduled" });
          await expect(row).toHaveCount(1, { timeout: 1000 });
          await expect(row.getByTestId("backup-verified")).toHaveText("✓ verified", { timeout: 1000 });
        }).toPass({ timeout: 150_000, intervals: [3000] });
        expect(Date.now() - startedAt).toBeLessThan(150_000);
        // What the page says is what the folder holds: one scheduled file, catalogued verified
        // by the scheduler, of this engine, and in the audit trail.
        const [file] = scheduled();
        expect(file).toMatch(instance.engine === "sqlite" ? /\.sqlite3$/ : /\.dump$/);
        const record = JSON.parse(readFileSync(join(backups, ".catalogue", `${file}.json`), "utf8")) as {
          verified: boolean;
        };
        expect(record.verified).toBe(true);
        const audit = readFileSync(join(backups, "audit.jsonl"), "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { action: string; result: string; file?: string });
        expect(audit).toContainEqual(expect.objectContaining({ action: "backup", result: "ok", file }));
        await expect(page.getByTestId("last-verified-backup")).toContainText(file!);
        await context.close();
      }),
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    const pgInstance = list.find((i) => i.engine === "postgresql");
    if (pgInstance && process.env.WIMM_PG_ADMIN_URL) {
      const admin = new pg.Client({ connectionString: process.env.WIMM_PG_ADMIN_URL });
      await admin.connect();
      try {
        await admin.query(
          `DROP DATABASE IF EXISTS "${new URL(pgInstance.databaseUrl).pathname.slice(1)}" WITH (FORCE)`,
        );
      } finally {
        await admin.end();
      }
    }
  }
});
