import { describe, expect, it } from "vitest";
import { getTable, tablesAt } from "../../db/tables.ts";
import { RecordChecker, isCanonicalDateTime } from "./check-records.ts";

const T = "2026-01-02 03:04:05.678";
const MARIA = `2\t1\tmaria\t\\N\thash\tmember\tt\t${T}`;

/** A small, valid family as canonical lines of schema 1, with the changes a test asks for. */
function family(changes: Partial<Record<string, string[]>> = {}) {
  return {
    app_meta: ["app\twimm-finance", "schema_version\t1"],
    families: [`1\tSão João\tBRL\t${T}`],
    users: [`1\t1\tadmin\tAdmin\thash\tadmin\tt\t${T}`, `2\t1\tmaria\t\\N\thash\tmember\tt\t${T}`],
    accounts: [`1\t1\tWallet\tf\t${T}`],
    categories: [`1\t1\tFood\tf\t${T}`],
    transactions: [`1\t1\t1\t1\t-1234\tbread\t${T}\tf\t${T}`, `2\t1\t\\N\t2\t9007199254740991\t🍞\t${T}\tt\t${T}`],
    events: [`1\tseed\tseeded\t\\N\t${T}`],
    ...changes,
  };
}

function check(blocks: Record<string, string[] | undefined>) {
  const checker = new RecordChecker();
  for (const [name, lines] of Object.entries(blocks)) {
    const line = checker.table(getTable(name, tablesAt(1)));
    for (const l of lines ?? []) line(l);
  }
  return checker.findings().map((f) => `${f.table}.${f.column}: ${f.problem} [${f.ids.join(",")}]`);
}

describe("RecordChecker", () => {
  it("accepts a valid family, in any table order", () => {
    expect(check(family())).toEqual([]);
    const reversed = Object.fromEntries(Object.entries(family()).reverse());
    expect(check(reversed)).toEqual([]);
  });

  it.each([
    [
      "a role the app does not know",
      { users: [`1\t1\tadmin\tA\th\tAdmin\tt\t${T}`, MARIA] },
      ["users.role: not a role (admin or member) [1]", "users.role: no active admin [-]"],
    ],
    ["no active admin", { users: [`1\t1\tadmin\tA\th\tadmin\tf\t${T}`, MARIA] }, "users.role: no active admin [-]"],
    [
      "a currency that is not ISO 4217",
      { families: [`1\tF\tR$\t${T}`] },
      "families.currency: not an ISO 4217 currency code [1]",
    ],
    [
      "an amount stored as text",
      { transactions: [`1\t1\t1\t1\t12,34\tx\t${T}\tf\t${T}`] },
      "transactions.amount_cents: not a 64-bit integer [1]",
    ],
    [
      "an amount past 64 bits",
      { transactions: [`1\t1\t1\t1\t9223372036854775808\tx\t${T}\tf\t${T}`] },
      "transactions.amount_cents: not a 64-bit integer [1]",
    ],
    [
      "a date word",
      { transactions: [`1\t1\t1\t1\t1\tx\tinvalid:now\tf\t${T}`] },
      "transactions.occurred_at: not a date and time [1]",
    ],
    [
      "a day that does not exist",
      { transactions: [`1\t1\t1\t1\t1\tx\t2026-02-30 00:00:00.000\tf\t${T}`] },
      "transactions.occurred_at: not a date and time [1]",
    ],
    ["a NUL in text", { accounts: [`1\t1\tWal\0let\tf\t${T}`] }, "accounts.name: contains a NUL byte [1]"],
    ["a boolean that is not one", { accounts: [`1\t1\tWallet\t2\t${T}`] }, "accounts.archived: not a boolean [1]"],
    [
      "a NULL where the schema has none",
      { accounts: [`1\t1\t\\N\tf\t${T}`] },
      "accounts.name: missing value (NULL) [1]",
    ],
    [
      "a transaction on a missing account",
      { transactions: [`5\t9\t1\t1\t1\tx\t${T}\tf\t${T}`] },
      "transactions.account_id: points to a missing accounts row [5]",
    ],
    [
      "an id the next id would overflow",
      { events: [`2147483647\tk\tm\t\\N\t${T}`] },
      "events.id: id too large for the next id [2147483647]",
    ],
    [
      "a row with a field too many",
      { events: [`1\tk\tm\t\\N\t${T}\textra`] },
      "events.*: has 6 fields, expected 5 [1]",
    ],
    [
      "a duplicate username",
      { users: [`1\t1\tadmin\tA\th\tadmin\tt\t${T}`, `2\t1\tadmin\tB\th\tmember\tt\t${T}`] },
      "users.username: duplicate username [2]",
    ],
    [
      "a duplicate id in a parent table",
      { accounts: [`1\t1\tA\tf\t${T}`, `1\t1\tB\tf\t${T}`] },
      "accounts.id: duplicate id [1]",
    ],
  ])("refuses %s, naming table, column and row", (_, change, finding) => {
    expect(check(family(change))).toEqual(Array.isArray(finding) ? finding : [finding]);
  });

  it("takes a NULL category, dates before 1970 and after 2100, and ±(2^53−1)", () => {
    const lines = [
      `1\t1\t\\N\t1\t-9007199254740991\tx\t1969-07-20 20:17:40.000\tf\t2101-01-01 00:00:00.000`,
      `2\t1\t1\t1\t0\t\\\\ \\t \\n\t0001-01-01 00:00:00.000\tt\t9999-12-31 23:59:59.999`,
    ];
    expect(check(family({ transactions: lines }))).toEqual([]);
  });
});

describe("isCanonicalDateTime", () => {
  it.each([
    [T, true],
    ["2024-02-29 00:00:00.000", true],
    ["2023-02-29 00:00:00.000", false],
    ["2026-13-01 00:00:00.000", false],
    ["2026-01-01 24:00:00.000", false],
    ["2026-01-01 00:00:00", false],
    ["now", false],
    ["invalid:2026-01-01 10:00 +5 days", false],
  ])("%s → %s", (value, ok) => expect(isCanonicalDateTime(value)).toBe(ok));
});
