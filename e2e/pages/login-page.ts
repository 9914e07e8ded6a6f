import { expect, type Locator, type Page } from "@playwright/test";

/** /login: username, password, "Sign in", and the form-level error. */
export class LoginPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.username = page.getByLabel("Username");
    this.password = page.getByLabel("Password");
    this.submit = page.getByRole("button", { name: "Sign in" });
  }

  async goto() {
    await this.page.goto("/login");
    await expect(this.submit).toBeVisible();
  }

  async fill(username: string, password: string) {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** Signs in and waits for the dashboard. */
  async signIn(username: string, password: string) {
    await this.goto();
    await this.fill(username, password);
    await expect(this.page).toHaveURL("/");
    await expect(this.page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  }

  error(text: string): Locator {
    return this.page.getByText(text, { exact: true });
  }
}
