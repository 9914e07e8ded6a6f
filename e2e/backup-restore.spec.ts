/**
 * Backup & Restore as an admin uses it, on each engine: download a backup, change the data,
 * restore the backup, see the preview, land on /login, sign in, the change is gone. Plus the
 * refusal of a PostgreSQL dump on SQLite, and the SQLite → PostgreSQL migration dialog
 * (Cancel changes nothing; Migrate migrates, and the family signs in to its data). The
 * schedule and retention forms (the settings file checked on disk), and the admins' banner
 * for a failed scheduled backup. The database is checked after the UI every time.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { get, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addTransactions } from "./support/add-transactions.ts";
import { detectBackupType } from "../lib/backup-restore/inspect/detect-backup-type.ts";
import { parseBackupFilename } from "../lib/backup-restore/backups/parse-backup-filename.ts";
import { recordScheduledBackup } from "../lib/backup-restore/schedule/scheduled-backup-status.ts";
import { AppShell } from "./pages/app-shell.ts";
import { SettingsPage } from "./pages/settings-page.ts";
import { ADMIN, MEMBER, e2eServers } from "./support/e2e-env.ts";
import { toBigInt } from "./support/database.ts";
import { expect, test } from "./support/fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "wimm-e2e-files-"));
test.afterAll(() => rmSync(work, { recursive: true, force: true }));
const root = join(import.meta.dirname, "..");

const count = async (
  db: { one: <T>(sql: string, params?: unknown[]) => Promise<T> },
  sql: string,
  params: unknown[] = [],
) => Number(toBigInt((await db.one<{ n: unknown }>(sql, params)).n));

test("download a backup, add a transaction, restore the backup: the transaction is gone and everyone signs in again", async ({
  page,
  loginPage,
  newTransactionPage,
  database,
}, testInfo) => {
  const settings = new SettingsPage(page);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();
  await expect(settings.section).toContainText("password hashes");

  // The button posts a form; the file saved is the one backup it made, byte for byte the copy
  // kept in the backup folder, and a real backup of this engine (restored below).
  const backups = join(e2eServers().find((s) => s.engine === database.engine)!.workDir, "backups");
  // Backup files only: the folder also holds the catalogue's records and the audit trail.
  const backupFiles = () => (existsSync(backups) ? readdirSync(backups).filter((n) => parseBackupFilename(n)) : []);
  const keptBefore = backupFiles();
  const saved = await settings.download(join(work, `backup-${testInfo.project.name}`));
  expect(saved.name).toMatch(database.engine === "sqlite" ? /^wimm-.*\.sqlite3$/ : /^wimm-.*\.dump$/);
  expect(saved.name).toMatch(/^wimm-manual-/);
  expect(backupFiles().filter((n) => !keptBefore.includes(n))).toEqual([saved.name]);
  // Catalogued as verified, and in the audit trail, with its SHA-256.
  const record = JSON.parse(readFileSync(join(backups, ".catalogue", `${saved.name}.json`), "utf8")) as {
    verified: boolean;
    actor: string;
  };
  expect(record).toMatchObject({ verified: true, actor: ADMIN.username });
  const audit = readFileSync(join(backups, "audit.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(audit.at(-1)).toMatchObject({ action: "backup", result: "ok", actor: ADMIN.username, file: saved.name });
  // The page and the health check both know it as the last verified backup.
  await settings.goto();
  await expect(page.getByTestId("last-verified-backup")).toContainText(`Last verified backup:`);
  await expect(page.getByTestId("last-verified-backup")).toContainText(saved.name);
  const row = page.locator(`[data-testid="backup-row"][data-file="${saved.name}"]`);
  await expect(row.getByTestId("backup-verified")).toHaveText("✓ verified");
  await expect(row).toContainText(`by hand · ${ADMIN.username}`);
  const health = await page.request.get("/api/health");
  expect(health.status()).toBe(200);
  const status = (await health.json()) as {
    ok: boolean;
    engine: string;
    schemaVersion: number;
    backupAgeSeconds: number;
  };
  expect(status).toMatchObject({ ok: true, engine: database.engine, schemaVersion: 2 });
  expect(status.backupAgeSeconds).toBeLessThan(300);
  const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
  expect(sha256(saved.path)).toBe(sha256(join(backups, saved.name)));
  const magic = readFileSync(saved.path).subarray(0, 16);
  if (database.engine === "sqlite") expect(magic.toString("latin1")).toBe("SQLite format 3\0");
  else expect(magic.subarray(0, 5).toString("latin1")).toBe("PGDMP");
  expect(detectBackupType(saved.path)).toBe(database.engine === "sqlite" ? "sqlite" : "postgresql");
  const transactionsInBackup = await count(database, "SELECT count(*) AS n FROM transactions");

  const description = `Added after the backup ${Date.now()} ✓`;
  await newTransactionPage.goto();
  await newTransactionPage.add({
    account: "Carteira 👛",
    category: "Lazer",
    amount: "-12,34",
    description,
    date: "2025-06-01",
  });
  await expect(page).toHaveURL("/");
  expect(await count(database, "SELECT count(*) AS n FROM transactions WHERE description = ?", [description])).toBe(1);

  await settings.goto();
  await settings.startRestore(saved.path);
  await expect(settings.success).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("restored-family")).toHaveText(`E2E family (${database.engine})`);
  await expect(page.getByTestId("restored-users")).toContainText(`${ADMIN.username} (admin)`);
  await expect(page.getByTestId("restored-users")).toContainText(`${MEMBER.username} (member)`);
  // Every account's balance checked against the backup's own rows before commit.
  const accounts = await count(database, "SELECT count(*) AS n FROM accounts");
  await expect(page.getByTestId("restore-money")).toHaveText(
    `${accounts} accounts, each balance equal to the backup's.`,
  );
  await expect(page).toHaveURL(/\/login\?restored=1$/, { timeout: 15_000 });
  await expect(page.getByText("The backup was restored. Please sign in again.")).toBeVisible();

  // The data is the backup's; every session ended.
  expect(await count(database, "SELECT count(*) AS n FROM transactions WHERE description = ?", [description])).toBe(0);
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(transactionsInBackup);
  expect(await count(database, "SELECT count(*) AS n FROM sessions")).toBe(0);
  await page.goto("/");
  await expect(page).toHaveURL("/login");

  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await page.goto("/transactions");
  await expect(page.getByText(description)).toHaveCount(0);
  await settings.goto();
  await expect(page.getByTestId("last-restore-event")).toContainText("restored");
});

test("a backup restores straight from the catalogue, with the same dialog and no upload; the safety backup it took undoes it the same way", async ({
  page,
  loginPage,
  newTransactionPage,
  database,
}, testInfo) => {
  const settings = new SettingsPage(page);
  const backups = join(e2eServers().find((s) => s.engine === database.engine)!.workDir, "backups");
  const backupFiles = () => readdirSync(backups).filter((n) => parseBackupFilename(n));
  const uploads: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/restore/upload")) uploads.push(request.url());
  });
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();
  const saved = await settings.download(join(work, `catalogue-${testInfo.project.name}`));
  const inBackup = await count(database, "SELECT count(*) AS n FROM transactions");

  const description = `Added after the catalogued backup ${Date.now()}`;
  await newTransactionPage.goto();
  await newTransactionPage.add({
    account: "Carteira 👛",
    category: "Lazer",
    amount: "-7,00",
    description,
    date: "2025-06-02",
  });
  await expect(page).toHaveURL("/");
  const withAdded = await count(database, "SELECT count(*) AS n FROM transactions");
  expect(withAdded).toBe(inBackup + 1);

  await settings.goto();
  // Every action of a row fits in the card: the list never hides its buttons behind a
  // sideways scroll (it once did, Delete cut off at the card's edge).
  const catalogue = settings.section.locator('[data-slot="table-container"]');
  expect(await catalogue.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  const row = settings.catalogueRow(saved.name);
  for (const name of ["Download", "Restore", "Delete"])
    await expect(row.getByText(name, { exact: true })).toBeVisible();
  // Cancel changes nothing.
  const dialog = await settings.askToRestoreFromCatalogue(saved.name);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(withAdded);

  const before = backupFiles();
  await (await settings.askToRestoreFromCatalogue(saved.name)).getByRole("button", { name: "Continue" }).click();
  await expect(settings.success).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("restored-family")).toHaveText(`E2E family (${database.engine})`);
  await expect(page).toHaveURL(/\/login\?restored=1$/, { timeout: 15_000 });
  expect(uploads).toEqual([]);
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(inBackup);
  expect(await count(database, "SELECT count(*) AS n FROM transactions WHERE description = ?", [description])).toBe(0);
  // The backup restored is still there, untouched; the restore's safety copy is beside it.
  expect(existsSync(join(backups, saved.name))).toBe(true);
  const safety = backupFiles().filter((n) => !before.includes(n));
  expect(safety).toHaveLength(1);
  expect(parseBackupFilename(safety[0]!)?.trigger).toBe("pre-restore");
  const audit = readFileSync(join(backups, "audit.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { action: string; result: string; file?: string; actor: string });
  expect(audit.filter((e) => e.action === "restore").at(-1)).toMatchObject({
    result: "ok",
    file: saved.name,
    actor: ADMIN.username,
  });

  // Changed one's mind: the safety backup, restored from the list, brings the transaction back.
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();
  await settings.catalogueRow(safety[0]!).scrollIntoViewIfNeeded();
  expect(await catalogue.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  await (await settings.askToRestoreFromCatalogue(safety[0]!)).getByRole("button", { name: "Continue" }).click();
  await expect(settings.success).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(/\/login\?restored=1$/, { timeout: 15_000 });
  expect(await count(database, "SELECT count(*) AS n FROM transactions WHERE description = ?", [description])).toBe(1);
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(withAdded);
  expect(uploads).toEqual([]);

  // A file that left the folder after the page listed it is refused, and nothing changes.
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();
  const gone = join(work, `gone-${testInfo.project.name}`);
  renameSync(join(backups, saved.name), gone);
  try {
    // Refused at the preview, before any confirmation.
    await settings.catalogueRow(saved.name).getByRole("button", { name: "Restore" }).click();
    await expect(settings.failure).toBeVisible({ timeout: 30_000 });
    await expect(settings.confirmDialog).toBeHidden();
    await expect(page.getByTestId("restore-error")).toHaveText("That backup is no longer in the backup folder.");
    expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(withAdded);
    expect(await count(database, "SELECT count(*) AS n FROM sessions")).toBeGreaterThan(0);
  } finally {
    renameSync(gone, join(backups, saved.name));
  }
});

test("before a restore, the preview says what would be lost, and its CSV holds exactly those rows; Cancel changes nothing, Continue restores — for a chosen file and from the catalogue", async ({
  page,
  loginPage,
  database,
}, testInfo) => {
  const server = e2eServers().find((s) => s.engine === database.engine)!;
  const uploadsLeft = () =>
    existsSync(join(server.workDir, "uploads"))
      ? readdirSync(join(server.workDir, "uploads")).filter((n) => n.endsWith(".upload"))
      : [];
  const settings = new SettingsPage(page);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();
  const saved = await settings.download(join(work, `preview-${testInfo.project.name}`));
  const inBackup = await count(database, "SELECT count(*) AS n FROM transactions");

  /** 37 transactions after the backup, straight into the database; their ids and descriptions. */
  async function addSince(tag: string) {
    const description = `Since the backup ${tag} ${Date.now()}`;
    await addTransactions(server.databaseUrl, 37, description);
    const rows = await database.rows<{ id: unknown; description: string }>(
      "SELECT id, description FROM transactions WHERE description LIKE ? ORDER BY id",
      [`${description} %`],
    );
    expect(rows).toHaveLength(37);
    return rows.map((r) => `${Number(toBigInt(r.id))} ${r.description}`);
  }
  /** The CSV's rows as "id description" (columns: date, description, …, ID, Status), all marked lost. */
  function csvRows(text: string) {
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...lines] = text.slice(1).trimEnd().split("\r\n");
    expect(header).toBe("Date,Description,Account,Category,Amount,Reconciled,ID,Status");
    return lines.map((line) => {
      const fields = line.split(",");
      expect(fields.at(-1)).toBe("lost");
      return `${fields.at(-2)} ${fields[1]}`;
    });
  }
  const lostText = "37 transactions, 0 accounts, 0 users entered since this backup will be lost.";

  // A chosen file: uploaded, previewed, and the dialog says what it would take away.
  const added = await addSince("file");
  await settings.goto();
  const dialog = await settings.askToRestore(saved.path);
  await expect(settings.lost).toHaveText(lostText);
  await expect(dialog.getByTestId("preview-family")).toHaveText(`E2E family (${database.engine})`);
  await expect(dialog.getByTestId("preview-users")).toContainText(`${ADMIN.username} (admin)`);
  await expect(dialog.getByTestId("preview-schema")).toHaveText("Schema version 2.");
  await expect(dialog.getByTestId("preview-created")).toBeVisible();
  const txRow = dialog.getByTestId("preview-tables").locator('[data-table="transactions"]');
  await expect(txRow).toHaveText(`transactions${inBackup.toLocaleString("en")}${(inBackup + 37).toLocaleString("en")}`);
  expect(csvRows(await settings.downloadLostCsv(join(work, `lost-file-${testInfo.project.name}.csv`)))).toEqual(added);
  // Cancel: nothing changed, and the upload is gone.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(inBackup + 37);
  await expect.poll(uploadsLeft).toEqual([]);
  // Continue restores the upload the preview read: the 37 are gone.
  const uploads: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/restore/upload")) uploads.push(request.url());
  });
  await settings.startRestore(saved.path);
  await expect(settings.success).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(/\/login\?restored=1$/, { timeout: 15_000 });
  expect(uploads).toHaveLength(1);
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(inBackup);
  expect(
    await count(database, "SELECT count(*) AS n FROM transactions WHERE description LIKE 'Since the backup file %'"),
  ).toBe(0);
  expect(uploadsLeft()).toEqual([]);

  // The same from the catalogue's row, with no upload at all.
  uploads.length = 0;
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const again = await addSince("catalogue");
  await settings.goto();
  const fromList = await settings.askToRestoreFromCatalogue(saved.name);
  await expect(settings.lost).toHaveText(lostText);
  expect(csvRows(await settings.downloadLostCsv(join(work, `lost-list-${testInfo.project.name}.csv`)))).toEqual(again);
  await fromList.getByRole("button", { name: "Cancel" }).click();
  await expect(fromList).toBeHidden();
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(inBackup + 37);
  await (await settings.askToRestoreFromCatalogue(saved.name)).getByRole("button", { name: "Continue" }).click();
  await expect(settings.success).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(/\/login\?restored=1$/, { timeout: 15_000 });
  expect(uploads).toEqual([]);
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(inBackup);
  // Signed in again for the tests after this one.
  await loginPage.signIn(ADMIN.username, ADMIN.password);
});

test("a backup made by schema 1 restores through the page, upgraded on the way in, and says so; then the family's own backup puts everything back", async ({
  page,
  loginPage,
  database,
}, testInfo) => {
  const settings = new SettingsPage(page);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();
  const own = await settings.download(join(work, `before-fixture-${testInfo.project.name}`));
  const transactionsBefore = await count(database, "SELECT count(*) AS n FROM transactions");

  // The frozen schema-1 fixture of this engine (tests/fixtures/backups/schema-1), as a copy.
  const name = database.engine === "sqlite" ? "family.sqlite3" : "family.dump";
  const fixture = join(work, `schema-1-${name}`);
  writeFileSync(fixture, readFileSync(join(root, "tests", "fixtures", "backups", "schema-1", name)));
  await settings.startRestore(fixture);
  await expect(settings.success).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("restored-family")).toHaveText("Família São João");
  await expect(page.getByTestId("restored-users")).toContainText("zoe.nunez (admin)");
  await expect(page.getByTestId("restore-upgraded")).toHaveText(
    "Made by schema 1, upgraded to schema 2 on the way in; every row was checked before and after the upgrade.",
  );
  await expect(page).toHaveURL(/\/login\?restored=1$/, { timeout: 15_000 });

  // The database: the fixture's family at schema 2, its time zone moved out of app_meta.
  expect(await database.one<{ value: string }>("SELECT value FROM app_meta WHERE key = 'schema_version'")).toEqual({
    value: "2",
  });
  expect(await database.one<{ time_zone: string }>("SELECT time_zone FROM families")).toEqual({
    time_zone: "Asia/Kathmandu",
  });
  expect(await count(database, "SELECT count(*) AS n FROM app_meta WHERE key = 'family_time_zone'")).toBe(0);
  expect(await count(database, "SELECT count(*) AS n FROM sessions")).toBe(0);

  // The fixture's admin signs in; a search without accents finds the accented description,
  // through the search text the restore computed.
  await loginPage.signIn("admin", "fixture-admin-1");
  await page.goto("/transactions?q=FARMACIA%20drogasil");
  await expect(page.getByText("Farmácia Drogasil 💊").first()).toBeVisible();

  // The family's own backup (schema 2, no upgrade) puts the e2e data back for the tests after this one.
  await settings.goto();
  await settings.startRestore(own.path);
  await expect(settings.success).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("restore-upgraded")).toHaveCount(0);
  await expect(page).toHaveURL(/\/login\?restored=1$/, { timeout: 15_000 });
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(transactionsBefore);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await expect(page).toHaveURL("/");
});

test("the backup schedule and retention are set on the page: bad values are refused beside their fields, each saved without resetting the other", async ({
  page,
  loginPage,
  database,
}) => {
  const settings = new SettingsPage(page);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();
  const backups = join(e2eServers().find((s) => s.engine === database.engine)!.workDir, "backups");
  const settingsFile = () => JSON.parse(readFileSync(join(backups, "backup-settings.json"), "utf8")) as unknown;
  const field = page.getByLabel("Backup schedule (a cron expression, or off)");
  await field.fill("every night");
  await page.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByText("Not a cron expression this app can read")).toBeVisible();
  await field.fill("30 4 * * *");
  await page.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByText("Schedule saved.")).toBeVisible();
  await expect(page.getByTestId("backup-schedule-next")).toContainText("Next scheduled backup:");
  // No retention saved yet: the file holds the schedule alone (retention is still the environment's).
  expect(settingsFile()).toEqual({ schedule: "30 4 * * *" });

  // Retention: the defaults in words; out-of-bounds numbers refused beside their own fields.
  const summary = page.getByTestId("retention-summary");
  await expect(summary).toContainText("every backup of the last 24 hours");
  await expect(summary).toContainText("for the last 7 days, 4 weeks and 12 months");
  await page.getByLabel("Daily backups kept").fill("0");
  await page.getByLabel("Weekly backups kept").fill("2.5");
  await page.getByLabel("Keep safety backups for (days)").fill("3");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.locator("#backup-retention-daily-error")).toHaveText("At least 1.");
  await expect(page.locator("#backup-retention-weekly-error")).toHaveText("Enter a whole number.");
  await expect(page.locator("#backup-retention-safetyDays-error")).toHaveText("At least 7.");
  await expect(page.getByLabel("Daily backups kept")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#backup-retention-keepAllHours-error")).toBeEmpty();
  expect(settingsFile()).toEqual({ schedule: "30 4 * * *" });
  const policy = { keepAllHours: 48, daily: 10, weekly: 6, monthly: 0, safetyDays: 60 };
  await page.getByLabel("Keep every backup for (hours)").fill("48");
  await page.getByLabel("Daily backups kept").fill("10");
  await page.getByLabel("Weekly backups kept").fill("6");
  await page.getByLabel("Monthly backups kept").fill("0");
  await page.getByLabel("Keep safety backups for (days)").fill("60");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Retention saved.")).toBeVisible();
  await expect(summary).toContainText("every backup of the last 48 hours");
  await expect(summary).toContainText("for the last 10 days, 6 weeks and no months");
  await expect(summary).toContainText("for at least 60 days");
  // The file on disk: the schedule kept, the policy beside it, still private.
  expect(settingsFile()).toEqual({ schedule: "30 4 * * *", retention: policy });
  expect(statSync(join(backups, "backup-settings.json")).mode & 0o777).toBe(0o600);

  // Back to off, as the other specs expect (the server started with WIMM_BACKUP_SCHEDULE=off):
  // the retention saved stays as it is.
  await page.getByLabel("Backup schedule (a cron expression, or off)").fill("off");
  await page.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByTestId("backup-schedule-next")).toHaveText("Scheduled backups are off.");
  expect(settingsFile()).toEqual({ schedule: "off", retention: policy });
  // And the default policy back, for the specs after this one.
  await page.reload();
  await expect(page.getByLabel("Keep every backup for (hours)")).toHaveValue("48");
  await page.getByLabel("Keep every backup for (hours)").fill("24");
  await page.getByLabel("Daily backups kept").fill("7");
  await page.getByLabel("Weekly backups kept").fill("4");
  await page.getByLabel("Monthly backups kept").fill("12");
  await page.getByLabel("Keep safety backups for (days)").fill("30");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Retention saved.")).toBeVisible();
  expect(settingsFile()).toEqual({
    schedule: "off",
    retention: { keepAllHours: 24, daily: 7, weekly: 4, monthly: 12, safetyDays: 30 },
  });
});

test("a bad file is refused with the error and its details shown apart; the page stays usable", async ({
  page,
  loginPage,
  database,
}) => {
  const settings = new SettingsPage(page);
  const before = await count(database, "SELECT count(*) AS n FROM transactions");
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();

  if (database.engine === "sqlite") {
    // A PostgreSQL dump on a SQLite instance.
    const dump = join(work, "from-postgres.dump");
    writeFileSync(dump, Buffer.concat([Buffer.from("PGDMP"), Buffer.from([1, 14, 0, 4, 8, 1, 1]), Buffer.alloc(64)]));
    await settings.chooseBackup(dump);
    await expect(page.getByTestId("restore-error")).toHaveText(
      "Cannot restore a PostgreSQL backup to a SQLite database",
    );
    await expect(page.getByTestId("restore-details")).toContainText("can only be restored into PostgreSQL");
  } else {
    const png = join(work, "photo.sqlite3");
    writeFileSync(png, Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(256, 1)]));
    await settings.chooseBackup(png);
    await expect(page.getByTestId("restore-error")).toHaveText("This file is not a backup WIMM-Finance can restore");
    await expect(page.getByTestId("restore-details")).toContainText("Accepted files");
  }
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(before);
  // The uploaded file was removed with the refusal.
  const uploads = join(e2eServers().find((s) => s.engine === database.engine)!.workDir, "uploads");
  expect(readdirSync(uploads).filter((n) => n.endsWith(".upload"))).toEqual([]);
  // Still signed in, still usable.
  await expect(settings.restoreButton).toBeEnabled();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
});

test("a refused backup is shown beside the button; the page stays and no file is made", async ({
  page,
  loginPage,
  database,
}) => {
  const settings = new SettingsPage(page);
  const backups = join(e2eServers().find((s) => s.engine === database.engine)!.workDir, "backups");
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();
  // Signed out in another tab: the form's POST now carries no session and is refused (401).
  const other = await page.context().newPage();
  await other.goto("/");
  await new AppShell(other).signOut();
  await other.close();
  const before = readdirSync(backups);

  await settings.downloadButton.click();
  await expect(settings.backupFailure).toBeVisible();
  await expect(page.getByTestId("backup-error")).toHaveText("Sign in first.");
  await expect(page.getByTestId("backup-details")).toHaveText(
    "The server answered without a backup; see the server log.",
  );
  await expect(page).toHaveURL("/settings");
  expect(readdirSync(backups)).toEqual(before);
});

test("SQLite backup on PostgreSQL: the migration dialog; Cancel changes nothing, Migrate migrates", async ({
  page,
  loginPage,
  database,
}, testInfo) => {
  test.skip(database.engine !== "postgresql", "the migration runs on a PostgreSQL instance");
  const server = e2eServers().find((s) => s.engine === "postgresql")!;

  // The family's SQLite instance, with its own name and data, and its backup.
  const sqliteEnv = {
    ...process.env,
    DATABASE_URL: `file:${join(work, "family.sqlite3")}`,
    WIMM_BACKUP_DIR: join(work, "family-backups"),
    WIMM_FAMILY_NAME: "Família Migrada",
    WIMM_ADMIN_PASSWORD: ADMIN.password,
    WIMM_MEMBER_PASSWORD: MEMBER.password,
    WIMM_QUIET: "1",
  };
  execFileSync(join(root, "bin", "wimm"), ["seed", "--transactions", "750"], { cwd: root, env: sqliteEnv });
  const backup = JSON.parse(
    execFileSync(join(root, "bin", "wimm"), ["backup"], { cwd: root, env: sqliteEnv, encoding: "utf8" }),
  ) as {
    path: string;
  };

  const settings = new SettingsPage(page);
  const before = await count(database, "SELECT count(*) AS n FROM transactions");
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();

  await settings.startRestore(backup.path);
  await expect(settings.migrationDialog).toBeVisible({ timeout: 30_000 });
  await expect(settings.migrationDialog).toContainText("backed up first");
  await expect(settings.migrationDialog).toContainText("dropped");
  await settings.migrationDialog.getByRole("button", { name: "Cancel" }).click();
  await expect(settings.migrationDialog).toBeHidden();
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(before);
  expect((await database.one<{ name: string }>("SELECT name FROM families ORDER BY id LIMIT 1")).name).toBe(
    "E2E family (postgresql)",
  );
  // The uploaded file went with the Cancel.
  await expect
    .poll(() => readdirSync(join(server.workDir, "uploads")).filter((n) => n.endsWith(".upload")))
    .toEqual([]);

  await settings.startRestore(backup.path);
  await expect(settings.migrationDialog).toBeVisible({ timeout: 30_000 });
  await settings.migrationDialog.getByRole("button", { name: "Migrate" }).click();
  await expect(settings.success).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("restored-family")).toHaveText("Família Migrada");
  await expect(page).toHaveURL(/\/login\?restored=1$/, { timeout: 15_000 });

  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(750);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await expect(page.getByTestId("family-name")).toHaveText("Família Migrada");
  await page.goto("/transactions");
  await expect(page.getByTestId("transactions-count")).toContainText("750");
  void testInfo;
});

/** How a response body ended: its last byte and a clean end, or the connection cut first. */
function drain(response: IncomingMessage): Promise<{ bytes: number; complete: boolean; error?: string }> {
  return new Promise((resolve) => {
    let bytes = 0;
    response.on("data", (chunk: Buffer) => (bytes += chunk.length));
    response.on("end", () => resolve({ bytes, complete: response.complete }));
    response.on("error", (error) => resolve({ bytes, complete: response.complete, error: error.message }));
    response.resume();
  });
}

test("a CSV export still downloading when a restore starts is cut off: the response aborts, it never ends clean", async ({
  page,
  loginPage,
  database,
  baseURL,
}, testInfo) => {
  const server = e2eServers().find((s) => s.engine === database.engine)!;
  const settings = new SettingsPage(page);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();
  const backup = await settings.download(join(work, `before-bulk-${testInfo.project.name}`));
  const inBackup = await count(database, "SELECT count(*) AS n FROM transactions");
  // Some 20 MB of CSV: far more than the sockets buffer, so the export is still reading when
  // the restore starts, waiting for this client, which reads nothing until the restore is over.
  await addTransactions(server.databaseUrl, 300_000);
  const cookie = (await page.context().cookies()).find((c) => c.name === "wimm_session")!;
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    get(`${baseURL}/api/transactions.csv`, { headers: { cookie: `wimm_session=${cookie.value}` } }, (res) => {
      res.pause();
      resolve(res);
    }).on("error", reject),
  );
  expect(response.statusCode).toBe(200);
  expect(response.headers["transfer-encoding"]).toBe("chunked");

  await settings.startRestore(backup.path);
  await expect(settings.success).toBeVisible({ timeout: 60_000 });
  const body = await drain(response);
  expect(body.complete, `the export ended cleanly after ${body.bytes} bytes`).toBe(false);
  expect(body.error).toBe("aborted");
  // The restore went through: the bulk rows are gone.
  expect(await count(database, "SELECT count(*) AS n FROM transactions")).toBe(inBackup);
});

test("a failed scheduled backup shows on every page for admins until a later scheduled backup succeeds", async ({
  page,
  loginPage,
  database,
}) => {
  const server = e2eServers().find((s) => s.engine === database.engine)!;
  const backups = join(server.workDir, "backups");
  // The server runs with scheduled backups off: the failure is planted through the scheduler's
  // own record, as a scheduled backup refused for lack of space would leave it.
  recordScheduledBackup(backups, {
    at: new Date().toISOString(),
    ok: false,
    file: null,
    code: "BACKUP_NO_SPACE",
    details: "1024 bytes free, 2048 needed",
  });
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await page.goto("/transactions");
  const failure = page.getByTestId("backup-warning-scheduled-backup");
  await expect(failure).toHaveText(/^The scheduled backup of .+ failed: not enough free disk space\.$/);
  // The raw details (paths, byte counts) stay in the log.
  await expect(page.getByTestId("backup-warning")).not.toContainText("1024 bytes");
  await page.getByTestId("backup-warning").getByRole("link", { name: "Open Backup & Restore" }).click();
  await expect(page).toHaveURL(/\/settings#backup-restore$/);
  const health = async () =>
    ((await (await page.request.get("/api/health")).json()) as { backupFailures: unknown }).backupFailures;
  expect(await health()).toEqual([{ kind: "scheduled-backup", at: expect.any(String), code: "BACKUP_NO_SPACE" }]);

  // A system cron's `wimm backup --scheduled` succeeds: the banner is gone on the next page.
  const cron = execFileSync(join(root, "bin", "wimm"), ["backup", "--scheduled"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: server.databaseUrl, WIMM_BACKUP_DIR: backups, WIMM_QUIET: "1" },
    encoding: "utf8",
  });
  expect(JSON.parse(cron)).toMatchObject({ success: true, trigger: "scheduled", verified: true });
  await page.goto("/transactions");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(failure).toHaveCount(0);
  expect(await health()).toEqual([]);
});
