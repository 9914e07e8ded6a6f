import { ADMIN } from "./support/e2e-env.ts";
import { toBigInt } from "./support/database.ts";
import { expect, test } from "./support/fixtures.ts";

/** The cents shown in a balance cell, whatever the locale's separators and sign style. */
function centsShown(text: string): bigint {
  const digits = text.replace(/\D/g, "");
  if (!digits) throw new Error(`no amount in "${text}"`);
  const negative = /[-\u2212]|\(.*\)/.test(text);
  return (negative ? -1n : 1n) * BigInt(digits);
}

test("adding a transaction of -1.234,56 stores -123456 cents and lowers the account's balance by that", async ({
  page,
  loginPage,
  newTransactionPage,
  database,
}) => {
  const account = await database.one<{ id: unknown; name: string }>("SELECT id, name FROM accounts WHERE name = ?", [
    "Poupança",
  ]);
  const category = await database.one<{ id: unknown }>("SELECT id FROM categories WHERE name = ?", ["Mercado"]);
  const admin = await database.one<{ id: unknown }>("SELECT id FROM users WHERE username = ?", [ADMIN.username]);
  const balanceOf = async () =>
    toBigInt(
      (
        await database.one<{ s: unknown }>("SELECT sum(amount_cents) AS s FROM transactions WHERE account_id = ?", [
          account.id,
        ])
      ).s,
    );
  const before = await balanceOf();
  const accountId = String(account.id);

  await loginPage.signIn(ADMIN.username, ADMIN.password);
  // The dashboard shows what the database holds.
  expect(centsShown(await page.getByTestId(`balance-${accountId}`).innerText())).toBe(before);

  const description = `E2E compra ${Date.now()} — Pão de Açúcar 🛒`;
  await newTransactionPage.goto();
  await newTransactionPage.add({
    account: account.name,
    category: "Mercado",
    amount: "-1.234,56",
    description,
    date: "2025-03-14",
  });

  await expect(page).toHaveURL("/");
  const expected = before - 123456n;
  await expect.poll(async () => centsShown(await page.getByTestId(`balance-${accountId}`).innerText())).toBe(expected);
  expect(await balanceOf()).toBe(expected);

  const rows = await database.rows<{
    amount_cents: unknown;
    account_id: unknown;
    category_id: unknown;
    user_id: unknown;
    occurred_at: unknown;
  }>("SELECT amount_cents, account_id, category_id, user_id, occurred_at FROM transactions WHERE description = ?", [
    description,
  ]);
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  expect(toBigInt(row.amount_cents)).toBe(-123456n);
  expect(String(row.account_id)).toBe(accountId);
  expect(String(row.category_id)).toBe(String(category.id));
  expect(String(row.user_id)).toBe(String(admin.id));
  const occurred = row.occurred_at instanceof Date ? row.occurred_at.toISOString() : String(row.occurred_at);
  expect(occurred).toContain("2025-03-14");
});

test("an amount that cannot be read is refused and nothing is stored", async ({
  page,
  loginPage,
  newTransactionPage,
  database,
}) => {
  const count = async () => Number((await database.one<{ n: unknown }>("SELECT count(*) AS n FROM transactions")).n);
  const before = await count();
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await newTransactionPage.goto();
  await newTransactionPage.add({
    account: "Carteira 👛",
    category: "Lazer",
    amount: "12.3456",
    description: "E2E refused amount",
    date: "2025-03-15",
  });
  await expect(page).toHaveURL(/\/transactions\/new$/);
  await expect(page.getByText("The transaction was not added.", { exact: false })).toBeVisible();
  expect(await count()).toBe(before);
});
