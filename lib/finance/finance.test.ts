import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapDatabase } from "../app/bootstrap.ts";
import { createPrismaClient, type Db } from "../db/client.ts";
import { foldForSearch } from "../db/fold.ts";
import { parseDatabaseUrl } from "../db/url.ts";
import { getEnv } from "../env.ts";
import { createTransaction, dateAtNoonUtc } from "./create-transaction.ts";
import { formatTransactionDate, isoDay } from "./format-date.ts";
import { decimalMarkOf, formatCentsPlain } from "./format-plain-amount.ts";
import { getAccountBalances } from "./get-account-balances.ts";
import { listRecentTransactions, listTransactions } from "./list-transactions.ts";
import { listFormOptions } from "./list-form-options.ts";

// A real SQLite database: the queries are the point of these helpers, so they run for real.
let dir: string;
let db: Db;
let familyId: number;
let userId: number;
let checking: number;
let savings: number;
let archived: number;
let groceries: number;
let otherFamilyAccount: number;
let otherFamilyCategory: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "wimm-finance-"));
  const target = parseDatabaseUrl(`file:${join(dir, "finance.sqlite3")}`);
  await bootstrapDatabase(target, getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "test-password-123" }));
  db = await createPrismaClient(target);
  const admin = await db.user.findUniqueOrThrow({ where: { username: "admin" } });
  familyId = admin.familyId;
  userId = admin.id;
  const account = (name: string, fid = familyId, isArchived = false) =>
    db.account.create({ data: { familyId: fid, name, archived: isArchived } }).then((a) => a.id);
  checking = await account("Checking");
  savings = await account("Savings");
  archived = await account("Old card", familyId, true);
  groceries = (await db.category.create({ data: { familyId, name: "Groceries" } })).id;

  const other = await db.family.create({ data: { name: "Neighbours" } });
  otherFamilyAccount = await account("Their account", other.id);
  otherFamilyCategory = (await db.category.create({ data: { familyId: other.id, name: "Theirs" } })).id;
  const neighbour = await db.user.create({
    data: { familyId: other.id, username: "neighbour", passwordHash: "x", role: "admin" },
  });
  await db.transaction.create({
    data: {
      accountId: otherFamilyAccount,
      userId: neighbour.id,
      amountCents: 999_99n,
      description: "Not ours",
      searchText: foldForSearch("Not ours"),
      occurredAt: dateAtNoonUtc("2030-01-01"),
    },
  });
});

afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const base = () => ({ familyId, userId, categoryId: null, description: "Test" });

describe("createTransaction", () => {
  it("stores exact cents at 12:00 UTC of the chosen day", async () => {
    const result = await createTransaction(db, {
      ...base(),
      accountId: checking,
      categoryId: groceries,
      amountCents: -123456n,
      date: "2026-03-01",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const row = await db.transaction.findUniqueOrThrow({ where: { id: result.id } });
    expect(row.amountCents).toBe(-123456n);
    expect(row.occurredAt.toISOString()).toBe("2026-03-01T12:00:00.000Z");
    expect(row.userId).toBe(userId);
    expect(row.categoryId).toBe(groceries);
  });

  it("refuses another family's account or category, and archived accounts", async () => {
    const input = { ...base(), amountCents: 100n, date: "2026-03-02" };
    expect(await createTransaction(db, { ...input, accountId: otherFamilyAccount })).toEqual({
      ok: false,
      reason: "ACCOUNT_NOT_FOUND",
    });
    expect(await createTransaction(db, { ...input, accountId: archived })).toEqual({
      ok: false,
      reason: "ACCOUNT_NOT_FOUND",
    });
    expect(await createTransaction(db, { ...input, accountId: checking, categoryId: otherFamilyCategory })).toEqual({
      ok: false,
      reason: "CATEGORY_NOT_FOUND",
    });
  });
});

describe("getAccountBalances", () => {
  it("sums each open account of the family, beyond the range of a float", async () => {
    await createTransaction(db, { ...base(), accountId: savings, amountCents: 9007199254740991n, date: "2026-03-03" });
    await createTransaction(db, { ...base(), accountId: savings, amountCents: 9007199254740991n, date: "2026-03-04" });
    const { accounts, totalCents } = await getAccountBalances(db, familyId);
    expect(accounts).toEqual([
      { id: checking, name: "Checking", balanceCents: -123456n },
      { id: savings, name: "Savings", balanceCents: 18014398509481982n },
    ]);
    expect(totalCents).toBe(18014398509481982n - 123456n);
  });
});

describe("listTransactions", () => {
  it("pages the family's transactions newest first, ties broken by id", async () => {
    for (let i = 0; i < 5; i++) {
      await createTransaction(db, { ...base(), accountId: checking, amountCents: BigInt(i + 1), date: "2026-04-01" });
    }
    const all = await listTransactions(db, familyId, 1, 100);
    expect(all.total).toBe(8);
    expect(all.rows.map((r) => r.description)).not.toContain("Not ours");
    const keys = all.rows.map((r) => [r.occurredAt.getTime(), r.id] as const);
    const sorted = [...keys].sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    expect(keys).toEqual(sorted);

    const page1 = await listTransactions(db, familyId, 1, 3);
    const page3 = await listTransactions(db, familyId, 3, 3);
    expect(page1.pageCount).toBe(3);
    expect(page1.rows.map((r) => r.id)).toEqual(all.rows.slice(0, 3).map((r) => r.id));
    expect(page3.rows.map((r) => r.id)).toEqual(all.rows.slice(6).map((r) => r.id));
    expect((await listTransactions(db, familyId, 4, 3)).rows).toEqual([]);
    expect(page1.rows[0]).toMatchObject({ accountName: "Checking", categoryName: null, amountCents: 5n });
  });

  it("gives the latest transactions for the dashboard", async () => {
    const recent = await listRecentTransactions(db, familyId, 2);
    expect(recent).toHaveLength(2);
    expect(recent[0]?.amountCents).toBe(5n);
  });
});

describe("listFormOptions", () => {
  it("offers only the family's open accounts and categories", async () => {
    expect(await listFormOptions(db, familyId)).toEqual({
      accounts: [
        { id: checking, name: "Checking" },
        { id: savings, name: "Savings" },
      ],
      categories: [{ id: groceries, name: "Groceries" }],
    });
  });
});

describe("formatTransactionDate", () => {
  it("reads the stored day in UTC, in the locale's form, whatever the server's zone", () => {
    const day = dateAtNoonUtc("2026-11-28");
    expect(formatTransactionDate(day, "en")).toBe("Nov 28, 2026");
    expect(formatTransactionDate(day, "pt-BR")).toBe("28/11/2026");
    expect(isoDay(day)).toBe("2026-11-28");
    // Year ends stay on their own day.
    expect(formatTransactionDate(dateAtNoonUtc("2027-01-01"), "pt-BR")).toBe("01/01/2027");
    expect(formatTransactionDate(dateAtNoonUtc("2026-12-31"), "en")).toBe("Dec 31, 2026");
  });
});

describe("formatCentsPlain for the amount field", () => {
  it("uses the locale's decimal mark, so the edit form shows what the user would type", () => {
    expect(decimalMarkOf("pt-BR")).toBe(",");
    expect(decimalMarkOf("en")).toBe(".");
    expect(formatCentsPlain(-123456n, decimalMarkOf("pt-BR"))).toBe("-1234,56");
    expect(formatCentsPlain(-123456n, decimalMarkOf("en"))).toBe("-1234.56");
  });
});
