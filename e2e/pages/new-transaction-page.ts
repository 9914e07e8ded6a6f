import { expect, type Locator, type Page } from "@playwright/test";

/** The add/edit form's labels in each language the app speaks (the specs run in both). */
export const TRANSACTION_FORM_TEXT = {
  en: {
    account: "Account",
    category: "Category",
    amount: "Amount",
    description: "Description",
    date: "Date",
    add: "Add transaction",
    saveChanges: "Save changes",
  },
  "pt-BR": {
    account: "Conta",
    category: "Categoria",
    amount: "Valor",
    description: "Descrição",
    date: "Data",
    add: "Adicionar lançamento",
    saveChanges: "Salvar alterações",
  },
} as const;

export type FormLanguage = keyof typeof TRANSACTION_FORM_TEXT;

/** /transactions/new: the add-transaction form. */
export class NewTransactionPage {
  readonly account: Locator;
  readonly category: Locator;
  readonly amount: Locator;
  readonly description: Locator;
  readonly date: Locator;
  readonly submit: Locator;

  constructor(
    readonly page: Page,
    language: FormLanguage = "en",
  ) {
    const text = TRANSACTION_FORM_TEXT[language];
    this.account = page.getByLabel(text.account, { exact: true });
    this.category = page.getByLabel(text.category, { exact: true });
    this.amount = page.getByLabel(text.amount, { exact: true });
    this.description = page.getByLabel(text.description, { exact: true });
    this.date = page.getByLabel(text.date, { exact: true });
    this.submit = page.getByRole("button", { name: text.add });
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
