import { ADMIN } from "./support/e2e-env.ts";
import { expect, test } from "./support/fixtures.ts";

const sessionsOf = async (db: { one<T>(sql: string, p?: unknown[]): Promise<T> }, username: string) =>
  Number(
    (
      await db.one<{ n: unknown }>(
        "SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ?",
        [username],
      )
    ).n,
  );

test("a wrong password is refused; the right one opens the dashboard and starts one session", async ({
  page,
  loginPage,
  appShell,
  database,
}) => {
  const before = await sessionsOf(database, ADMIN.username);

  await loginPage.goto();
  await loginPage.fill(ADMIN.username, "not-the-password");
  await expect(loginPage.error("Invalid username or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  expect(await sessionsOf(database, ADMIN.username)).toBe(before);

  await loginPage.fill(ADMIN.username, ADMIN.password);
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  await expect(appShell.currentUser).toHaveText(ADMIN.username);
  expect(await appShell.navLinkNames()).toEqual([
    "Dashboard",
    "Transactions",
    "Add transaction",
    "Accounts",
    "Users",
    "Settings",
  ]);
  expect(await sessionsOf(database, ADMIN.username)).toBe(before + 1);

  // The session lives in an HTTP-only cookie.
  const cookie = (await page.context().cookies()).find((c) => c.name === "wimm_session");
  expect(cookie?.httpOnly).toBe(true);
});

test("signing out ends the session: back to /login, and / redirects there", async ({
  page,
  loginPage,
  appShell,
  database,
}) => {
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const signedIn = await sessionsOf(database, ADMIN.username);
  const cookie = (await page.context().cookies()).find((c) => c.name === "wimm_session");
  expect(cookie).toBeDefined();

  await appShell.signOut();
  expect(await sessionsOf(database, ADMIN.username)).toBe(signedIn - 1);

  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);

  // The old cookie, replayed, opens nothing: its session row is gone.
  await page.context().addCookies([cookie!]);
  await page.goto("/transactions");
  await expect(page).toHaveURL(/\/login$/);
});
