import { expect, type Locator, type Page } from "@playwright/test";
import { TRANSACTION_FORM_TEXT, type FormLanguage } from "./new-transaction-page.ts";

const LIST_TEXT = {
  en: {
    search: "Search",
    apply: "Apply filter",
    export: "Export CSV",
    thisMonth: "This month",
    lastMonth: "Last month",
    edit: "Edit",
  },
  "pt-BR": {
    search: "Buscar",
    apply: "Aplicar filtro",
    export: "Exportar CSV",
    thisMonth: "Este mês",
    lastMonth: "Mês passado",
    edit: "Editar",
  },
} as const;

/** /transactions: the filter form, the list with its row actions, and "Export CSV". */
export class TransactionsPage {
  readonly search: Locator;
  readonly apply: Locator;
  readonly exportLink: Locator;
  readonly count: Locator;
  readonly thisMonth: Locator;
  readonly lastMonth: Locator;
  private readonly text: (typeof LIST_TEXT)[FormLanguage];

  constructor(
    readonly page: Page,
    language: FormLanguage = "en",
  ) {
    this.text = LIST_TEXT[language];
    this.search = page.getByRole("searchbox", { name: this.text.search });
    this.apply = page.getByRole("button", { name: this.text.apply });
    this.exportLink = page.getByRole("link", { name: this.text.export });
    this.count = page.getByTestId("transactions-count");
    this.thisMonth = page.getByRole("link", { name: this.text.thisMonth, exact: true });
    this.lastMonth = page.getByRole("link", { name: this.text.lastMonth, exact: true });
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
    return this.page.getByRole("link", { name: `${this.text.edit} ${description}` });
  }
}

/** /transactions/[id]/edit: the same fields as adding, "Save changes", and delete with a confirmation. */
export class EditTransactionPage {
  readonly amount: Locator;
  readonly description: Locator;
  readonly date: Locator;
  readonly save: Locator;
  readonly delete: Locator;

  constructor(
    readonly page: Page,
    language: FormLanguage = "en",
  ) {
    const text = TRANSACTION_FORM_TEXT[language];
    this.amount = page.getByLabel(text.amount, { exact: true });
    this.description = page.getByLabel(text.description, { exact: true });
    this.date = page.getByLabel(text.date, { exact: true });
    this.save = page.getByRole("button", { name: text.saveChanges });
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
