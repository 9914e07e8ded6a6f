/**
 * A backup beside the live data, from the two summaries (summarize-records.ts): rows per
 * table, each account's balance on both sides, and what a restore of the backup would take
 * away (`lostSinceBackup`: live rows whose id the backup lacks), bring back (`onlyInBackup`)
 * or put back as it was (`changedSinceBackup`: same id, different values). Pure: the readers
 * did the reading.
 *
 * Amounts leave here as strings of integer cents: JSON numbers lose 64-bit integers.
 */
import { COMPARED, type ComparedTable, type RecordSummary } from "./summarize-records.ts";

export type Side = { rows: Record<string, number>; summary: RecordSummary };

export type AccountComparison = {
  id: number;
  /** The backup's name; the live one for an account created since. */
  name: string;
  /** Null on the side the account does not exist on. */
  backupBalanceCents: string | null;
  liveBalanceCents: string | null;
};

export type Counts = Record<ComparedTable, number>;

export type LiveComparison = {
  /** Null where a side has no such table (a table of a later schema than the backup's). */
  tables: Record<string, { backup: number | null; live: number | null }>;
  accounts: AccountComparison[];
  /** The family's total over every account, archived ones included. */
  totalBalanceCents: { backup: string; live: string };
  lostSinceBackup: Counts;
  changedSinceBackup: Counts;
  onlyInBackup: Counts;
  /** The transactions behind those two counts, by id, ascending: what the page offers as a
   *  CSV before the admin confirms (the rows themselves are read live by id, never from here). */
  lostTransactionIds: number[];
  changedTransactionIds: number[];
};

export function compareWithLive(backup: Side, live: Side): LiveComparison {
  const tables: LiveComparison["tables"] = {};
  for (const name of new Set([...Object.keys(backup.rows), ...Object.keys(live.rows)]))
    tables[name] = { backup: backup.rows[name] ?? null, live: live.rows[name] ?? null };

  const ids = [...new Set([...backup.summary.accountNames.keys(), ...live.summary.accountNames.keys()])];
  const balance = (side: Side, id: number) =>
    side.summary.accountNames.has(id) ? String(side.summary.balances.get(id) ?? 0n) : null;
  const accounts = ids
    .sort((a, b) => a - b)
    .map((id) => ({
      id,
      name: (backup.summary.accountNames.get(id) ?? live.summary.accountNames.get(id))!,
      backupBalanceCents: balance(backup, id),
      liveBalanceCents: balance(live, id),
    }));
  const total = (side: Side) => String([...side.summary.balances.values()].reduce((sum, c) => sum + c, 0n));

  const count = (test: (table: ComparedTable, id: number, hash: number) => boolean, from: Side): Counts => {
    const counts = { users: 0, accounts: 0, transactions: 0 };
    for (const table of COMPARED)
      for (const [id, hash] of from.summary.rows[table]) if (test(table, id, hash)) counts[table]++;
    return counts;
  };
  const lost = (t: ComparedTable, id: number) => !backup.summary.rows[t].has(id);
  const changed = (t: ComparedTable, id: number, hash: number) => {
    const then = backup.summary.rows[t].get(id);
    return then !== undefined && then !== hash;
  };
  const transactionIds = (test: (t: ComparedTable, id: number, hash: number) => boolean) =>
    [...live.summary.rows.transactions]
      .filter(([id, hash]) => test("transactions", id, hash))
      .map(([id]) => id)
      .sort((a, b) => a - b);
  return {
    tables,
    accounts,
    totalBalanceCents: { backup: total(backup), live: total(live) },
    lostSinceBackup: count(lost, live),
    changedSinceBackup: count(changed, live),
    onlyInBackup: count((t, id) => !live.summary.rows[t].has(id), backup),
    lostTransactionIds: transactionIds(lost),
    changedTransactionIds: transactionIds(changed),
  };
}
