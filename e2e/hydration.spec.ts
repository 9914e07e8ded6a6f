/**
 * Every page hydrates: what the server rendered is what React renders in the browser. A
 * mismatch (React error #418) makes React throw the server's HTML away and render the whole
 * page afresh, which silently drops what the user did in the meantime: a backup file chosen
 * on the settings page was lost that way ("Choose a backup file first" with the file
 * already chosen), because the browser's ICU named three currencies differently from Node's.
 */
import { ADMIN } from "./support/e2e-env.ts";
import { SettingsPage } from "./pages/settings-page.ts";
import { expect, test } from "./support/fixtures.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";

const PAGES = ["/", "/transactions", "/transactions/new", "/accounts", "/users", "/account", "/settings"];

/** Uncaught page errors and React's console reports, from now on. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|#418|#423|#425/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}

test("every page an admin opens hydrates without a mismatch", async ({ page, loginPage }) => {
  const errors = watchErrors(page);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  for (const path of PAGES) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(errors, `on ${path}`).toEqual([]);
  }
});

test("a backup file chosen while the settings page is still loading is the file the restore asks about", async ({
  page,
  loginPage,
}) => {
  const work = mkdtempSync(join(tmpdir(), "wimm-e2e-early-"));
  try {
    const settings = new SettingsPage(page);
    await loginPage.signIn(ADMIN.username, ADMIN.password);
    await settings.goto();
    const saved = await settings.download(join(work, "backup"));
    const errors = watchErrors(page);
    // As a quick user (or a script) does: choose the file the moment the field exists, before
    // the page has finished loading, then click. Several times, since it is a race.
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.goto("/settings", { waitUntil: "commit" });
      await settings.fileInput.setInputFiles(saved.path);
      await settings.restoreButton.click();
      // Uploaded and previewed first: the confirmation opens on the preview.
      await expect(settings.confirmDialog).toBeVisible({ timeout: 60_000 });
      await expect(page.getByText("Choose a backup file first.")).toHaveCount(0);
      expect(await settings.fileInput.evaluate((el: HTMLInputElement) => el.files?.[0]?.name)).toBe("backup");
      await settings.confirmDialog.getByRole("button", { name: "Cancel" }).click();
      await expect(settings.confirmDialog).toBeHidden();
    }
    expect(errors).toEqual([]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
