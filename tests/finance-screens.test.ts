/**
 * The query helpers behind the transactions screens (filters, totals, edit, delete,
 * reconcile, CSV export) on real SQLite and PostgreSQL databases: text search must find the
 * same rows on both engines, whatever the case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapDatabase } from "../lib/app/bootstrap.ts";
import { createPrismaClient, type Db } from "../lib/db/client.ts";
import { foldForSearch } from "../lib/db/fold.ts";
import { getEnv } from "../lib/env.ts";
import { dateAtNoonUtc } from "../lib/finance/create-transaction.ts";
import { deleteTransaction } from "../lib/finance/delete-transaction.ts";
import { getTransaction } from "../lib/finance/get-transaction.ts";
import { listTransactions } from "../lib/finance/list-transactions.ts";
import { setTransactionReconciled } from "../lib/finance/set-transaction-reconciled.ts";
import {
  filterToSearchParams,
  parseTransactionFilter,
  type TransactionFilter,
} from "../lib/finance/transaction-filter.ts";
import { createTranslator } from "next-intl";
import { TransactionFormSchema, translateTransactionErrors } from "../app/(app)/transactions/new/transaction-schema.ts";
import { NameFormSchema, translateNameErrors } from "../app/(app)/accounts/accounts-schema.ts";
import { formatCentsPlain } from "../lib/finance/format-plain-amount.ts";
import {
  csvDialectFor,
  csvField,
  csvFileName,
  csvHeaderLine,
  streamMarkedTransactionsCsv,
  streamTransactionsCsv,
  transactionCsvLine,
  type CsvDialect,
} from "../lib/finance/transactions-csv.ts";
import { sumIncomeAndExpenses } from "../lib/finance/sum-income-and-expenses.ts";
import { MESSAGES } from "../lib/i18n/messages.ts";
import { z } from "zod";
import { updateTransaction } from "../lib/finance/update-transaction.ts";
import { getAccountBalances } from "../lib/finance/get-account-balances.ts";
import { listAccountsAndCategories } from "../lib/finance/list-accounts-and-categories.ts";
import { listFormOptions } from "../lib/finance/list-form-options.ts";
import { saveAccountOrCategory, setAccountOrCategoryArchived } from "../lib/finance/save-account-or-category.ts";
import type { DatabaseTarget } from "../lib/db/url.ts";
import { createTarget, enginesUnderTest } from "./helpers/databases.ts";

/** The CSV dialect of a locale, with the header and yes/no from that locale's messages. */
function dialectOf(locale: "en" | "pt-BR"): CsvDialect {
  return csvDialectFor(locale, MESSAGES[locale].Csv);
}
const EN = dialectOf("en");
const PT = dialectOf("pt-BR");

describe("CSV formatting", () => {
  it("writes amounts with two decimals, exactly, from cents, with the dialect's decimal mark", () => {
    expect(formatCentsPlain(-123456n)).toBe("-1234.56");
    expect(formatCentsPlain(5n)).toBe("0.05");
    expect(formatCentsPlain(-5n)).toBe("-0.05");
    expect(formatCentsPlain(0n)).toBe("0.00");
    expect(formatCentsPlain(100n)).toBe("1.00");
    expect(formatCentsPlain(18014398509481982n)).toBe("180143985094819.82");
    expect(formatCentsPlain(-123456n, ",")).toBe("-1234,56");
    expect(formatCentsPlain(18014398509481982n, ",")).toBe("180143985094819,82");
  });

  it("picks the dialect a spreadsheet in that language opens with a double-click", () => {
    expect([EN.separator, EN.decimalMark]).toEqual([",", "."]);
    expect([PT.separator, PT.decimalMark]).toEqual([";", ","]);
    // Any locale with a decimal comma gets the semicolon; the labels are whatever was given.
    expect([
      csvDialectFor("de-DE", MESSAGES.en.Csv).separator,
      csvDialectFor("en-GB", MESSAGES.en.Csv).separator,
    ]).toEqual([";", ","]);
    expect(csvHeaderLine(EN)).toBe("Date,Description,Account,Category,Amount,Reconciled\r\n");
    expect(csvHeaderLine(PT)).toBe("Data;Descrição;Conta;Categoria;Valor;Conciliado\r\n");
  });

  it("quotes fields with the dialect's separator, a quote or a line break and doubles the quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a;b")).toBe("a;b");
    expect(csvField("a;b", ";")).toBe('"a;b"');
    expect(csvField("a,b", ";")).toBe("a,b");
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('say "hi"', ";")).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("two\nlines", ";")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField("Padaria São João ☕")).toBe("Padaria São João ☕");
  });

  it("defuses text a spreadsheet would run as a formula, but not the amounts, in both dialects", () => {
    const t = {
      occurredAt: dateAtNoonUtc("2026-01-31"),
      description: '=HYPERLINK("http://x";"y")',
      accountName: "@home",
      categoryName: "+fun",
      amountCents: -1n,
      reconciled: false,
    };
    expect(transactionCsvLine(t, EN)).toBe(`2026-01-31,"'=HYPERLINK(""http://x"";""y"")",'@home,'+fun,-0.01,no\r\n`);
    expect(transactionCsvLine(t, PT)).toBe(`2026-01-31;"'=HYPERLINK(""http://x"";""y"")";'@home;'+fun;-0,01;não\r\n`);
    expect(transactionCsvLine({ ...t, description: "-5 discount" }, PT)).toContain(";'-5 discount;");
  });

  it("writes one line per transaction: ISO date, the dialect's separator and decimal mark, yes/no translated", () => {
    const t = {
      occurredAt: dateAtNoonUtc("2026-01-31"),
      description: 'Bread, "fresh"; warm',
      accountName: "Checking",
      categoryName: null,
      amountCents: -123456n,
      reconciled: true,
    };
    expect(transactionCsvLine(t, EN)).toBe('2026-01-31,"Bread, ""fresh""; warm",Checking,,-1234.56,yes\r\n');
    expect(transactionCsvLine(t, PT)).toBe('2026-01-31;"Bread, ""fresh""; warm";Checking;;-1234,56;sim\r\n');
    expect(transactionCsvLine({ ...t, description: "Pão, leite", amountCents: 5n }, PT)).toBe(
      "2026-01-31;Pão, leite;Checking;;0,05;sim\r\n",
    );
  });

  it("names the file after the filter's period, else the family's today", () => {
    expect(csvFileName({ from: "2026-11-01", to: "2026-11-30" }, "2026-11-28")).toBe(
      "transactions-2026-11-01-2026-11-30.csv",
    );
    expect(csvFileName({ from: "2026-11-01" }, "2026-11-28")).toBe("transactions-2026-11-28.csv");
    expect(csvFileName({}, "2026-11-28")).toBe("transactions-2026-11-28.csv");
  });
});

describe("form schemas", () => {
  const transactionErrors = (values: Record<string, string>) => {
    const parsed = TransactionFormSchema.safeParse({
      accountId: "1",
      categoryId: "",
      amount: "-1,00",
      description: "x",
      date: "2026-11-28",
      ...values,
    });
    return parsed.success ? {} : z.flattenError(parsed.error).fieldErrors;
  };

  it("carry message keys, every one of them in the messages", () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ accountId: "" }, "accountId", "accountRequired"],
      [{ categoryId: "x" }, "categoryId", "categoryInvalid"],
      [{ amount: " " }, "amount", "amountRequired"],
      [{ amount: "12.3456" }, "amount", "amountInvalid"],
      [{ amount: "0,00" }, "amount", "amountZero"],
      [{ description: "  " }, "description", "descriptionRequired"],
      [{ description: "x".repeat(201) }, "description", "descriptionTooLong"],
      [{ date: "" }, "date", "dateRequired"],
      [{ date: "2026-02-30" }, "date", "dateInvalid"],
    ];
    for (const [values, field, key] of cases) {
      expect(transactionErrors(values)).toEqual({ [field]: [key] });
      expect(Object.keys(MESSAGES.en.TransactionForm.errors)).toContain(key);
    }
    // A value that is not even a string (a forged post) still gets a key, not zod's English.
    const forged = TransactionFormSchema.safeParse({});
    expect(forged.success).toBe(false);
    for (const messages of Object.values(z.flattenError(forged.error!).fieldErrors) as string[][]) {
      for (const m of messages) expect(Object.keys(MESSAGES.en.TransactionForm.errors)).toContain(m);
    }
    expect(transactionErrors({})).toEqual({});

    const name = NameFormSchema.safeParse({ kind: "account", name: "x".repeat(61) });
    expect(z.flattenError(name.error!).fieldErrors).toEqual({ name: ["nameTooLong"] });
  });

  it("are translated by the action into the user's language, unknown messages as a generic one", () => {
    const pt = createTranslator({ locale: "pt-BR", messages: MESSAGES["pt-BR"] });
    const en = createTranslator({ locale: "en", messages: MESSAGES.en });
    const errors = { amount: ["amountInvalid"], date: ["dateRequired", "Invalid input"] };
    expect(translateTransactionErrors(errors, pt)).toEqual({
      amount: ["Informe um valor como -12,34 ou 1.234,56 (no máximo 2 casas decimais)."],
      date: ["Informe uma data.", "Confira este campo."],
    });
    expect(translateTransactionErrors(errors, en).amount).toEqual([
      "Enter an amount like -12.34 or 1,234.56 (at most 2 decimals).",
    ]);
    expect(translateNameErrors({ name: ["nameRequired"] }, pt)).toEqual({ name: ["Informe um nome."] });
  });
});

describe("parseTransactionFilter", () => {
  it("reads the known parameters and leaves out what cannot be read", () => {
    expect(
      parseTransactionFilter({ accountId: "3", categoryId: "x", from: "2026-02-30", to: "2026-03-01", q: "  pão " }),
    ).toEqual({ accountId: 3, to: "2026-03-01", q: "pão" });
    expect(parseTransactionFilter(new URLSearchParams("accountId=-1&from=2026-01-01&q="))).toEqual({
      from: "2026-01-01",
    });
    const filter: TransactionFilter = { accountId: 1, categoryId: 2, from: "2026-01-01", to: "2026-01-31", q: "a&b" };
    expect(parseTransactionFilter(filterToSearchParams(filter))).toEqual(filter);
  });
});

async function readStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  // ignoreBOM keeps the byte order mark in the text, so the test can see it.
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(Buffer.concat(chunks));
}

describe.each(enginesUnderTest)("transactions screens on %s", (engine) => {
  let target: DatabaseTarget;
  let cleanup: () => Promise<void>;
  let db: Db;
  let familyId: number;
  let otherFamilyId: number;
  let checking: number;
  let savings: number;
  let closed: number;
  let bakery: number;
  let fun: number;
  let theirs: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ({ target, cleanup } = await createTarget(engine));
    await bootstrapDatabase(target, getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "test-password-123" }));
    db = await createPrismaClient(target);
    const admin = await db.user.findUniqueOrThrow({ where: { username: "admin" } });
    familyId = admin.familyId;
    const account = (name: string, fid = familyId, archived = false) =>
      db.account.create({ data: { familyId: fid, name, archived } }).then((a) => a.id);
    checking = await account("Checking");
    savings = await account("Savings");
    closed = await account("Closed card", familyId, true);
    bakery = (await db.category.create({ data: { familyId, name: "Bakery" } })).id;
    fun = (await db.category.create({ data: { familyId, name: "Fun" } })).id;
    const other = await db.family.create({ data: { name: "Neighbours" } });
    otherFamilyId = other.id;
    const neighbour = await db.user.create({
      data: { familyId: other.id, username: "neighbour", passwordHash: "x", role: "admin" },
    });
    const theirAccount = await account("Their account", other.id);

    const add = async (
      key: string,
      data: { accountId: number; categoryId?: number; cents: bigint; description: string; date: string },
      userId = admin.id,
    ) => {
      const t = await db.transaction.create({
        data: {
          accountId: data.accountId,
          categoryId: data.categoryId ?? null,
          userId,
          amountCents: data.cents,
          description: data.description,
          searchText: foldForSearch(data.description),
          occurredAt: dateAtNoonUtc(data.date),
        },
      });
      ids[key] = t.id;
    };
    await add("bread", {
      accountId: checking,
      categoryId: bakery,
      cents: -1250n,
      description: "Padaria São João ☕",
      date: "2026-01-05",
    });
    await add("cake", {
      accountId: checking,
      categoryId: bakery,
      cents: -4000n,
      description: "padaria: birthday cake",
      date: "2026-01-20",
    });
    await add("salary", { accountId: savings, cents: 500000n, description: "Salary, January", date: "2026-01-31" });
    await add("cinema", {
      accountId: savings,
      categoryId: fun,
      cents: -3000n,
      description: 'Cinema "Premiere"',
      date: "2026-02-01",
    });
    await add("old", { accountId: closed, cents: -99n, description: "Old card fee", date: "2025-12-31" });
    theirs = (
      await db.transaction.create({
        data: {
          accountId: theirAccount,
          userId: neighbour.id,
          amountCents: 777n,
          description: "Padaria of the neighbours",
          searchText: foldForSearch("Padaria of the neighbours"),
          occurredAt: dateAtNoonUtc("2026-01-10"),
        },
      })
    ).id;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await cleanup?.();
  });

  const list = (filter: TransactionFilter, page = 1, pageSize = 50) =>
    listTransactions(db, familyId, page, pageSize, { filter, engine });
  const descriptions = async (filter: TransactionFilter) => (await list(filter)).rows.map((r) => r.description);

  it("lists only the family's transactions, with the total of all of them", async () => {
    const all = await list({});
    expect(all.total).toBe(5);
    expect(all.totalCents).toBe(-1250n - 4000n + 500000n - 3000n - 99n);
    expect(all.rows.map((r) => r.description)).not.toContain("Padaria of the neighbours");
  });

  it("searches the description whatever the case and accents, on both engines", async () => {
    expect(await descriptions({ q: "PADARIA" })).toEqual(["padaria: birthday cake", "Padaria São João ☕"]);
    expect(await descriptions({ q: "PADARIA são" })).toEqual(["Padaria São João ☕"]);
    expect(await descriptions({ q: "☕" })).toEqual(["Padaria São João ☕"]);
    // Case beyond ASCII, and accents: both sides are folded (lib/db/fold.ts).
    expect(await descriptions({ q: "SÃO JOÃO" })).toEqual(["Padaria São João ☕"]);
    expect(await descriptions({ q: "são joão" })).toEqual(["Padaria São João ☕"]);
    expect(await descriptions({ q: "sao joao" })).toEqual(["Padaria São João ☕"]);
    expect(await descriptions({ q: '"premiere"' })).toEqual(['Cinema "Premiere"']);
    expect(await descriptions({ q: "nothing like this" })).toEqual([]);
  });

  it("filters by account, category and an inclusive date range, and totals the filtered set", async () => {
    const byAccount = await list({ accountId: checking });
    expect(byAccount.rows.map((r) => r.id)).toEqual([ids.cake, ids.bread]);
    expect(byAccount.totalCents).toBe(-5250n);
    expect(byAccount.total).toBe(2);

    expect((await list({ categoryId: fun })).rows.map((r) => r.id)).toEqual([ids.cinema]);

    const january = await list({ from: "2026-01-05", to: "2026-01-31" });
    expect(january.rows.map((r) => r.id)).toEqual([ids.salary, ids.cake, ids.bread]);
    expect(january.totalCents).toBe(500000n - 5250n);

    const combined = await list({ accountId: checking, q: "CAKE", from: "2026-01-01" });
    expect(combined.rows.map((r) => r.id)).toEqual([ids.cake]);
    expect(combined.totalCents).toBe(-4000n);

    // The totals cover the whole filter, not only the page shown.
    const page2 = await list({}, 2, 2);
    expect(page2.rows).toHaveLength(2);
    expect(page2.pageCount).toBe(3);
    expect(page2.totalCents).toBe((await list({})).totalCents);
  });

  it("sums money in and money out of a period, only the family's", async () => {
    expect(await sumIncomeAndExpenses(db, familyId, { from: "2026-01-01", to: "2026-01-31" }, engine)).toEqual({
      incomeCents: 500000n,
      expensesCents: -1250n - 4000n,
    });
    expect(await sumIncomeAndExpenses(db, familyId, { from: "2026-02-01", to: "2026-02-28" }, engine)).toEqual({
      incomeCents: 0n,
      expensesCents: -3000n,
    });
    expect(await sumIncomeAndExpenses(db, familyId, { from: "2027-01-01", to: "2027-01-31" }, engine)).toEqual({
      incomeCents: 0n,
      expensesCents: 0n,
    });
  });

  it("edits a transaction of the family, and refuses another family's or a closed account", async () => {
    const id = ids.bread!;
    const base = {
      familyId,
      id,
      accountId: savings,
      categoryId: fun,
      amountCents: -1299n,
      description: "Padaria São João (corrected)",
      date: "2026-01-06",
    };
    expect(await updateTransaction(db, base)).toEqual({ ok: true });
    expect(await getTransaction(db, familyId, id)).toEqual({
      id,
      accountId: savings,
      categoryId: fun,
      amountCents: -1299n,
      description: "Padaria São João (corrected)",
      date: "2026-01-06",
      reconciled: false,
    });

    expect(await updateTransaction(db, { ...base, accountId: closed })).toEqual({
      ok: false,
      reason: "ACCOUNT_NOT_FOUND",
    });
    expect(await updateTransaction(db, { ...base, id: theirs })).toEqual({
      ok: false,
      reason: "TRANSACTION_NOT_FOUND",
    });
    expect(await getTransaction(db, familyId, theirs)).toBeNull();
    // A transaction already on an archived account can still be corrected there.
    expect(await updateTransaction(db, { ...base, id: ids.old!, accountId: closed, categoryId: null })).toEqual({
      ok: true,
    });
    const their = await db.transaction.findUniqueOrThrow({ where: { id: theirs } });
    expect(BigInt(their.amountCents)).toBe(777n);
  });

  it("marks reconciled and back, only in the family", async () => {
    expect(await setTransactionReconciled(db, familyId, ids.cake!, true)).toBe(true);
    expect((await getTransaction(db, familyId, ids.cake!))?.reconciled).toBe(true);
    expect(await setTransactionReconciled(db, familyId, ids.cake!, false)).toBe(true);
    expect((await getTransaction(db, familyId, ids.cake!))?.reconciled).toBe(false);
    expect(await setTransactionReconciled(db, familyId, theirs, true)).toBe(false);
    expect(await setTransactionReconciled(db, otherFamilyId, ids.cake!, true)).toBe(false);
    expect((await getTransaction(db, familyId, ids.cake!))?.reconciled).toBe(false);
  });

  it("exports the filtered transactions as CSV in batches: BOM, header, exact amounts, quoting", async () => {
    const all = await readStream(streamTransactionsCsv(target, familyId, {}, EN, { batchSize: 2 }));
    expect(all.startsWith("\uFEFFDate,Description,Account,Category,Amount,Reconciled\r\n")).toBe(true);
    const lines = all.slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(6);
    expect(lines).toContain('2026-01-31,"Salary, January",Savings,,5000.00,no');
    expect(lines).toContain('2026-02-01,"Cinema ""Premiere""",Savings,Fun,-30.00,no');
    expect(all).not.toContain("neighbours");

    const filtered = await readStream(streamTransactionsCsv(target, familyId, { q: "CINEMA" }, EN));
    expect(filtered.slice(1).trimEnd().split("\r\n")).toEqual([
      "Date,Description,Account,Category,Amount,Reconciled",
      '2026-02-01,"Cinema ""Premiere""",Savings,Fun,-30.00,no',
    ]);

    const portuguese = await readStream(streamTransactionsCsv(target, familyId, { from: "2026-01-31" }, PT));
    expect(portuguese.startsWith("\uFEFF")).toBe(true);
    expect(portuguese.slice(1).trimEnd().split("\r\n")).toEqual([
      "Data;Descrição;Conta;Categoria;Valor;Conciliado",
      "2026-01-31;Salary, January;Savings;;5000,00;não",
      '2026-02-01;"Cinema ""Premiere""";Savings;Fun;-30,00;não',
    ]);
  });

  it("exports chosen transactions by id with their mark, in the same format; another family's id is skipped", async () => {
    const marks = new Map([
      [ids.cinema!, "changed"],
      [ids.salary!, "lost"],
      [theirs, "lost"],
    ]);
    const csv = await readStream(
      streamMarkedTransactionsCsv(target, familyId, marks, EN, { id: "ID", status: "Status" }, { batchSize: 1 }),
    );
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const salary = `2026-01-31,"Salary, January",Savings,,5000.00,no,${ids.salary},lost`;
    const cinema = `2026-02-01,"Cinema ""Premiere""",Savings,Fun,-30.00,no,${ids.cinema},changed`;
    expect(csv.slice(1).trimEnd().split("\r\n")).toEqual([
      "Date,Description,Account,Category,Amount,Reconciled,ID,Status",
      // In id order.
      ...(ids.salary! < ids.cinema! ? [salary, cinema] : [cinema, salary]),
    ]);
  });

  it("deletes a transaction of the family only", async () => {
    expect(await deleteTransaction(db, familyId, theirs)).toBe(false);
    expect(await db.transaction.count({ where: { id: theirs } })).toBe(1);
    expect(await deleteTransaction(db, familyId, ids.cinema!)).toBe(true);
    expect(await db.transaction.count({ where: { id: ids.cinema! } })).toBe(0);
    expect(await deleteTransaction(db, familyId, ids.cinema!)).toBe(false);
  });

  it("creates, renames, archives and reopens accounts and categories; archived ones keep their transactions", async () => {
    const created = await saveAccountOrCategory(db, { familyId, kind: "account", name: "Travel card" });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(await saveAccountOrCategory(db, { familyId, kind: "account", name: "travel CARD" })).toEqual({
      ok: false,
      reason: "NAME_TAKEN",
    });
    // Another family may use the same name; nobody may rename another family's account.
    expect(
      (await saveAccountOrCategory(db, { familyId: otherFamilyId, kind: "account", name: "Travel card" })).ok,
    ).toBe(true);
    expect(
      await saveAccountOrCategory(db, { familyId: otherFamilyId, kind: "account", id: checking, name: "Mine now" }),
    ).toEqual({ ok: false, reason: "NOT_FOUND" });
    expect(await saveAccountOrCategory(db, { familyId, kind: "account", id: created.id, name: "Trips" })).toEqual({
      ok: true,
      id: created.id,
    });

    const category = await saveAccountOrCategory(db, { familyId, kind: "category", name: "Bakery" });
    expect(category).toEqual({ ok: false, reason: "NAME_TAKEN" });
    expect(await saveAccountOrCategory(db, { familyId, kind: "category", id: fun, name: "Leisure" })).toEqual({
      ok: true,
      id: fun,
    });

    // Archiving Checking: it leaves the form's choices and the dashboard, its transactions stay.
    const checkingCount = await db.transaction.count({ where: { accountId: checking } });
    expect(checkingCount).toBeGreaterThan(0);
    expect(await setAccountOrCategoryArchived(db, { familyId, kind: "account", id: checking, archived: true })).toBe(
      true,
    );
    expect(
      await setAccountOrCategoryArchived(db, { familyId: otherFamilyId, kind: "account", id: savings, archived: true }),
    ).toBe(false);
    expect((await listFormOptions(db, familyId)).accounts.map((a) => a.name)).toEqual(["Savings", "Trips"]);
    expect((await getAccountBalances(db, familyId)).accounts.map((a) => a.name)).toEqual(["Savings", "Trips"]);
    expect(await db.transaction.count({ where: { accountId: checking } })).toBe(checkingCount);
    expect((await list({ accountId: checking })).total).toBe(checkingCount);

    const overview = await listAccountsAndCategories(db, familyId);
    expect(overview.accounts.map((a) => [a.name, a.archived, a.balanceCents])).toEqual([
      ["Savings", false, (await list({ accountId: savings })).totalCents],
      ["Trips", false, 0n],
      ["Checking", true, (await list({ accountId: checking })).totalCents],
      ["Closed card", true, (await list({ accountId: closed })).totalCents],
    ]);
    expect(overview.categories.find((c) => c.id === bakery)?.transactionCount).toBe(
      (await list({ categoryId: bakery })).total,
    );

    expect(await setAccountOrCategoryArchived(db, { familyId, kind: "account", id: checking, archived: false })).toBe(
      true,
    );
    expect((await listFormOptions(db, familyId)).accounts.map((a) => a.name)).toEqual(["Checking", "Savings", "Trips"]);
    expect(await setAccountOrCategoryArchived(db, { familyId, kind: "category", id: bakery, archived: true })).toBe(
      true,
    );
    expect((await listFormOptions(db, familyId)).categories.map((c) => c.name)).toEqual(["Leisure"]);
  });
});
