/**
 * The money adds up (issue 14, item 3): after every restore and migration each account's
 * balance and the family's total, read back from the live result, equal what the backup's
 * own rows add up to; the result says so (`money`), and a difference rolls the restore back.
 * A test fault (`WIMM_FAULT=skew-balance`) moves one cent after the checksums were compared,
 * so only the balance check can catch it.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeChecksums, diffChecksums } from "../lib/db/checksum.ts";
import type { DatabaseTarget } from "../lib/db/url.ts";
import { runWimm } from "./helpers/cli.ts";
import {
  createTarget,
  createTempDir,
  enginesUnderTest,
  execSql,
  postgresEnabled,
  querySql,
} from "./helpers/databases.ts";

/** Balances and total as SQL computes them on the live database, amounts as exact strings. */
async function liveMoney(target: DatabaseTarget) {
  const rows = await querySql<{ id: unknown; cents: unknown }>(
    target,
    "SELECT a.id AS id, CAST(COALESCE(SUM(t.amount_cents), 0) AS TEXT) AS cents FROM accounts a " +
      "LEFT JOIN transactions t ON t.account_id = a.id GROUP BY a.id ORDER BY a.id",
  );
  const balances = rows.map((r) => [Number(r.id), String(r.cents)] as const);
  const total = balances.reduce((sum, [, cents]) => sum + BigInt(cents), 0n);
  return { balances, accounts: balances.length, totalCents: String(total) };
}

describe.each(enginesUnderTest)("the money adds up after a restore (%s)", (engine) => {
  const tmp = createTempDir(`wimm-money-${engine}-`);
  let target: DatabaseTarget;
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;
  let backup: string;
  let inBackup: Awaited<ReturnType<typeof liveMoney>>;

  beforeAll(async () => {
    ({ target, cleanup } = await createTarget(engine));
    env = {
      DATABASE_URL: target.engine === "sqlite" ? `file:${target.path}` : target.url,
      WIMM_BACKUP_DIR: join(tmp.dir, "backups"),
      WIMM_ADMIN_PASSWORD: "admin-password-1",
      WIMM_MEMBER_PASSWORD: "member-password-1",
    };
    const seeded = await runWimm(["seed", "--transactions", "400"], { env });
    expect(seeded.code, seeded.stderr).toBe(0);
    // An amount past 2^53, where a float would lose the last cent, and an account with no
    // transaction at all (its balance is 0, and it must still be there).
    await execSql(
      target,
      "UPDATE transactions SET amount_cents = 9007199254740993 WHERE id = (SELECT min(id) FROM transactions)",
    );
    await execSql(
      target,
      "INSERT INTO accounts (family_id, name, archived, created_at) SELECT id, 'Empty', false, created_at FROM families LIMIT 1",
    );
    inBackup = await liveMoney(target);
    const made = await runWimm(["backup"], { env });
    expect(made.code, made.stderr).toBe(0);
    backup = (made.json as { path: string }).path;
    // Live moves on: a new transaction the restore will take away.
    await execSql(
      target,
      "INSERT INTO transactions (account_id, category_id, user_id, amount_cents, description, occurred_at, reconciled, created_at, search_text) " +
        "SELECT account_id, category_id, user_id, 12345, 'after the backup', occurred_at, reconciled, created_at, 'after the backup' FROM transactions LIMIT 1",
    );
  });
  afterAll(async () => {
    await cleanup();
    tmp.cleanup();
  });

  it("a restore says how many accounts came back, each balance equal to the backup's", async () => {
    expect((await liveMoney(target)).totalCents).not.toBe(inBackup.totalCents);
    const restored = await runWimm(["restore", backup], { env });
    expect(restored.code, restored.stderr.slice(-500)).toBe(0);
    const after = await liveMoney(target);
    expect(after).toEqual(inBackup);
    expect(restored.json).toMatchObject({
      success: true,
      money: { accounts: inBackup.accounts, totalCents: inBackup.totalCents },
    });
    expect(restored.stderr).toMatch(/account\(s\), balances equal to the backup's/);
  });

  it("a cent moved after the checksums is caught by the balance check, and the restore rolls back", async () => {
    // Different live data first, so that a rollback is told apart from a restore.
    await execSql(
      target,
      "UPDATE transactions SET amount_cents = amount_cents + 100 WHERE id = (SELECT max(id) FROM transactions)",
    );
    const before = await computeChecksums(target);
    const moneyBefore = await liveMoney(target);
    const skewed = await runWimm(["restore", backup], {
      env: { ...env, WIMM_TEST_FAULTS: "1", WIMM_FAULT: "skew-balance" },
    });
    expect(skewed.code, skewed.stderr.slice(-500)).toBe(1);
    expect(skewed.json).toMatchObject({ success: false, rolledBack: true });
    expect((skewed.json as { reason: string }).reason).toMatch(
      /the balances differ from the backup's: account \d+: the backup's balance is -?\d+, the restored one -?\d+/,
    );
    // The live data is exactly what it was (the rollback ended the sessions and recorded itself).
    expect(diffChecksums(before, await computeChecksums(target), ["sessions", "events"])).toEqual([]);
    expect(await liveMoney(target)).toEqual(moneyBefore);
  });
});

(postgresEnabled ? describe : describe.skip)("the money adds up after a migration", () => {
  const tmp = createTempDir("wimm-money-migration-");
  afterAll(() => tmp.cleanup());

  it("a SQLite backup migrated into PostgreSQL keeps every balance, and says so", async () => {
    const source = await createTarget("sqlite");
    const live = await createTarget("postgresql");
    try {
      const backups = join(tmp.dir, "backups");
      const sqliteEnv = {
        DATABASE_URL: source.target.engine === "sqlite" ? `file:${source.target.path}` : "",
        WIMM_BACKUP_DIR: backups,
        WIMM_ADMIN_PASSWORD: "admin-password-1",
        WIMM_MEMBER_PASSWORD: "member-password-1",
      };
      expect((await runWimm(["seed", "--transactions", "300"], { env: sqliteEnv })).code).toBe(0);
      const expected = await liveMoney(source.target);
      const made = await runWimm(["backup"], { env: sqliteEnv });
      expect(made.code, made.stderr).toBe(0);
      const pgEnv = { ...sqliteEnv, DATABASE_URL: live.target.engine === "postgresql" ? live.target.url : "" };
      expect((await runWimm(["seed", "--transactions", "10"], { env: pgEnv })).code).toBe(0);
      const migrated = await runWimm(["restore", (made.json as { path: string }).path, "--confirm-migration"], {
        env: pgEnv,
      });
      expect(migrated.code, migrated.stderr.slice(-500)).toBe(0);
      expect(migrated.json).toMatchObject({
        scenario: "sqlite-to-postgresql",
        money: { accounts: expected.accounts, totalCents: expected.totalCents },
      });
      expect(await liveMoney(live.target)).toEqual(expected);
    } finally {
      await source.cleanup();
      await live.cleanup();
    }
  });
});
