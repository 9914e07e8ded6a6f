import { describe, expect, it } from "vitest";
import { getTable, tablesAt } from "../../db/tables.ts";
import { compareWithLive } from "./compare-with-live.ts";
import { BalanceTally } from "../engine/money-check.ts";
import { comparedTables, summarizeRecords } from "./summarize-records.ts";

const v2 = tablesAt(2);
const tx = (id: number, account: number, cents: string, reconciled = "f") =>
  `${id}\t${account}\t\\N\t1\t${cents}\tdesc ${id}\t2026-11-01 12:00:00.000\t${reconciled}\t2026-11-01 12:00:00.000`;
const account = (id: number, name: string) => `${id}\t1\t${name}\tf\t2026-11-01 12:00:00.000`;
const user = (id: number) => `${id}\t1\tuser${id}\t\\N\thash\tmember\tt\t2026-11-01 12:00:00.000\t\\N`;

function stream(users: string[], accounts: string[], transactions: string[]) {
  return [
    { table: getTable("app_meta", v2), lines: ["app\twimm-finance"] },
    { table: getTable("users", v2), lines: users },
    { table: getTable("accounts", v2), lines: accounts },
    { table: getTable("transactions", v2), lines: transactions },
  ];
}

describe("BalanceTally", () => {
  it("sums 64-bit cents exactly, per account, and an account without transactions is 0", () => {
    const tally = new BalanceTally();
    const accounts = tally.observer(getTable("accounts", v2))!;
    const transactions = tally.observer(getTable("transactions", v2))!;
    expect(tally.observer(getTable("users", v2))).toBeNull();
    for (const line of [account(1, "Conta"), account(2, "Outra"), account(3, "Vazia")]) accounts(line);
    for (const line of [tx(1, 1, "9007199254740991"), tx(2, 1, "9007199254740991"), tx(3, 2, "-5")]) transactions(line);
    expect(tally.balances()).toEqual(
      new Map([
        [1, 18014398509481982n],
        [2, -5n],
        [3, 0n],
      ]),
    );
  });
});

describe("compareWithLive", () => {
  it("lost, changed and only-in-backup rows by id; balances on both sides, null where an account is missing", async () => {
    const compared = comparedTables(2, 2);
    const backup = await summarizeRecords(
      stream(
        [user(1)],
        [account(1, "Conta"), account(2, "Fechada")],
        [tx(1, 1, "100"), tx(2, 2, "-30"), tx(3, 1, "5")],
      ),
      compared,
    );
    const live = await summarizeRecords(
      stream(
        [user(1), user(2)],
        [account(1, "Conta"), account(3, "Nova")],
        [tx(1, 1, "100"), tx(3, 1, "5", "t"), tx(4, 3, "7"), tx(5, 1, "1")],
      ),
      compared,
    );
    const c = compareWithLive(
      { rows: { transactions: 3 }, summary: backup },
      { rows: { transactions: 4, sessions: 1 }, summary: live },
    );
    expect(c.tables).toEqual({ transactions: { backup: 3, live: 4 }, sessions: { backup: null, live: 1 } });
    expect(c.accounts).toEqual([
      { id: 1, name: "Conta", backupBalanceCents: "105", liveBalanceCents: "106" },
      { id: 2, name: "Fechada", backupBalanceCents: "-30", liveBalanceCents: null },
      { id: 3, name: "Nova", backupBalanceCents: null, liveBalanceCents: "7" },
    ]);
    expect(c.totalBalanceCents).toEqual({ backup: "75", live: "113" });
    expect(c.lostSinceBackup).toEqual({ users: 1, accounts: 1, transactions: 2 });
    expect(c.changedSinceBackup).toEqual({ users: 0, accounts: 0, transactions: 1 });
    expect(c.onlyInBackup).toEqual({ users: 0, accounts: 1, transactions: 1 });
    expect(c.lostTransactionIds).toEqual([4, 5]);
    expect(c.changedTransactionIds).toEqual([3]);
  });

  it("a schema-1 backup is compared on the columns both schemas have", async () => {
    const compared = comparedTables(1, 2);
    expect(compared.users.columns.map((c) => c.name)).not.toContain("last_sign_in_at");
    const v1user = `1\t1\tuser1\t\\N\thash\tmember\tt\t2026-11-01 12:00:00.000`;
    const backup = await summarizeRecords([{ table: getTable("users", tablesAt(1)), lines: [v1user] }], compared);
    // Live, the user has since signed in: a column the backup never had, so no change.
    const signedIn = `${v1user}\t2026-11-30 08:00:00.000`;
    const live = await summarizeRecords([{ table: getTable("users", v2), lines: [signedIn] }], compared);
    const c = compareWithLive({ rows: {}, summary: backup }, { rows: {}, summary: live });
    expect(c.changedSinceBackup.users).toBe(0);
    expect(c.lostSinceBackup.users).toBe(0);
  });

  it("signing in is no change (the admin previewing has always just signed in); a renamed user is", async () => {
    const compared = comparedTables(2, 2);
    const backup = await summarizeRecords([{ table: getTable("users", v2), lines: [user(1), user(2)] }], compared);
    const signedIn = user(1).replace(/\\N$/, "2026-12-02 08:00:00.000");
    const renamed = user(2).replace("user2", "someone");
    const live = await summarizeRecords([{ table: getTable("users", v2), lines: [signedIn, renamed] }], compared);
    const c = compareWithLive({ rows: {}, summary: backup }, { rows: {}, summary: live });
    expect(c.changedSinceBackup.users).toBe(1);
  });
});
