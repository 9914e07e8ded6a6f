/**
 * The finance screens in Brazilian Portuguese and in English: chosen from the browser's
 * language, switched from the header, kept in a cookie; money, dates and amounts typed or
 * exported in each language's convention. What the UI writes is checked in the database.
 */
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { formatCents } from "../lib/money.ts";
import { isoDateInTimeZone, monthRange } from "../lib/time-zone.ts";
import { ADMIN } from "./support/e2e-env.ts";
import { toBigInt, type E2eDatabase } from "./support/database.ts";
import { expect, test } from "./support/fixtures.ts";
import { NewTransactionPage } from "./pages/new-transaction-page.ts";
import { EditTransactionPage, TransactionsPage } from "./pages/transactions-page.ts";

test.describe.configure({ mode: "serial" });

const stamp = Date.now();
const PT_DESCRIPTION = `E2E idioma ${stamp} Feira do mês`;

/** Signs in through the form's field names, which do not depend on the login page's language. */
async function signIn(page: Page) {
  await page.goto("/login");
  await page.locator('input[name="username"]').fill(ADMIN.username);
  await page.locator('input[name="password"]').fill(ADMIN.password);
  await page.locator('input[name="password"]').press("Enter");
  await expect(page).toHaveURL("/");
}

/** The family's "today" as the server computes it: by the family's time zone (families.time_zone). */
async function familyToday(database: E2eDatabase): Promise<string> {
  const family = await database.one<{ time_zone: string }>("SELECT time_zone FROM families ORDER BY id LIMIT 1");
  return isoDateInTimeZone(family.time_zone);
}

/** Downloads the list's CSV export and returns its name, raw bytes and lines (BOM removed). */
async function exportCsv(page: Page, transactions: TransactionsPage) {
  const downloadPromise = page.waitForEvent("download");
  await transactions.exportLink.click();
  const download = await downloadPromise;
  const bytes = await readFile(await download.path());
  return {
    name: download.suggestedFilename(),
    bytes,
    lines: bytes.subarray(3).toString("utf8").trimEnd().split("\r\n"),
  };
}

test.describe("a browser asking for Portuguese", () => {
  test.use({ locale: "pt-BR" });

  test("gets Portuguese pages: lang, navigation, headings, money as R$ 1.234,56", async ({ page, database }) => {
    await signIn(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "pt-BR");
    await expect(page.getByRole("heading", { name: "Painel", level: 1 })).toBeVisible();
    await expect(page).toHaveTitle(/^Painel/);
    const nav = page.getByRole("navigation", { name: "Principal" });
    for (const name of ["Painel", "Lançamentos", "Novo lançamento", "Contas"]) {
      await expect(nav.getByRole("link", { name, exact: true })).toBeVisible();
    }
    await expect(page.getByRole("heading", { name: "Este mês" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Últimos lançamentos" })).toBeVisible();
    await expect(page.getByLabel("Idioma")).toHaveValue("pt-BR");

    // Every balance reads as the database's cents in Brazilian form (R$, dot for thousands, comma for cents).
    const accounts = await database.rows<{ id: unknown }>("SELECT id FROM accounts WHERE archived = ?", [
      database.engine === "sqlite" ? 0 : false,
    ]);
    expect(accounts.length).toBeGreaterThan(0);
    for (const account of accounts) {
      const sum = await database.one<{ s: unknown }>(
        "SELECT sum(amount_cents) AS s FROM transactions WHERE account_id = ?",
        [account.id],
      );
      const shown = page.getByTestId(`balance-${String(account.id)}`);
      if ((await shown.count()) === 0) continue; // archived by another spec since
      await expect(shown).toHaveText(formatCents(toBigInt(sum.s), "BRL", "pt-BR"));
      expect(await shown.innerText()).toMatch(/^-?R\$\s[\d.]+,\d{2}$/);
    }

    await page.goto("/accounts");
    await expect(page.getByRole("heading", { name: "Contas e categorias", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Categorias", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Criar conta" })).toBeVisible();
  });

  test("adds a transaction typed as -1.234,56: -123456 cents stored, shown as -R$ 1.234,56 on 14/03/2025", async ({
    page,
    database,
  }) => {
    const count = async () => Number((await database.one<{ n: unknown }>("SELECT count(*) AS n FROM transactions")).n);
    await signIn(page);
    const form = new NewTransactionPage(page, "pt-BR");
    await form.goto();
    await expect(page.getByRole("heading", { name: "Novo lançamento", level: 1 })).toBeVisible();
    // The date starts at the family's today; the amount's example is in the Brazilian form.
    await expect(form.date).toHaveValue(await familyToday(database));
    await expect(form.amount).toHaveAttribute("placeholder", "-12,34");
    await expect(page.getByText("Negativo para saídas de dinheiro, ex.: -12,34.")).toBeVisible();

    // A refused amount: the errors are Portuguese, beside the field, and nothing is stored.
    const before = await count();
    await form.add({
      account: "Poupança",
      category: "Mercado",
      amount: "12,3456",
      description: PT_DESCRIPTION,
      date: "2025-03-14",
    });
    await expect(page.locator("#amount-error")).toHaveText(
      "Informe um valor como -12,34 ou 1.234,56 (no máximo 2 casas decimais).",
    );
    await expect(page.locator("#form-error")).toContainText("O lançamento não foi adicionado.");
    expect(await count()).toBe(before);

    await form.amount.fill("-1.234,56");
    await form.submit.click();
    await expect(page).toHaveURL("/");
    const rows = await database.rows<{ amount_cents: unknown; occurred_at: unknown }>(
      "SELECT amount_cents, occurred_at FROM transactions WHERE description = ?",
      [PT_DESCRIPTION],
    );
    expect(rows).toHaveLength(1);
    expect(toBigInt(rows[0]!.amount_cents)).toBe(-123456n);
    const occurred =
      rows[0]!.occurred_at instanceof Date ? rows[0]!.occurred_at.toISOString() : String(rows[0]!.occurred_at);
    expect(occurred).toContain("2025-03-14");

    const list = new TransactionsPage(page, "pt-BR");
    await list.goto();
    await expect(page.getByRole("heading", { name: "Lançamentos", level: 1 })).toBeVisible();
    await list.searchFor(PT_DESCRIPTION);
    await expect(list.count).toContainText("1 lançamento encontrado com o filtro");
    const row = page.locator("tr", { hasText: PT_DESCRIPTION });
    await expect(row.getByRole("cell").first()).toHaveText("14/03/2025");
    await expect(row).toContainText(formatCents(-123456n, "BRL", "pt-BR"));
    expect(formatCents(-123456n, "BRL", "pt-BR")).toBe("-R$\u00a01.234,56");

    // The edit form shows the amount the Brazilian way, ready to be corrected.
    await list.edit(PT_DESCRIPTION).click();
    await expect(page.getByRole("heading", { name: "Editar lançamento", level: 1 })).toBeVisible();
    await expect(new EditTransactionPage(page, "pt-BR").amount).toHaveValue("-1234,56");
  });

  test("exports CSV for a Brazilian spreadsheet: BOM, ';', '-1234,56', translated header, named after the month", async ({
    page,
    database,
  }) => {
    const today = await familyToday(database);
    const description = `E2E idioma ${stamp} exportação; "mês"`;
    await signIn(page);
    const form = new NewTransactionPage(page, "pt-BR");
    await form.goto();
    await form.add({ account: "Poupança", category: "Mercado", amount: "-1.234,56", description, date: today });
    await expect(page).toHaveURL("/");
    expect(
      toBigInt(
        (
          await database.one<{ a: unknown }>("SELECT amount_cents AS a FROM transactions WHERE description = ?", [
            description,
          ])
        ).a,
      ),
    ).toBe(-123456n);

    const list = new TransactionsPage(page, "pt-BR");
    await list.goto();
    // Upper case for the ASCII letters only: SQLite's LIKE folds ASCII case alone (see transaction-filter.ts).
    await list.searchFor(`E2E IDIOMA ${stamp} exportação`);
    // "Este mês" keeps the text filter and sets the family's month.
    await list.thisMonth.click();
    const month = monthRange(today);
    await expect(page).toHaveURL(new RegExp(`from=${month.from}&to=${month.to}`));
    await expect(list.thisMonth).toHaveAttribute("aria-current", "true");
    await expect(list.count).toContainText("1 lançamento encontrado com o filtro");

    const csv = await exportCsv(page, list);
    expect(csv.name).toBe(`transactions-${month.from}-${month.to}.csv`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.lines).toEqual([
      "Data;Descrição;Conta;Categoria;Valor;Conciliado",
      `${today};"E2E idioma ${stamp} exportação; ""mês""";Poupança;Mercado;-1234,56;não`,
    ]);
  });
});

test("the header's language select switches to Portuguese and back, and the choice sticks across pages", async ({
  page,
  database,
}) => {
  await signIn(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();

  await page.getByLabel("Language").selectOption("pt-BR");
  await expect(page.getByRole("heading", { name: "Painel", level: 1 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "pt-BR");
  expect((await page.context().cookies()).find((c) => c.name === "wimm_locale")?.value).toBe("pt-BR");

  // Another page, by a link and by a fresh load: still Portuguese (the cookie beats the browser's en-US).
  await page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Lançamentos" }).click();
  await expect(page.getByRole("heading", { name: "Lançamentos", level: 1 })).toBeVisible();
  await page.goto("/accounts");
  await expect(page.getByRole("heading", { name: "Contas e categorias", level: 1 })).toBeVisible();

  await page.getByLabel("Idioma").selectOption("en");
  await expect(page.getByRole("heading", { name: "Accounts and categories", level: 1 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto("/transactions");
  await expect(page.getByRole("heading", { name: "Transactions", level: 1 })).toBeVisible();

  // The English export of the transaction added in Portuguese: ',' and '-1234.56', English header.
  const list = new TransactionsPage(page);
  await list.searchFor(PT_DESCRIPTION);
  await expect(list.count).toContainText("1 transaction match");
  const row = page.locator("tr", { hasText: PT_DESCRIPTION });
  await expect(row.getByRole("cell").first()).toHaveText("Mar 14, 2025");
  await expect(row).toContainText("-R$1,234.56");
  const csv = await exportCsv(page, list);
  expect(csv.name).toBe(`transactions-${await familyToday(database)}.csv`);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.lines).toEqual([
    "Date,Description,Account,Category,Amount,Reconciled",
    `2025-03-14,${PT_DESCRIPTION},Poupança,Mercado,-1234.56,no`,
  ]);
});
