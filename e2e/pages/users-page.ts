import { expect, type Locator, type Page } from "@playwright/test";

/** /users: the family's users and the "Add a user" form. */
export class UsersPage {
  readonly username: Locator;
  readonly displayName: Locator;
  readonly role: Locator;
  readonly typePassword: Locator;
  readonly generatePassword: Locator;
  readonly password: Locator;
  readonly confirmPassword: Locator;
  readonly submit: Locator;
  readonly added: Locator;
  readonly generated: Locator;

  constructor(readonly page: Page) {
    this.username = page.getByLabel("Username");
    this.displayName = page.getByLabel("Display name");
    this.role = page.getByLabel("Role");
    this.typePassword = page.getByRole("radio", { name: "Type a password" });
    this.generatePassword = page.getByRole("radio", { name: "Generate one" });
    this.password = page.getByLabel("Password", { exact: true });
    this.confirmPassword = page.getByLabel("Repeat the password");
    this.submit = page.getByRole("button", { name: "Add user" });
    this.added = page.getByTestId("user-added");
    this.generated = page.getByTestId("generated-password");
  }

  async goto() {
    await this.page.goto("/users");
    await expect(this.page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  }

  /** Fills and submits the form with a typed password. */
  async add(user: { username: string; displayName?: string; role?: "member" | "admin"; password: string }) {
    await this.username.fill(user.username);
    await this.displayName.fill(user.displayName ?? "");
    await this.role.selectOption(user.role ?? "member");
    await this.typePassword.check();
    await this.password.fill(user.password);
    await this.confirmPassword.fill(user.password);
    await this.submit.click();
  }

  row(username: string): Locator {
    return this.page.getByTestId(`user-${username}`);
  }

  /** Opens the user's page from the list. */
  async manage(username: string): Promise<ManageUserPage> {
    await this.page.getByRole("link", { name: `Manage ${username}`, exact: true }).click();
    const manage = new ManageUserPage(this.page, username);
    await expect(this.page.getByRole("heading", { name: username, level: 1 })).toBeVisible();
    return manage;
  }
}

/** /users/[id]: role, password reset and deactivation of one user. */
export class ManageUserPage {
  readonly role: Locator;
  readonly saveRole: Locator;
  readonly roleMessage: Locator;
  readonly newPassword: Locator;
  readonly confirmPassword: Locator;
  readonly resetPassword: Locator;
  readonly resetDone: Locator;
  readonly deactivate: Locator;
  readonly reactivate: Locator;
  readonly statusMessage: Locator;

  constructor(
    readonly page: Page,
    readonly username: string,
  ) {
    this.role = page.getByLabel(`Role of ${username}`);
    this.saveRole = page.getByRole("button", { name: "Save role" });
    this.roleMessage = page.locator("#user-role-message");
    this.newPassword = page.getByLabel(`New password for ${username}`);
    this.confirmPassword = page.getByLabel("Repeat the new password");
    this.resetPassword = page.getByRole("button", { name: "Reset password" });
    this.resetDone = page.getByTestId("password-reset-done");
    this.deactivate = page.getByRole("button", { name: `Deactivate ${username}` });
    this.reactivate = page.getByRole("button", { name: `Reactivate ${username}` });
    this.statusMessage = page.locator("#user-status-message");
  }

  async goto(id: number) {
    await this.page.goto(`/users/${id}`);
    await expect(this.page.getByRole("heading", { name: this.username, level: 1 })).toBeVisible();
  }
}

/** /account: the change-password form. */
export class AccountPage {
  readonly currentPassword: Locator;
  readonly newPassword: Locator;
  readonly confirmPassword: Locator;
  readonly submit: Locator;
  readonly done: Locator;

  constructor(readonly page: Page) {
    this.currentPassword = page.getByLabel("Current password");
    this.newPassword = page.getByLabel("New password", { exact: true });
    this.confirmPassword = page.getByLabel("Repeat the new password");
    this.submit = page.getByRole("button", { name: "Change password" });
    this.done = page.getByTestId("password-changed");
  }

  async goto() {
    await this.page.goto("/account");
    await expect(this.page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();
  }

  async change(current: string, next: string, confirm = next) {
    await this.currentPassword.fill(current);
    await this.newPassword.fill(next);
    await this.confirmPassword.fill(confirm);
    await this.submit.click();
  }
}

/**
 * The error region a field points to with aria-describedby (the id ending in "-error"):
 * errors are checked where a screen reader finds them, not just somewhere on the page.
 */
export async function errorOf(field: Locator): Promise<Locator> {
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/);
  const id = ids.find((i) => i.endsWith("-error"));
  if (!id) throw new Error("the field names no error region in aria-describedby");
  const region = field.page().locator(`[id="${id}"]`);
  await expect(region).toHaveAttribute("aria-live", "polite");
  return region;
}
