import { readFileSync } from "node:fs";
import { expect, type Locator, type Page } from "@playwright/test";

/** /settings → Backup & Restore: download, the file input, the two dialogs (the first with the preview), the outcome. */
export class SettingsPage {
  readonly section: Locator;
  readonly downloadButton: Locator;
  readonly backupFailure: Locator;
  readonly fileInput: Locator;
  readonly restoreButton: Locator;
  readonly confirmDialog: Locator;
  readonly migrationDialog: Locator;
  /** In the confirmation: what the restore would take away, and the CSV of those transactions. */
  readonly lost: Locator;
  readonly lostCsv: Locator;
  readonly success: Locator;
  readonly failure: Locator;

  constructor(readonly page: Page) {
    this.section = page.locator("#backup-restore");
    this.downloadButton = this.section.getByRole("button", { name: "Download backup" });
    this.backupFailure = page.getByTestId("backup-failed");
    this.fileInput = this.section.getByLabel("Backup file");
    this.restoreButton = this.section.getByRole("button", { name: "Restore backup" });
    this.confirmDialog = page.getByRole("alertdialog", { name: "Replace all current data?" });
    this.migrationDialog = page.getByRole("alertdialog", { name: /Migrate this SQLite backup to PostgreSQL/ });
    this.lost = this.confirmDialog.getByTestId("restore-lost");
    this.lostCsv = this.confirmDialog.getByTestId("restore-lost-csv");
    this.success = page.getByTestId("restore-success");
    this.failure = page.getByTestId("restore-failed");
  }

  async goto() {
    await this.page.goto("/settings");
    await expect(this.page.getByRole("heading", { name: "Backup & Restore" })).toBeVisible();
  }

  /** Clicks Download backup (a form POST) and saves the file; returns its path and suggested name. */
  async download(saveAs: string): Promise<{ path: string; name: string }> {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.downloadButton.click()]);
    await download.saveAs(saveAs);
    return { path: saveAs, name: download.suggestedFilename() };
  }

  /** The catalogue's row for one backup file. */
  catalogueRow(file: string): Locator {
    return this.page.locator(`[data-testid="backup-row"][data-file="${file}"]`);
  }

  /** Clicks Restore on a catalogue row; returns the confirmation dialog, open on the preview. */
  async askToRestoreFromCatalogue(file: string): Promise<Locator> {
    await this.catalogueRow(file).getByRole("button", { name: "Restore" }).click();
    await expect(this.confirmDialog).toBeVisible({ timeout: 60_000 });
    await expect(this.confirmDialog).toContainText(file);
    await expect(this.confirmDialog).toContainText("strongly recommend downloading a backup first");
    return this.confirmDialog;
  }

  /** Chooses the file and clicks Restore backup: it is uploaded and previewed (or refused). */
  async chooseBackup(file: string) {
    await this.fileInput.setInputFiles(file);
    await this.restoreButton.click();
  }

  /** Chooses the file and waits for the confirmation, open on the preview; returns it. */
  async askToRestore(file: string): Promise<Locator> {
    await this.chooseBackup(file);
    await expect(this.confirmDialog).toBeVisible({ timeout: 60_000 });
    await expect(this.confirmDialog).toContainText("strongly recommend downloading a backup first");
    await expect(this.confirmDialog.getByTestId("preview-family")).toBeVisible();
    return this.confirmDialog;
  }

  /** Chooses the file, clicks Restore backup and answers the confirmation (after the preview) with Continue. */
  async startRestore(file: string) {
    await (await this.askToRestore(file)).getByRole("button", { name: "Continue" }).click();
  }

  /** Downloads the preview's CSV of the transactions a restore would take away; returns its text. */
  async downloadLostCsv(saveAs: string): Promise<string> {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.lostCsv.click()]);
    await download.saveAs(saveAs);
    return readFileSync(saveAs, "utf8");
  }
}
