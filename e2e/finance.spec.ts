import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN, MEMBER } from "./support/e2e-env.ts";
import { toBigInt } from "./support/database.ts";
import { expect, test } from "./support/fixtures.ts";
import { AccountsPage, EditTransactionPage, TransactionsPage } from "./pages/transactions-page.ts";

test.describe.configure({ mode: "serial" });

const stamp = Date.now();

test("editing a transaction changes its row in the database", async ({
  page,
  loginPage,
  newTransactionPage,
  database,
}) => {
  const description = `E2E edit ${stamp} Padaria São João`;
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await newTransactionPage.goto();
  await newTransactionPage.add({
    account: "Poupança",
    category: "Padaria",
    amount: "-12,50",
    description,
    date: "2025-04-02",
  });
  await expect(page).toHaveURL("/");

  const transactions = new TransactionsPage(page);
  await transactions.goto();
  // Case-insensitive search finds it on both engines.
  await transactions.searchFor(`e2e EDIT ${stamp} padaria`);
  await expect(transactions.count).toContainText("1 transaction");
  await transactions.edit(description).click();

  const edit = new EditTransactionPage(page);
  await expect(edit.amount).toHaveValue("-12.50");
  await edit.amount.fill("abc");
  await edit.save.click();
  await expect(page.getByText("Enter an amount like", { exact: false })).toBeVisible();

  const changed = `${description} (corrected)`;
  await edit.amount.fill("-13,75");
  await edit.description.fill(changed);
  await edit.date.fill("2025-04-03");
  await edit.save.click();
  await expect(page).toHaveURL("/transactions");

  const rows = await database.rows<{ amount_cents: unknown; occurred_at: unknown }>(
    "SELECT amount_cents, occurred_at FROM transactions WHERE description = ?",
    [changed],
  );
  expect(rows).toHaveLength(1);
  expect(toBigInt(rows[0]!.amount_cents)).toBe(-1375n);
  const occurred =
    rows[0]!.occurred_at instanceof Date ? rows[0]!.occurred_at.toISOString() : String(rows[0]!.occurred_at);
  expect(occurred).toContain("2025-04-03");
  expect(await database.rows("SELECT id FROM transactions WHERE description = ?", [description])).toHaveLength(0);
});

test("marking a transaction reconciled is stored, and unmarking it too", async ({ page, loginPage, database }) => {
  const description = `E2E edit ${stamp} Padaria São João (corrected)`;
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const transactions = new TransactionsPage(page);
  await transactions.goto(`?q=${encodeURIComponent(description)}`);
  const toggle = page.getByRole("button", { name: `Reconciled: ${description}` });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  const reconciled = async () =>
    String(
      (
        await database.one<{ r: unknown }>("SELECT reconciled AS r FROM transactions WHERE description = ?", [
          description,
        ])
      ).r,
    );
  expect(["1", "true"]).toContain(await reconciled());
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  expect(["0", "false"]).toContain(await reconciled());
});

test("deleting a transaction asks first, then removes it from the database", async ({ page, loginPage, database }) => {
  const description = `E2E edit ${stamp} Padaria São João (corrected)`;
  const before = await database.rows<{ id: unknown }>("SELECT id FROM transactions WHERE description = ?", [
    description,
  ]);
  expect(before).toHaveLength(1);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await page.goto(`/transactions/${String(before[0]!.id)}/edit`);
  const edit = new EditTransactionPage(page);

  // Cancel keeps it.
  await edit.delete.click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  expect(await database.rows("SELECT id FROM transactions WHERE description = ?", [description])).toHaveLength(1);

  await edit.confirmDelete();
  await expect(page).toHaveURL("/transactions");
  expect(await database.rows("SELECT id FROM transactions WHERE description = ?", [description])).toHaveLength(0);
});

test("an archived account leaves the add-transaction choices but keeps its transactions", async ({
  page,
  loginPage,
  newTransactionPage,
  database,
}) => {
  const name = `E2E card ${stamp}`;
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  const accounts = new AccountsPage(page);
  await accounts.goto();
  await accounts.newAccount.fill(name);
  await accounts.createAccount.click();
  await expect(accounts.archive(name)).toBeVisible();
  const account = await database.one<{ id: unknown; archived: unknown }>(
    "SELECT id, archived FROM accounts WHERE name = ?",
    [name],
  );
  expect(["0", "false"]).toContain(String(account.archived));

  await newTransactionPage.goto();
  await newTransactionPage.add({
    account: name,
    category: "Lazer",
    amount: "-5",
    description: `E2E on ${name}`,
    date: "2025-04-04",
  });
  await expect(page).toHaveURL("/");

  await accounts.goto();
  await accounts.archive(name).click();
  await expect(accounts.unarchive(name)).toBeVisible();
  expect(["1", "true"]).toContain(
    String(
      (await database.one<{ archived: unknown }>("SELECT archived FROM accounts WHERE id = ?", [account.id])).archived,
    ),
  );
  expect(await database.rows("SELECT id FROM transactions WHERE account_id = ?", [account.id])).toHaveLength(1);

  await newTransactionPage.goto();
  await expect(newTransactionPage.account.locator("option", { hasText: name })).toHaveCount(0);
  await expect(newTransactionPage.account.locator("option", { hasText: "Poupança" })).toHaveCount(1);
  // The dashboard no longer shows it either.
  await page.goto("/");
  await expect(page.getByTestId(`balance-${String(account.id)}`)).toHaveCount(0);
});

test("Export CSV gives the filtered transactions: BOM, header, amounts with two decimals", async ({
  page,
  request,
  loginPage,
  newTransactionPage,
}) => {
  const description = `E2E export ${stamp}, "quoted"`;
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await newTransactionPage.goto();
  await newTransactionPage.add({
    account: "Poupança",
    category: "Mercado",
    amount: "-1.234,56",
    description,
    date: "2025-04-05",
  });
  await expect(page).toHaveURL("/");

  const transactions = new TransactionsPage(page);
  await transactions.goto();
  await transactions.searchFor(`E2E EXPORT ${stamp}`);
  const href = await transactions.exportLink.getAttribute("href");
  expect(href).toMatch(/^\/api\/transactions\.csv\?q=/);

  const downloadPromise = page.waitForEvent("download");
  await transactions.exportLink.click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^transactions-\d{4}-\d{2}-\d{2}\.csv$/);
  const { readFile } = await import("node:fs/promises");
  const bytes = await readFile(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  const lines = text.trimEnd().split("\r\n");
  expect(lines[0]).toBe("Date,Description,Account,Category,Amount,Reconciled");
  expect(lines.slice(1)).toEqual([`2025-04-05,"E2E export ${stamp}, ""quoted""",Poupança,Mercado,-1234.56,no`]);

  // The export checks the session itself: without one it answers 401 JSON.
  const anonymous = await request.get(href!, { maxRedirects: 0 });
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toEqual({ error: "Sign in first." });
});

/** Server action ids of this build, by exported name (from Next's own manifest). */
function actionIds(): Record<string, { id: string; page: string }> {
  const manifest = JSON.parse(
    readFileSync(join(import.meta.dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { workers: Record<string, unknown>; exportedName?: string }> };
  const out: Record<string, { id: string; page: string }> = {};
  for (const [id, entry] of Object.entries(manifest.node)) {
    const page =
      Object.keys(entry.workers)[0]!
        .replace(/^app/, "")
        .replace(/\/\([^)]+\)/g, "")
        .replace(/\/page$/, "") || "/";
    if (entry.exportedName) out[entry.exportedName] = { id, page };
  }
  return out;
}

test("the new actions refuse a caller without a session, and the account actions refuse a member", async ({
  page,
  request,
  loginPage,
  database,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const snapshot = async () => ({
    transactions: await database.rows(
      "SELECT id, account_id, amount_cents, description, reconciled FROM transactions ORDER BY id DESC LIMIT 20",
    ),
    count: String((await database.one<{ n: unknown }>("SELECT count(*) AS n FROM transactions")).n),
    accounts: await database.rows("SELECT id, name, archived FROM accounts ORDER BY id"),
    categories: await database.rows("SELECT id, name, archived FROM categories ORDER BY id"),
  });
  const before = await snapshot();
  const victim = before.transactions[0] as { id: unknown };
  const firstAccount = before.accounts[0] as { id: unknown };
  const txId = Number(victim.id);
  const all = actionIds();
  const call = async (
    via: typeof request,
    name: string,
    args: unknown[],
    extra: Record<string, string> = {},
  ): Promise<{ status: number; body: string; redirect: string }> => {
    const action = all[name];
    expect(action, `action ${name} in the manifest`).toBeDefined();
    const page = action!.page.replace("[id]", String(txId));
    const response = await via.post(page, {
      headers: {
        origin,
        "next-action": action!.id,
        "content-type": "text/plain;charset=UTF-8",
        accept: "text/x-component",
        ...extra,
      },
      data: JSON.stringify(args),
      maxRedirects: 0,
    });
    return {
      status: response.status(),
      body: await response.text(),
      redirect: response.headers()["x-action-redirect"] ?? "",
    };
  };
  const form = (o: Record<string, string>) => o;
  const nameArgs = [null, form({ kind: "account", id: String(firstAccount.id), name: "Hijacked" })];
  const archiveArgs = [null, form({ kind: "account", id: String(firstAccount.id), archived: "true" })];

  // Nobody signed in: every action sends the caller to /login and writes nothing.
  for (const [name, args] of [
    ["editTransaction", [txId, null, form({ accountId: "1", amount: "-1", description: "door", date: "2025-01-01" })]],
    ["removeTransaction", [txId]],
    ["reconcileTransaction", [null, form({ id: String(txId), reconciled: "true" })]],
    ["saveName", nameArgs],
    ["setArchived", archiveArgs],
  ] as const) {
    const answer = await call(request, name, [...args]);
    expect(
      answer.status >= 300 || answer.body.includes("NEXT_REDIRECT") || /\/login/.test(answer.redirect),
      `${name} without a session: ${answer.status} ${answer.body.slice(0, 200)}`,
    ).toBe(true);
  }

  // A member may use /accounts but sees no controls, and the actions refuse them.
  await loginPage.signIn(MEMBER.username, MEMBER.password);
  await page.goto("/accounts");
  await expect(page.getByRole("heading", { name: "Accounts", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /Create account|Rename|Archive/ })).toHaveCount(0);
  for (const [name, args] of [
    ["saveName", nameArgs],
    ["setArchived", archiveArgs],
  ] as const) {
    const answer = await call(page.request, name, [...args]);
    expect(answer.body, `${name} as a member`).not.toContain("savedAt");
  }

  expect(await snapshot()).toEqual(before);
});
