/**
 * Off-site copies through the page: a built server of its own with WIMM_OFFSITE_REMOTE set to
 * a local-folder remote (the project servers have none: other specs count the backup folder
 * and time the Download). The Download's kept copy lands on the remote byte for byte and the
 * catalogue says off-site ✓; the admin lists the remote's copies and restores one from the
 * list, through the same preview and confirmation as a chosen file; the database is the
 * backup's again. SQLite only: the copy and the fetch do not depend on the engine, and the
 * CLI tests (tests/offsite-copies.test.ts) cover both.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { LoginPage } from "./pages/login-page.ts";
import { SettingsPage } from "./pages/settings-page.ts";
import { addTransactions } from "./support/add-transactions.ts";
import { ADMIN } from "./support/e2e-env.ts";
import { expect, test } from "./support/fixtures.ts";
import { freePort, startOwnServer, waitUntilUp } from "./support/own-server.ts";

test("a backup's copy lands off-site, is listed from the remote, and restores from the list", async ({
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name !== "sqlite", "one SQLite server of its own; the CLI tests cover both engines");
  test.setTimeout(240_000);
  const workDir = mkdtempSync(join(tmpdir(), "wimm-e2e-offsite-"));
  const remoteDir = join(workDir, "remote");
  mkdirSync(remoteDir);
  const instance = {
    engine: "sqlite" as const,
    port: await freePort(),
    workDir,
    databaseUrl: `file:${join(workDir, "wimm.sqlite3")}`,
  };
  const server = startOwnServer(instance, "Família Externa", { WIMM_OFFSITE_REMOTE: `:local:${remoteDir}` });
  const countTransactions = () => {
    const db = new Database(join(workDir, "wimm.sqlite3"), { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM transactions").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  try {
    await waitUntilUp(server);
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${instance.port}` });
    const page = await context.newPage();
    await new LoginPage(page).signIn(ADMIN.username, ADMIN.password);
    const settings = new SettingsPage(page);
    await settings.goto();

    // The Download's kept copy goes off-site, read back equal; the catalogue says so.
    const saved = await settings.download(join(workDir, "downloaded.sqlite3"));
    expect(readFileSync(join(remoteDir, saved.name)).equals(readFileSync(saved.path))).toBe(true);
    await settings.goto();
    await expect(settings.catalogueRow(saved.name).getByTestId("backup-offsite")).toHaveAttribute("data-ok", "true");
    // The off-site line leaves the row's actions in the card (no sideways scroll hides Delete).
    const catalogue = settings.section.locator('[data-slot="table-container"]').first();
    expect(await catalogue.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);

    // Three transactions after the backup; the off-site copy would take them away.
    const before = countTransactions();
    await addTransactions(instance.databaseUrl, 3, "after the off-site copy");
    expect(countTransactions()).toBe(before + 3);

    const offsite = page.getByTestId("offsite-copies");
    await offsite.getByRole("button", { name: "List the off-site copies" }).click();
    const row = offsite.locator(`[data-testid="offsite-row"][data-file="${saved.name}"]`);
    await expect(row).toContainText("verified when made");
    await row.getByRole("button", { name: "Restore" }).click();
    await expect(settings.confirmDialog).toBeVisible({ timeout: 60_000 });
    await expect(settings.confirmDialog).toContainText(saved.name);
    await expect(settings.lost).toContainText(
      "3 transactions, 0 accounts, 0 users entered since this backup will be lost.",
    );
    await settings.confirmDialog.getByRole("button", { name: "Continue" }).click();
    await expect(settings.success).toBeVisible({ timeout: 120_000 });
    expect(countTransactions()).toBe(before);
    await context.close();
  } finally {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
});
