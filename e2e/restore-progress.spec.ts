/**
 * A restore you can watch (issue 14): a 200,000-transaction SQLite backup migrated onto the
 * PostgreSQL instance through the page. The page follows the restore running on the server
 * by its id; reloaded while the backup is being checked, it finds the same restore again
 * and asks for the migration's confirmation; reloaded in the middle of the copy (the
 * maintenance lock held, every page answering 503), the maintenance page shows the same
 * restore still advancing — phase, rows of the total — and then its result. The database is
 * checked after the UI.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { SettingsPage } from "./pages/settings-page.ts";
import { ADMIN, MEMBER } from "./support/e2e-env.ts";
import { toBigInt } from "./support/database.ts";
import { expect, test } from "./support/fixtures.ts";

const TRANSACTIONS = 200_000;
const work = mkdtempSync(join(tmpdir(), "wimm-e2e-progress-"));
test.afterAll(() => rmSync(work, { recursive: true, force: true }));
const root = join(import.meta.dirname, "..");

type Seen = { phase: string; done: number; total: number | null };

/**
 * Records every state the progress element shows, from now on, in the page itself (a
 * MutationObserver: a poll from the test could miss a short phase).
 */
async function recordProgress(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __seen: Seen[] };
    w.__seen = [];
    const take = () => {
      const el = document.querySelector<HTMLElement>('[data-testid="restore-progress"]');
      if (!el || el.hidden || !el.dataset.phase) return;
      const seen = {
        phase: el.dataset.phase,
        done: Number(el.dataset.done),
        total: el.dataset.total ? Number(el.dataset.total) : null,
      };
      const last = w.__seen.at(-1);
      if (!last || last.phase !== seen.phase || last.done !== seen.done || last.total !== seen.total)
        w.__seen.push(seen);
    };
    new MutationObserver(take).observe(document.body, { subtree: true, childList: true, attributes: true });
    take();
  });
}

const seenSoFar = (page: Page) => page.evaluate(() => (window as unknown as { __seen: Seen[] }).__seen);

const PHASES = ["validate", "lock", "safety-backup", "copy", "indexes", "verify", "finish"];

/** Phases only move forward, and within one the rows done never go back. */
function expectInOrder(seen: Seen[]) {
  for (let i = 1; i < seen.length; i++) {
    const [a, b] = [seen[i - 1]!, seen[i]!];
    expect(PHASES.indexOf(b.phase), `${a.phase} → ${b.phase}`).toBeGreaterThanOrEqual(PHASES.indexOf(a.phase));
    if (a.phase === b.phase) expect(b.done).toBeGreaterThanOrEqual(a.done);
  }
}

/** The phases in the order first seen. */
const phasesOf = (seen: Seen[]) => seen.map((s) => s.phase).filter((p, i, all) => all.indexOf(p) === i);

test("the progress endpoint answers only an id it handed out, and reads no session", async ({ request }) => {
  // No cookie at all: the id is the authorisation. An id never handed out, or not of its
  // shape, is a plain 404 that says nothing else.
  for (const id of ["A".repeat(32), "not-an-id", "", "../../etc/passwd"]) {
    const response = await request.get(`/api/restore/progress?id=${encodeURIComponent(id)}`);
    expect(response.status(), id).toBe(404);
    expect(await response.json()).toEqual({ error: "unknown restore" });
    expect(response.headers()["cache-control"]).toBe("no-store");
  }
});

test("a 200,000-row migration shows its phases and rows; after a reload in the middle the page shows the same restore advancing, then its result", async ({
  page,
  loginPage,
  database,
}) => {
  test.skip(database.engine !== "postgresql", "the migration runs on a PostgreSQL instance");
  test.setTimeout(300_000);

  // The family's SQLite instance, 200,000 transactions, and its backup.
  const env = {
    ...process.env,
    DATABASE_URL: `file:${join(work, "family.sqlite3")}`,
    WIMM_BACKUP_DIR: join(work, "family-backups"),
    WIMM_FAMILY_NAME: "Família Grande",
    WIMM_ADMIN_PASSWORD: ADMIN.password,
    WIMM_MEMBER_PASSWORD: MEMBER.password,
    WIMM_QUIET: "1",
  };
  const wimm = (args: string[]) => execFileSync(join(root, "bin", "wimm"), args, { cwd: root, env, encoding: "utf8" });
  wimm(["seed", "--transactions", String(TRANSACTIONS)]);
  const backup = (JSON.parse(wimm(["backup", "--no-verify"])) as { path: string }).path;

  const settings = new SettingsPage(page);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await settings.goto();

  // The upload says how many bytes it has sent, of the file's size.
  await recordProgress(page);
  const dialog = await settings.askToRestore(backup);
  const uploaded = (await seenSoFar(page)).filter((s) => s.phase === "upload");
  if (process.env.WIMM_E2E_SHOTS) console.log("upload", JSON.stringify(uploaded));
  expect(uploaded.length).toBeGreaterThan(0);
  for (const s of uploaded) expect(s.total).toBe(statSync(backup).size);
  expect(uploaded.at(-1)!.done).toBe(statSync(backup).size);
  // Continue: the restore starts on the server and checks the file before asking to migrate.
  await dialog.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("restore-progress")).toHaveAttribute("data-phase", "validate", { timeout: 30_000 });
  const remembered = await page.evaluate(() => localStorage.getItem("wimm.restore"));
  expect(remembered).toContain('"id"');
  // Reloaded while the backup is checked (no lock yet): the page finds the same restore by
  // its id, and its answer, the migration's question, comes to the reloaded page.
  await page.reload();
  await expect(settings.migrationDialog).toBeVisible({ timeout: 60_000 });

  await recordProgress(page);
  await settings.migrationDialog.getByRole("button", { name: "Migrate" }).click();
  // In the middle of the copy: some rows in, far from all.
  await expect
    .poll(async () => (await seenSoFar(page)).some((s) => s.phase === "copy" && s.done < TRANSACTIONS / 2), {
      timeout: 120_000,
      intervals: [50],
    })
    .toBe(true);
  const beforeReload = await seenSoFar(page);
  if (process.env.WIMM_E2E_SHOTS)
    await page.screenshot({ path: join(process.env.WIMM_E2E_SHOTS, "progress-settings.png") });
  const copy = beforeReload.find((s) => s.phase === "copy")!;
  expect(copy.total).toBeGreaterThan(TRANSACTIONS);
  // The phases so far, in their order, the backup's check among them.
  expect(phasesOf(beforeReload)[0]).toBe("validate");
  expectInOrder(beforeReload);
  await expect(page.getByTestId("restore-time-left")).toBeVisible();

  // Reloaded under the maintenance lock: every page answers 503, and the one that does
  // shows this restore.
  const answer = await page.reload();
  expect(page.url()).toMatch(/\/maintenance$/);
  expect(answer?.status()).toBe(503);
  await recordProgress(page);
  if (process.env.WIMM_E2E_SHOTS)
    await page.screenshot({ path: join(process.env.WIMM_E2E_SHOTS, "progress-maintenance.png") });
  await expect(page.getByTestId("restore-result")).toBeVisible({ timeout: 120_000 });
  if (process.env.WIMM_E2E_SHOTS)
    await page.screenshot({ path: join(process.env.WIMM_E2E_SHOTS, "progress-result.png") });
  const afterReload = await seenSoFar(page);
  if (process.env.WIMM_E2E_SHOTS)
    console.log("before", JSON.stringify(beforeReload), "after", JSON.stringify(afterReload));
  // The same restore, still advancing: phases from where it was, rows never fewer.
  expect(afterReload.length).toBeGreaterThan(0);
  expect(["copy", "indexes", "verify", "finish"]).toContain(afterReload[0]!.phase);
  for (const s of afterReload.filter((s) => s.phase === "copy")) expect(s.done).toBeGreaterThanOrEqual(copy.done);
  expectInOrder(afterReload);
  await expect(page.getByTestId("restore-result")).toHaveAttribute("data-outcome", "done");
  await expect(page.getByTestId("restore-result-title")).toHaveText("Backup restored successfully");
  await expect(page.getByTestId("restore-result")).toContainText("Família Grande");
  await expect(page.getByTestId("restore-result")).toContainText("each balance equal to the backup's");
  expect(await page.evaluate(() => localStorage.getItem("wimm.restore"))).toBeNull();

  // The data is the backup's, every row.
  expect(Number(toBigInt((await database.one<{ n: unknown }>("SELECT count(*) AS n FROM transactions")).n))).toBe(
    TRANSACTIONS,
  );
  expect((await database.one<{ name: string }>("SELECT name FROM families ORDER BY id LIMIT 1")).name).toBe(
    "Família Grande",
  );
  await page.getByRole("link", { name: "Sign in" }).click();
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await expect(page.getByTestId("family-name")).toHaveText("Família Grande");
});
