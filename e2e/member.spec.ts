import { ADMIN, MEMBER } from "./support/e2e-env.ts";
import { expect, test } from "./support/fixtures.ts";

test("the admin sees Settings with Backup & Restore", async ({ page, loginPage, appShell }) => {
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await expect(appShell.navLink("Settings")).toBeVisible();
  const response = await page.goto("/settings");
  expect(response?.status()).toBe(200);
  await expect(page.getByText("Backup & Restore").first()).toBeVisible();
});

test("a member signs in, has no Settings link, and /settings is a 404 without Backup & Restore", async ({
  page,
  loginPage,
  appShell,
  database,
}) => {
  const maria = await database.one<{ role: string; active: unknown }>(
    "SELECT role, active FROM users WHERE username = ?",
    [MEMBER.username],
  );
  expect(maria.role).toBe("member");

  await loginPage.signIn(MEMBER.username, MEMBER.password);
  await expect(appShell.currentUser).toHaveText(MEMBER.username);
  expect(await appShell.navLinkNames()).toEqual(["Dashboard", "Transactions", "Add transaction", "Accounts"]);
  await expect(appShell.navLink("Settings")).toHaveCount(0);

  const response = await page.goto("/settings");
  expect(response?.status()).toBe(404);
  await expect(page.locator("body")).not.toContainText("Backup & Restore");
  await expect(page.locator("body")).not.toContainText("Download backup");
});

test("a member gets a 404 on the users pages, learning nothing about them, but has an account page", async ({
  page,
  loginPage,
  appShell,
  database,
}) => {
  const admin = await database.one<{ id: unknown }>("SELECT id FROM users WHERE username = ?", [ADMIN.username]);
  await loginPage.signIn(MEMBER.username, MEMBER.password);
  await expect(appShell.navLink("Users")).toHaveCount(0);
  for (const path of ["/users", `/users/${Number(admin.id)}`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.locator("body")).not.toContainText("Add a user");
    await expect(page.locator("body")).not.toContainText("Administrator"); // the admin's display name
  }
  const account = await page.goto("/account");
  expect(account?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Change password" })).toBeVisible();
});
