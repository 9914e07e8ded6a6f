/**
 * Encryption keys as an admin uses them, on each engine: a key pair made in the browser (the
 * private key never sent to the server), its recovery kit downloaded, the public key put in
 * use; a backup downloaded encrypted, which Debian's `age` opens with the kit as it was
 * saved; the reminder to try the key, a wrong key refused, the right one proven (on disk,
 * key-check-status.json); the encrypted download restored from the page with the kit (a wrong
 * key told apart first), and the key removed. The database, the settings and the status files
 * are checked after the UI.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateX25519Identity } from "age-encryption";
import { SettingsPage } from "./pages/settings-page.ts";
import { addTransactions } from "./support/add-transactions.ts";
import { ADMIN, e2eServers } from "./support/e2e-env.ts";
import { expect, test } from "./support/fixtures.ts";

const work = mkdtempSync(join(tmpdir(), "wimm-e2e-keys-"));
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

test("a key pair made in the browser: its kit opens an encrypted download with the age tool, the key is tried, then removed", async ({
  page,
  loginPage,
  database,
}) => {
  test.setTimeout(120_000);
  const server = e2eServers().find((s) => s.engine === database.engine)!;
  const backups = join(server.workDir, "backups");
  const settingsFile = () =>
    JSON.parse(readFileSync(join(backups, "backup-settings.json"), "utf8")) as { recipients?: string[] };
  // Everything the browser sends: the private key must be in none of it.
  const sent: string[] = [];
  page.on("request", (request) => sent.push(`${request.url()} ${request.postData() ?? ""}`));

  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const settings = new SettingsPage(page);
  await settings.goto();
  const keys = page.locator('section[aria-labelledby="backup-encryption-title"]');
  await expect(keys).toContainText("No key yet");

  // The pair is made here; the kit shows the private key, and "Use this key" waits for the
  // admin to say the kit is saved.
  await keys.getByRole("button", { name: "Create a key pair in this browser" }).click();
  const kitText = await keys.getByTestId("kit-text").textContent();
  const identity = /^AGE-SECRET-KEY-1[0-9A-Z]+$/m.exec(kitText ?? "")?.[0];
  const recipient = /public key \/ chave pública: (age1[0-9a-z]+)/.exec(kitText ?? "")?.[1];
  expect(identity).toBeTruthy();
  expect(recipient).toBeTruthy();
  const useKey = keys.getByRole("button", { name: "Use this key" });
  await expect(useKey).toBeDisabled();
  const [kitDownload] = await Promise.all([
    page.waitForEvent("download"),
    keys.getByRole("link", { name: "Download the kit" }).click(),
  ]);
  const kit = join(work, `kit-${database.engine}.txt`);
  await kitDownload.saveAs(kit);
  expect(readFileSync(kit, "utf8")).toBe(kitText);
  await keys.getByLabel("I have saved the recovery kit somewhere other than this server").check();
  await useKey.click();
  await expect(keys.getByTestId("recovery-kit")).toBeHidden();
  await expect(keys.locator(`[data-recipient="${recipient}"]`)).toBeVisible();
  expect(settingsFile().recipients).toEqual([recipient]);

  // Downloaded encrypted: an age file, which the age tool opens with the kit as saved.
  await settings.section.getByLabel("encrypted to the family's keys (.age)").check();
  const saved = await settings.download(join(work, `backup-${database.engine}.age`));
  expect(saved.name).toMatch(
    database.engine === "sqlite" ? /^wimm-manual-.*\.sqlite3\.age$/ : /^wimm-manual-.*\.dump\.age$/,
  );
  expect(readFileSync(saved.path).subarray(0, 21).toString("latin1")).toBe("age-encryption.org/v1");
  const plain = execFileSync("age", ["-d", "-i", kit, saved.path]);
  expect(plain.subarray(0, database.engine === "sqlite" ? 15 : 5).toString("latin1")).toBe(
    database.engine === "sqlite" ? "SQLite format 3" : "PGDMP",
  );
  // Kept beside its plaintext, byte for byte what was downloaded.
  expect(readFileSync(join(backups, saved.name)).equals(readFileSync(saved.path))).toBe(true);

  // Nobody has tried the key yet: the page says so. A wrong key is told apart from the right one.
  await settings.goto();
  await expect(page.getByTestId("key-check-reminder")).toBeVisible();
  const plainName = saved.name.slice(0, -".age".length);
  await expect(settings.catalogueRow(plainName).getByTestId("backup-encrypted")).toHaveText(
    `encrypted to ${recipient!.slice(0, 9)}…${recipient!.slice(-4)}`,
  );
  // The row's extra link (the encrypted copy) still leaves every action in the card.
  const catalogue = settings.section.locator('[data-slot="table-container"]').first();
  expect(await catalogue.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  const tryKey = keys.getByRole("button", { name: "Try the key" });
  await keys.getByLabel("Private key (AGE-SECRET-KEY-1…)").fill(await generateX25519Identity());
  await tryKey.click();
  await expect(keys.getByTestId("try-key-result")).toContainText(`This key does not open ${saved.name}.`);
  expect(existsSync(join(backups, "key-check-status.json"))).toBe(true);
  expect(JSON.parse(readFileSync(join(backups, "key-check-status.json"), "utf8"))).toMatchObject({ ok: false });
  await keys.getByLabel("Recovery kit file").setInputFiles(kit);
  await expect(keys.getByLabel("Private key (AGE-SECRET-KEY-1…)")).toHaveValue(kitText!);
  await tryKey.click();
  await expect(keys.getByTestId("try-key-result")).toHaveText(`This key opens ${saved.name}.`);
  expect(JSON.parse(readFileSync(join(backups, "key-check-status.json"), "utf8"))).toMatchObject({
    ok: true,
    file: saved.name,
    recipient,
    actor: ADMIN.username,
  });
  await settings.goto();
  await expect(page.getByTestId("key-check-reminder")).toBeHidden();
  await expect(page.getByTestId("last-key-check")).toContainText(saved.name);

  // The private key went nowhere: not in a request, not in a file beside the backups.
  expect(sent.filter((s) => s.includes(identity!))).toEqual([]);
  for (const name of readdirSync(backups).filter((n) => n.endsWith(".json") || n.endsWith(".jsonl")))
    expect(readFileSync(join(backups, name), "utf8")).not.toContain(identity!);

  // The encrypted download restores from the page: the key is asked for, a wrong one is
  // told apart, the kit opens it; the data is the backup's again.
  const countTransactions = async () =>
    Number((await database.one<{ n: unknown }>("SELECT count(*) AS n FROM transactions")).n);
  const before = await countTransactions();
  await addTransactions(server.databaseUrl, 5, "after the encrypted backup");
  expect(await countTransactions()).toBe(before + 5);
  await settings.chooseBackup(saved.path);
  const keyDialog = page.getByRole("alertdialog", { name: "This backup is encrypted" });
  await expect(keyDialog).toBeVisible({ timeout: 60_000 });
  await keyDialog.getByLabel("Private key or passphrase").fill(await generateX25519Identity());
  await keyDialog.getByRole("button", { name: "Open the backup" }).click();
  await expect(keyDialog.getByTestId("backup-key-wrong")).toBeVisible({ timeout: 60_000 });
  await keyDialog.getByLabel("Recovery kit or key file").setInputFiles(kit);
  await keyDialog.getByRole("button", { name: "Open the backup" }).click();
  await expect(settings.confirmDialog).toBeVisible({ timeout: 60_000 });
  await expect(settings.lost).toContainText(
    "5 transactions, 0 accounts, 0 users entered since this backup will be lost.",
  );
  await settings.confirmDialog.getByRole("button", { name: "Continue" }).click();
  await expect(settings.success).toBeVisible({ timeout: 120_000 });
  expect(await countTransactions()).toBe(before);
  expect(sent.filter((s) => s.includes(identity!)).length).toBeGreaterThan(0); // the restore's own key, sent on purpose
  await page.waitForURL(/\/login/, { timeout: 30_000 });
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();

  // Removed: nothing to encrypt to any more (and the next specs find the folder as before).
  await keys.locator(`[data-recipient="${recipient}"]`).getByRole("button", { name: "Remove" }).click();
  await expect(keys).toContainText("No key yet");
  expect(settingsFile().recipients).toEqual([]);
  rmSync(join(backups, "key-check-status.json"));
  rmSync(join(backups, saved.name));
});
