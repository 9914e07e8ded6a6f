import { expect, type Locator, type Page } from "@playwright/test";

/** /settings → Backup & Restore: download, the file input, the two dialogs, the outcome. */
export class SettingsPage {
  readonly section: Locator;
  readonly downloadButton: Locator;
  readonly backupFailure: Locator;
  readonly fileInput: Locator;
  readonly restoreButton: Locator;
  readonly confirmDialog: Locator;
  readonly migrationDialog: Locator;
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

  /** Clicks Restore on a catalogue row; returns the confirmation dialog, open. */
  async askToRestoreFromCatalogue(file: string): Promise<Locator> {
    await this.catalogueRow(file).getByRole("button", { name: "Restore" }).click();
    await expect(this.confirmDialog).toBeVisible();
    await expect(this.confirmDialog).toContainText(file);
    await expect(this.confirmDialog).toContainText("strongly recommend downloading a backup first");
    return this.confirmDialog;
  }

  /** Chooses the file, clicks Restore backup and answers dialog 1 with Continue. */
  async startRestore(file: string) {
    await this.fileInput.setInputFiles(file);
    await this.restoreButton.click();
    await expect(this.confirmDialog).toBeVisible();
    await expect(this.confirmDialog).toContainText("strongly recommend downloading a backup first");
    await this.confirmDialog.getByRole("button", { name: "Continue" }).click();
  }
}
