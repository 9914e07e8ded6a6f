import { expect, type Locator, type Page } from "@playwright/test";

/** /transactions/new: the add-transaction form. */
export class NewTransactionPage {
  readonly account: Locator;
  readonly category: Locator;
  readonly amount: Locator;
  readonly description: Locator;
  readonly date: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.account = page.getByLabel("Account");
    this.category = page.getByLabel("Category");
    this.amount = page.getByLabel("Amount");
    this.description = page.getByLabel("Description");
    this.date = page.getByLabel("Date");
    this.submit = page.getByRole("button", { name: "Add transaction" });
  }

  async goto() {
    await this.page.goto("/transactions/new");
    await expect(this.submit).toBeVisible();
  }

  async add(t: { account: string; category: string; amount: string; description: string; date: string }) {
    await this.account.selectOption({ label: t.account });
    await this.category.selectOption({ label: t.category });
    await this.amount.fill(t.amount);
    await this.description.fill(t.description);
    await this.date.fill(t.date);
    await this.submit.click();
  }
}
