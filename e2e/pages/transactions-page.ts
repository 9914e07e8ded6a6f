import { expect, type Locator, type Page } from "@playwright/test";

/** /transactions: the filter form, the list with its row actions, and "Export CSV". */
export class TransactionsPage {
  readonly search: Locator;
  readonly apply: Locator;
  readonly exportLink: Locator;
  readonly count: Locator;

  constructor(readonly page: Page) {
    this.search = page.getByRole("searchbox", { name: "Search" });
    this.apply = page.getByRole("button", { name: "Apply filter" });
    this.exportLink = page.getByRole("link", { name: "Export CSV" });
    this.count = page.getByTestId("transactions-count");
  }

  async goto(query = "") {
    await this.page.goto(`/transactions${query}`);
    await expect(this.apply).toBeVisible();
  }

  /** Filters by text through the form (a GET: the filter lands in the URL). */
  async searchFor(text: string) {
    await this.search.fill(text);
    await this.apply.click();
    await expect(this.page).toHaveURL(new RegExp(`[?&]q=`));
  }

  edit(description: string): Locator {
    return this.page.getByRole("link", { name: `Edit ${description}` });
  }
}

/** /transactions/[id]/edit: the same fields as adding, "Save changes", and delete with a confirmation. */
export class EditTransactionPage {
  readonly amount: Locator;
  readonly description: Locator;
  readonly date: Locator;
  readonly save: Locator;
  readonly delete: Locator;

  constructor(readonly page: Page) {
    this.amount = page.getByLabel("Amount");
    this.description = page.getByLabel("Description");
    this.date = page.getByLabel("Date");
    this.save = page.getByRole("button", { name: "Save changes" });
    this.delete = page.getByRole("button", { name: "Delete transaction" });
  }

  async confirmDelete() {
    await this.delete.click();
    const dialog = this.page.getByRole("alertdialog");
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Delete" }).click();
  }
}

/** /accounts: accounts with balances, categories, and the admin's create/rename/archive controls. */
export class AccountsPage {
  readonly newAccount: Locator;
  readonly createAccount: Locator;

  constructor(readonly page: Page) {
    this.newAccount = page.getByLabel("New account");
    this.createAccount = page.getByRole("button", { name: "Create account" });
  }

  async goto() {
    await this.page.goto("/accounts");
    await expect(this.page.getByRole("heading", { name: "Accounts and categories" })).toBeVisible();
  }

  archive(name: string): Locator {
    return this.page.getByRole("button", { name: `Archive ${name}`, exact: true });
  }

  unarchive(name: string): Locator {
    return this.page.getByRole("button", { name: `Unarchive ${name}`, exact: true });
  }
}
