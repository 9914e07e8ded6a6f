/**
 * Users admin and passwords, on each engine: an admin adds members (typed or generated
 * password), deactivates one and resets another's password while they are signed in
 * elsewhere, and a user changes their own password. Every "their sessions end" is checked
 * in the database and by replaying the old cookie in a fresh browser context.
 */
import { createHash } from "node:crypto";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { ADMIN } from "./support/e2e-env.ts";
import type { E2eDatabase } from "./support/database.ts";
import { expect, test } from "./support/fixtures.ts";
import { LoginPage } from "./pages/login-page.ts";
import { AccountPage, UsersPage, errorOf } from "./pages/users-page.ts";

test.describe.configure({ mode: "serial" });

const ANA = { username: "ana.e2e", displayName: "Ana Souza", password: "ana-first-password" };
const BRUNO = { username: "bruno_e2e" };
let brunoPassword = "";

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

async function userRow(database: E2eDatabase, username: string) {
  const rows = await database.rows<{ id: unknown; role: string; active: unknown; password_hash: string }>(
    "SELECT id, role, active, password_hash FROM users WHERE username = ?",
    [username],
  );
  if (rows.length !== 1) throw new Error(`expected one user ${username}, found ${rows.length}`);
  const row = rows[0]!;
  return { id: Number(row.id), role: row.role, active: Boolean(Number(row.active)), passwordHash: row.password_hash };
}

async function sessionHashes(database: E2eDatabase, username: string): Promise<string[]> {
  const rows = await database.rows<{ token_hash: string }>(
    "SELECT s.token_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ? ORDER BY s.id",
    [username],
  );
  return rows.map((r) => r.token_hash);
}

async function sessionCookie(context: BrowserContext) {
  const cookie = (await context.cookies()).find((c) => c.name === "wimm_session");
  if (!cookie) throw new Error("no session cookie");
  return cookie;
}

/** Another browser (its own cookies), signed in as `username`. */
async function signInElsewhere(browser: Browser, baseURL: string, username: string, password: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await new LoginPage(page).signIn(username, password);
  return { context, page };
}

/** A fresh browser holding only a copy of `cookie`: is the session behind it still open? */
async function replayCookie(browser: Browser, baseURL: string, cookie: Awaited<ReturnType<typeof sessionCookie>>) {
  const context = await browser.newContext({ baseURL });
  try {
    await context.addCookies([cookie]);
    const page = await context.newPage();
    await page.goto("/transactions");
    return new URL(page.url()).pathname;
  } finally {
    await context.close();
  }
}

async function expectSentToLogin(page: Page) {
  await page.goto("/transactions");
  await expect(page).toHaveURL(/\/login$/);
}

test("an admin adds a member; mistakes and a taken username are shown beside their fields; the member signs in", async ({
  page,
  loginPage,
  appShell,
  database,
}) => {
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await appShell.navLink("Users").click();
  const users = new UsersPage(page);
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  await expect(users.row(ADMIN.username)).toContainText("Admin");

  // A username the rules refuse, and a confirmation that differs: nothing is created.
  await users.username.fill("Ana Souza");
  await users.password.fill(ANA.password);
  await users.confirmPassword.fill(`${ANA.password}!`);
  await users.submit.click();
  await expect(await errorOf(users.username)).toHaveText(
    "Use only lowercase letters, digits, dots (.), dashes (-) and underscores (_).",
  );
  await expect(await errorOf(users.confirmPassword)).toHaveText("The two passwords do not match.");
  await expect(users.username).toHaveValue("Ana Souza"); // kept for correction
  expect(await database.rows("SELECT id FROM users WHERE username LIKE 'ana%'")).toEqual([]);

  await users.add({ ...ANA, role: "member" });
  await expect(users.added).toContainText(`${ANA.username} was added.`);
  await expect(users.generated).toHaveCount(0);
  await expect(users.row(ANA.username)).toContainText("Member");
  await expect(users.row(ANA.username)).toContainText("Active");
  await expect(users.username).toHaveValue(""); // the form is cleared for the next one

  const ana = await database.one<{ role: string; active: unknown; display_name: string; family_id: unknown }>(
    "SELECT role, active, display_name, family_id FROM users WHERE username = ?",
    [ANA.username],
  );
  const admin = await database.one<{ family_id: unknown }>("SELECT family_id FROM users WHERE username = ?", [
    ADMIN.username,
  ]);
  expect(ana).toMatchObject({ role: "member", display_name: ANA.displayName });
  expect(Boolean(Number(ana.active))).toBe(true);
  expect(Number(ana.family_id)).toBe(Number(admin.family_id));
  expect(
    (await database.rows<{ message: string }>("SELECT message FROM events WHERE kind = 'user-added'")).map(
      (e) => e.message,
    ),
  ).toContain(`admin added ${ANA.username} as member`);

  // The same username again: refused beside the field, still one such user.
  await users.add({ username: ANA.username, password: "another-password" });
  await expect(await errorOf(users.username)).toHaveText("That username is already taken. Choose another.");
  expect(await database.rows("SELECT id FROM users WHERE username = ?", [ANA.username])).toHaveLength(1);

  await appShell.signOut();
  await loginPage.signIn(ANA.username, ANA.password);
  await expect(appShell.currentUser).toHaveText(ANA.username);
  expect(await appShell.navLinkNames()).toEqual(["Dashboard", "Transactions", "Add transaction", "Accounts"]);
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
});

test("with the keyboard only, an admin adds a user with a generated password, shown once, that works", async ({
  page,
  loginPage,
  appShell,
  database,
}) => {
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const users = new UsersPage(page);
  await users.goto();

  await users.username.focus();
  await page.keyboard.type(BRUNO.username);
  await page.keyboard.press("Tab");
  await expect(users.displayName).toBeFocused();
  await page.keyboard.type("Bruno");
  await page.keyboard.press("Tab");
  await expect(users.role).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(users.typePassword).toBeFocused();
  await page.keyboard.press("ArrowRight"); // moves to, and checks, "Generate one"
  await expect(users.generatePassword).toBeChecked();
  await expect(users.password).toHaveCount(0);
  await page.keyboard.press("Tab");
  await expect(users.submit).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(users.added).toContainText(`${BRUNO.username} was added.`);
  brunoPassword = (await users.generated.textContent())?.trim() ?? "";
  expect(brunoPassword).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
  const bruno = await userRow(database, BRUNO.username);
  expect(bruno).toMatchObject({ role: "member", active: true });
  expect(bruno.passwordHash).toMatch(/^scrypt\$/);
  expect(bruno.passwordHash).not.toContain(brunoPassword);

  // Shown once: a reload does not show it again.
  await page.reload();
  await expect(users.row(BRUNO.username)).toBeVisible();
  await expect(page.getByText(brunoPassword)).toHaveCount(0);

  await appShell.signOut();
  await loginPage.signIn(BRUNO.username, brunoPassword);
  await expect(appShell.currentUser).toHaveText(BRUNO.username);
  await appShell.signOut();
});

test("deactivating a user signed in elsewhere: that browser lands on /login at its next step, and a copy of its cookie opens nothing", async ({
  page,
  browser,
  baseURL,
  loginPage,
  database,
}) => {
  const elsewhere = await signInElsewhere(browser, baseURL!, ANA.username, ANA.password);
  const stolen = await sessionCookie(elsewhere.context);
  expect(await sessionHashes(database, ANA.username)).toContain(sha256(stolen.value));

  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const users = new UsersPage(page);
  await users.goto();
  const manage = await users.manage(ANA.username);
  await manage.deactivate.click();
  await expect(manage.reactivate).toBeVisible();
  expect(await userRow(database, ANA.username)).toMatchObject({ active: false });
  expect(await sessionHashes(database, ANA.username)).toEqual([]);

  await expectSentToLogin(elsewhere.page);
  expect(await replayCookie(browser, baseURL!, stolen)).toBe("/login");
  // And the password no longer opens a session.
  await elsewhere.page.getByLabel("Username").fill(ANA.username);
  await elsewhere.page.getByLabel("Password").fill(ANA.password);
  await elsewhere.page.getByRole("button", { name: "Sign in" }).click();
  await expect(elsewhere.page.getByText("Invalid username or password.", { exact: true })).toBeVisible();
  expect(await sessionHashes(database, ANA.username)).toEqual([]);
  await elsewhere.context.close();

  // The admin cannot deactivate themself: their own page offers no such button.
  await users.goto();
  await users.manage(ADMIN.username);
  await expect(page.getByRole("button", { name: /^Deactivate/ })).toHaveCount(0);
  await expect(page.getByText("You cannot deactivate your own account.")).toBeVisible();

  // Reactivated, Ana signs in again (the next test needs her).
  await users.goto();
  const again = await users.manage(ANA.username);
  await again.reactivate.click();
  await expect(again.deactivate).toBeVisible();
  expect(await userRow(database, ANA.username)).toMatchObject({ active: true });
});

test("an admin resets a member's password: the member's sessions end, the old password is refused, the new one works", async ({
  page,
  browser,
  baseURL,
  loginPage,
  database,
}) => {
  const elsewhere = await signInElsewhere(browser, baseURL!, BRUNO.username, brunoPassword);
  const stolen = await sessionCookie(elsewhere.context);
  expect(await sessionHashes(database, BRUNO.username)).toEqual([sha256(stolen.value)]);

  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const users = new UsersPage(page);
  await users.goto();
  const manage = await users.manage(BRUNO.username);
  const before = (await userRow(database, BRUNO.username)).passwordHash;

  await manage.newPassword.fill("short");
  await manage.confirmPassword.fill("short");
  await manage.resetPassword.click();
  await expect(await errorOf(manage.newPassword)).toHaveText("Use at least 8 characters.");
  expect((await userRow(database, BRUNO.username)).passwordHash).toBe(before);
  expect(await sessionHashes(database, BRUNO.username)).toHaveLength(1);

  await manage.newPassword.fill("bruno-new-password");
  await manage.confirmPassword.fill("bruno-new-password");
  await manage.resetPassword.click();
  await expect(manage.resetDone).toHaveText(`The password of ${BRUNO.username} was reset. 1 session was ended.`);
  expect((await userRow(database, BRUNO.username)).passwordHash).not.toBe(before);
  expect(await sessionHashes(database, BRUNO.username)).toEqual([]);
  expect(
    (await database.rows<{ message: string }>("SELECT message FROM events WHERE kind = 'user-password-reset'")).map(
      (e) => e.message,
    ),
  ).toContain(`admin reset the password of ${BRUNO.username}; 1 session(s) ended`);

  await expectSentToLogin(elsewhere.page);
  expect(await replayCookie(browser, baseURL!, stolen)).toBe("/login");
  const login = new LoginPage(elsewhere.page);
  await login.fill(BRUNO.username, brunoPassword);
  await expect(login.error("Invalid username or password.")).toBeVisible();
  await login.fill(BRUNO.username, "bruno-new-password");
  await expect(elsewhere.page).toHaveURL("/");
  await elsewhere.context.close();
});

test("changing one's own password: wrong current one refused beside it; then other sessions end, this one gets a new cookie and stays", async ({
  page,
  browser,
  baseURL,
  loginPage,
  appShell,
  database,
}) => {
  const other = await signInElsewhere(browser, baseURL!, ANA.username, ANA.password);
  await loginPage.signIn(ANA.username, ANA.password);
  const oldCookie = await sessionCookie(page.context());
  expect(await sessionHashes(database, ANA.username)).toHaveLength(2);
  const hashBefore = (await userRow(database, ANA.username)).passwordHash;

  await appShell.currentUser.click(); // the header's link to the account page
  await expect(page).toHaveURL("/account");
  const account = new AccountPage(page);

  await account.change("not-my-password", "ana-second-password");
  await expect(await errorOf(account.currentPassword)).toHaveText("That is not your current password.");
  expect((await userRow(database, ANA.username)).passwordHash).toBe(hashBefore);
  expect(await sessionHashes(database, ANA.username)).toHaveLength(2);

  await account.change(ANA.password, "ana-second-password", "ana-second-passworD");
  await expect(await errorOf(account.confirmPassword)).toHaveText("The two passwords do not match.");
  expect((await userRow(database, ANA.username)).passwordHash).toBe(hashBefore);

  await account.change(ANA.password, "ana-second-password");
  await expect(account.done).toHaveText("Your password was changed. Your other session was ended.");
  const newCookie = await sessionCookie(page.context());
  expect(newCookie.value).not.toBe(oldCookie.value);
  // One session left: the one behind this browser's new cookie.
  expect(await sessionHashes(database, ANA.username)).toEqual([sha256(newCookie.value)]);
  expect((await userRow(database, ANA.username)).passwordHash).not.toBe(hashBefore);

  // Still signed in here...
  await page.goto("/transactions");
  await expect(page).toHaveURL("/transactions");
  await expect(appShell.currentUser).toHaveText(ANA.username);
  // ...but not in the other browser, nor with a copy of this browser's old cookie.
  await expectSentToLogin(other.page);
  await other.context.close();
  expect(await replayCookie(browser, baseURL!, oldCookie)).toBe("/login");

  await appShell.signOut();
  await loginPage.fill(ANA.username, ANA.password);
  await expect(loginPage.error("Invalid username or password.")).toBeVisible();
  await loginPage.signIn(ANA.username, "ana-second-password");
});

test("roles: the last admin cannot make themself a member; a promoted member sees the admin pages", async ({
  page,
  browser,
  baseURL,
  loginPage,
  database,
}) => {
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const users = new UsersPage(page);
  await users.goto();
  let manage = await users.manage(ADMIN.username);
  await manage.role.selectOption("member");
  await manage.saveRole.click();
  await expect(manage.roleMessage).toHaveText(
    "The family must keep at least one active admin. Make another user an admin first.",
  );
  await expect(manage.role).toHaveValue("admin");
  expect(await userRow(database, ADMIN.username)).toMatchObject({ role: "admin" });

  await users.goto();
  manage = await users.manage(BRUNO.username);
  await manage.role.selectOption("admin");
  await manage.saveRole.click();
  await expect(manage.roleMessage).toHaveText("Role saved.");
  expect(await userRow(database, BRUNO.username)).toMatchObject({ role: "admin" });
  const bruno = await signInElsewhere(browser, baseURL!, BRUNO.username, "bruno-new-password");
  expect((await bruno.page.goto("/users"))?.status()).toBe(200);

  // Back to member: the open session keeps working, as a member's (the role is read on every request).
  await manage.role.selectOption("member");
  await manage.saveRole.click();
  // The first save's "Role saved." may still be on screen for a moment: wait for the row itself.
  await expect.poll(async () => (await userRow(database, BRUNO.username)).role).toBe("member");
  await expect(manage.roleMessage).toHaveText("Role saved.");
  expect((await bruno.page.goto("/users"))?.status()).toBe(404);
  await bruno.context.close();
});

test("after 5 failed sign-ins for one username the 6th is refused with a clear message; others still sign in", async ({
  page,
  loginPage,
  database,
}) => {
  const username = `nobody-${Date.now()}`;
  await loginPage.goto();
  for (let i = 1; i <= 5; i++) {
    await loginPage.fill(username, `wrong-password-${i}`);
    await expect(loginPage.error("Invalid username or password.")).toBeVisible();
    await page.reload(); // a fresh form, so the next message is this attempt's
  }
  await loginPage.fill(username, "wrong-password-6");
  await expect(loginPage.error("Too many failed sign-ins for this username. Try again in 15 minutes.")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);

  // The limit is that username's: from the same address, the admin signs in.
  const before = (await sessionHashes(database, ADMIN.username)).length;
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  expect(await sessionHashes(database, ADMIN.username)).toHaveLength(before + 1);
});

test("the users and account pages fit a 390 px phone screen", async ({ page, loginPage, database }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const ana = await userRow(database, ANA.username);
  for (const path of ["/users", `/users/${ana.id}`, "/account"]) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(390);
  }
});
