import { expect, type Locator, type Page } from "@playwright/test";

/** The header every signed-in page shares: main navigation, current user, "Sign out". */
export class AppShell {
  readonly nav: Locator;
  readonly currentUser: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.currentUser = page.getByTestId("current-user");
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
  }

  navLink(name: string): Locator {
    return this.nav.getByRole("link", { name, exact: true });
  }

  async navLinkNames(): Promise<string[]> {
    return (await this.nav.getByRole("link").allTextContents()).map((t) => t.trim());
  }

  async signOut() {
    await this.signOutButton.click();
    await expect(this.page).toHaveURL("/login");
  }
}
