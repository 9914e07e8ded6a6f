/**
 * `./bin/wimm inspect FILE` (issue 14's contract), through the real CLI on real files, its
 * values checked against the databases themselves: after a backup, N transactions and an
 * account are added, one account's transactions deleted and one transaction changed; the
 * inspection must say exactly that, with the row counts and balances SQL gives, on both
 * engines. A file a restore would refuse gives exit 2 with the restore's code; nothing live
 * ever changes. A schema-1 fixture is inspected on a schema-2 instance (never regenerated).
 */
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  openSync,
  readdirSync,
  truncateSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapDatabase } from "../lib/app/bootstrap.ts";
import { findPgTool } from "../lib/backup-restore/engine/pg-tools.ts";
import { computeChecksums, diffChecksums, type Checksums } from "../lib/db/checksum.ts";
import { createPrismaClient } from "../lib/db/client.ts";
import { LATEST_SCHEMA_VERSION, TABLES } from "../lib/db/tables.ts";
import type { DatabaseTarget, Engine } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { createTransaction } from "../lib/finance/create-transaction.ts";
import { runWimm } from "./helpers/cli.ts";
import {
  createPostgresTarget,
  createTarget,
  createTempDir,
  enginesUnderTest,
  execSql,
  querySql,
} from "./helpers/databases.ts";
import { discoverFixtureFolders } from "./helpers/schema-fixtures.ts";

const tmp = createTempDir("wimm-cli-inspect-");
afterAll(() => tmp.cleanup());

type Inspected = {
  type: string;
  schemaVersion: number;
  family: { name: string };
  users: { username: string; role: string }[];
  tables: Record<string, { backup: number | null; live: number | null }>;
  accounts: { id: number; name: string; backupBalanceCents: string | null; liveBalanceCents: string | null }[];
  lostSinceBackup: { transactions: number; accounts: number; users: number };
  changedSinceBackup: { transactions: number; accounts: number; users: number };
  onlyInBackup: { transactions: number; accounts: number; users: number };
  lostTransactionIds: number[];
  changedTransactionIds: number[];
  code?: string;
  error?: string;
  details?: string;
};

/** Rows per table, by SQL. */
async function countRows(target: DatabaseTarget): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES)
    out[t.name] = Number((await querySql<{ n: number }>(target, `SELECT count(*) AS n FROM "${t.name}"`))[0]!.n);
  return out;
}

/** Every account's balance, by SQL: account id → the sum of its amounts as a decimal string. */
async function sqlBalances(target: DatabaseTarget): Promise<Map<number, string>> {
  const rows = await querySql<{ id: number; cents: string | null }>(
    target,
    `SELECT a.id AS id, CAST(SUM(t.amount_cents) AS TEXT) AS cents
       FROM accounts a LEFT JOIN transactions t ON t.account_id = a.id GROUP BY a.id`,
  );
  return new Map(rows.map((r) => [Number(r.id), r.cents ?? "0"]));
}

const backupsIn = (dir: string) => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

/** app_meta rows inside a backup the app made itself (trusted here): the backup adds its own facts. */
function appMetaRowsOf(path: string, engine: Engine): number {
  if (engine === "sqlite") {
    const db = new Database(path, { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM app_meta").get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const text = execFileSync(findPgTool("pg_restore"), ["--data-only", "--table", "app_meta", "--file", "-", path], {
    encoding: "utf8",
  });
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("COPY public.app_meta"));
  return lines.slice(start + 1).findIndex((l) => l === "\\.");
}

const fixture = discoverFixtureFolders().find((f) => f.schemaVersion === 1)!;

let instances = 0;
async function instance(engine: Engine, transactions: number) {
  const db = await createTarget(engine);
  const dir = join(tmp.dir, `instance-${++instances}`);
  const env = {
    DATABASE_URL: db.target.url,
    WIMM_BACKUP_DIR: join(dir, "backups"),
    WIMM_ADMIN_PASSWORD: "admin-password-1",
    WIMM_MEMBER_PASSWORD: "member-password-1",
  };
  const seeded = await runWimm(["seed", "--transactions", String(transactions)], { env });
  expect(seeded.code, seeded.stderr).toBe(0);
  return { ...db, env };
}

describe.each(enginesUnderTest)("wimm inspect on %s", (engine) => {
  const ADDED = 7;
  let live: Awaited<ReturnType<typeof instance>>;
  let backupPath: string;
  let atBackup: { rows: Record<string, number>; balances: Map<number, string> };
  let deleted: number;
  let newAccount: number;

  beforeAll(async () => {
    live = await instance(engine, 60);
    atBackup = { rows: await countRows(live.target), balances: await sqlBalances(live.target) };
    const made = await runWimm(["backup"], { env: live.env });
    expect(made.code, made.stderr).toBe(0);
    backupPath = (made.json as { path: string }).path;

    // Since the backup: an account and N transactions through the app's own code, one
    // account's transactions deleted, one transaction changed.
    const db = await createPrismaClient(live.target, { poolSize: 1 });
    try {
      const admin = (await db.user.findFirst({ where: { role: "admin" }, orderBy: { id: "asc" } }))!;
      const account = await db.account.create({ data: { familyId: admin.familyId, name: "Nova conta 🆕" } });
      newAccount = account.id;
      for (let i = 0; i < ADDED; i++) {
        const created = await createTransaction(db, {
          familyId: admin.familyId,
          userId: admin.id,
          accountId: i < 3 ? account.id : 1,
          categoryId: null,
          amountCents: BigInt(-1000 * (i + 1)) - 9007199254740000n,
          description: `since the backup ${i}`,
          date: "2026-11-30",
        });
        expect(created.ok).toBe(true);
      }
    } finally {
      await db.$disconnect();
    }
    deleted = Number(
      (await querySql<{ n: number }>(live.target, "SELECT count(*) AS n FROM transactions WHERE account_id = 2"))[0]!.n,
    );
    expect(deleted).toBeGreaterThan(0);
    await execSql(live.target, "DELETE FROM transactions WHERE account_id = 2");
    await execSql(
      live.target,
      "UPDATE transactions SET reconciled = NOT reconciled WHERE id = (SELECT min(id) FROM transactions WHERE account_id = 3)",
    );
  }, 120_000);

  afterAll(() => live?.cleanup());

  it("0: the backup beside the live data, every value as SQL gives it; nothing changed", async () => {
    const before = await computeChecksums(live.target);
    const files = backupsIn(live.env.WIMM_BACKUP_DIR);
    const r = await runWimm(["inspect", backupPath], { env: live.env });
    expect(r.code, r.stderr.slice(-1000)).toBe(0);
    const out = r.json as Inspected;
    expect(out).toMatchObject({
      type: engine,
      schemaVersion: LATEST_SCHEMA_VERSION,
      family: { name: "My family" },
      users: [
        { username: "admin", role: "admin" },
        { username: "maria", role: "member" },
      ],
    });

    const now = await countRows(live.target);
    const expectedTables = Object.fromEntries(
      TABLES.map((t) => [
        t.name,
        {
          // Backups carry no sessions; the backup adds its own facts to app_meta.
          backup:
            t.name === "sessions"
              ? 0
              : t.name === "app_meta"
                ? appMetaRowsOf(backupPath, engine)
                : atBackup.rows[t.name],
          live: now[t.name],
        },
      ]),
    );
    expect(out.tables).toEqual(expectedTables);
    expect(out.tables.transactions).toEqual({
      backup: atBackup.rows.transactions,
      live: atBackup.rows.transactions! + ADDED - deleted,
    });

    const liveBalances = await sqlBalances(live.target);
    const ids = [...new Set([...atBackup.balances.keys(), ...liveBalances.keys()])].sort((a, b) => a - b);
    expect(
      out.accounts.map(({ id, backupBalanceCents, liveBalanceCents }) => ({
        id,
        backupBalanceCents,
        liveBalanceCents,
      })),
    ).toEqual(
      ids.map((id) => ({
        id,
        backupBalanceCents: atBackup.balances.get(id) ?? null,
        liveBalanceCents: liveBalances.get(id) ?? null,
      })),
    );
    expect(out.accounts.find((a) => a.id === newAccount)).toMatchObject({
      name: "Nova conta 🆕",
      backupBalanceCents: null,
    });
    expect(out.accounts.find((a) => a.id === 2)?.liveBalanceCents).toBe("0");
    // Beyond 2^53: the strings are exact.
    expect(BigInt(liveBalances.get(newAccount)!)).toBeLessThan(-(2n ** 53n));

    expect(out.lostSinceBackup).toEqual({ transactions: ADDED, accounts: 1, users: 0 });
    expect(out.onlyInBackup).toEqual({ transactions: deleted, accounts: 0, users: 0 });
    expect(out.changedSinceBackup).toEqual({ transactions: 1, accounts: 0, users: 0 });
    // By id too (the page's CSV of what would be lost is made from these).
    const idsBySql = async (sql: string) => (await querySql<{ id: number }>(live.target, sql)).map((r) => Number(r.id));
    expect(out.lostTransactionIds).toEqual(
      await idsBySql("SELECT id FROM transactions WHERE description LIKE 'since the backup %' ORDER BY id"),
    );
    expect(out.changedTransactionIds).toEqual(
      await idsBySql("SELECT min(id) AS id FROM transactions WHERE account_id = 3"),
    );

    // Read-only: every table as it was, and no file written beside the backups.
    expect(diffChecksums(before, await computeChecksums(live.target))).toEqual([]);
    expect(backupsIn(live.env.WIMM_BACKUP_DIR)).toEqual(files);
  }, 60_000);

  it("2: a corrupted file, a non-backup file, a newer-schema file — the restore's refusal; nothing changed", async () => {
    const before: Checksums = await computeChecksums(live.target);
    const cases: { file: string; code: string }[] = [];

    const text = join(tmp.dir, `${engine}-notes.dump`);
    writeFileSync(text, "not a backup\n");
    cases.push({ file: text, code: "UNKNOWN_FILE_TYPE" });

    const corrupt = join(tmp.dir, `${engine}-corrupt`);
    copyFileSync(backupPath, corrupt);
    if (engine === "sqlite") {
      // The transactions table's root page overwritten: the file opens, its integrity check fails.
      const own = new Database(corrupt, { readonly: true });
      const pageSize = own.pragma("page_size", { simple: true }) as number;
      const root = (
        own.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'transactions'").get() as {
          rootpage: number;
        }
      ).rootpage;
      own.close();
      const fd = openSync(corrupt, "r+");
      writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (root - 1) * pageSize);
      closeSync(fd);
      cases.push({ file: corrupt, code: "SQLITE_CORRUPT" });
    } else {
      truncateSync(corrupt, Math.floor(statSync(corrupt).size / 2));
      cases.push({ file: corrupt, code: "PG_ARCHIVE_UNREADABLE" });
    }

    const newerSqlite = join(tmp.dir, `${engine}-schema-99.sqlite3`);
    copyFileSync(join(fixture.dir, "family.sqlite3"), newerSqlite);
    const db = new Database(newerSqlite);
    db.prepare("UPDATE app_meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    cases.push({ file: newerSqlite, code: "NEWER_SCHEMA" });

    if (engine === "postgresql") {
      const scratch = await createPostgresTarget("wimm_test_inspect99");
      try {
        await bootstrapDatabase(scratch.target, { ...getEnv(), WIMM_ADMIN_PASSWORD: "admin-password-1" });
        await execSql(scratch.target, "UPDATE app_meta SET value = '99' WHERE key = 'schema_version'");
        const dump = join(tmp.dir, "schema-99.dump");
        execFileSync(findPgTool("pg_dump"), ["--format=custom", "--file", dump, "--dbname", scratch.target.url]);
        cases.push({ file: dump, code: "NEWER_SCHEMA" });
      } finally {
        await scratch.cleanup();
      }
    }

    for (const c of cases) {
      const r = await runWimm(["inspect", c.file], { env: live.env });
      expect(r.code, `${c.file}: ${r.stderr.slice(-500)}`).toBe(2);
      expect(r.json, c.file).toMatchObject({
        success: false,
        refused: true,
        code: c.code,
        error: expect.any(String),
        details: expect.any(String),
      });
      // The same words as `wimm restore` prints for the same file (it refuses before the lock).
      const restored = await runWimm(["restore", c.file, "--confirm-migration"], { env: live.env });
      expect(restored.code).toBe(2);
      const { code, error } = restored.json as { code: string; error: string };
      expect({ code, error }).toEqual({ code: c.code, error: (r.json as Inspected).error });
    }
    const newer = (await runWimm(["inspect", newerSqlite], { env: live.env })).json as Inspected;
    expect(newer.details).toContain("schema version 99");
    expect(diffChecksums(before, await computeChecksums(live.target))).toEqual([]);
  }, 180_000);

  const files = engine === "sqlite" ? (["family.sqlite3"] as const) : (["family.dump", "family.sqlite3"] as const);
  it.each(files)(
    "a schema-1 fixture (%s) on this schema-2 instance: read at its own schema",
    async (name) => {
      const copy = join(tmp.dir, `${engine}-${name}`);
      copyFileSync(join(fixture.dir, name), copy);
      const expected = fixture.expected.fixtures[name]!;
      const before = await computeChecksums(live.target);
      const r = await runWimm(["inspect", copy], { env: live.env });
      expect(r.code, r.stderr.slice(-1000)).toBe(0);
      const out = r.json as Inspected;
      expect(out).toMatchObject({
        type: name.endsWith(".dump") ? "postgresql" : "sqlite",
        schemaVersion: 1,
        family: { name: "Família São João" },
        users: (expected.tables.users as { username: string; role: string }[]).map(({ username, role }) => ({
          username,
          role,
        })),
      });
      const now = await countRows(live.target);
      for (const t of TABLES)
        expect(out.tables[t.name], t.name).toEqual({ backup: expected.rowCounts[t.name] ?? 0, live: now[t.name] });

      const sums = new Map<number, bigint>();
      for (const a of expected.tables.accounts as { id: number }[]) sums.set(a.id, 0n);
      for (const t of expected.tables.transactions as { account_id: number; amount_cents: string }[])
        sums.set(t.account_id, sums.get(t.account_id)! + BigInt(t.amount_cents));
      const liveBalances = await sqlBalances(live.target);
      for (const [id, cents] of sums) {
        const account = out.accounts.find((a) => a.id === id);
        expect(account, `account ${id}`).toMatchObject({
          backupBalanceCents: String(cents),
          liveBalanceCents: liveBalances.get(id) ?? null,
        });
      }
      // Live transactions whose ids the fixture's 30 lack are what its restore would take away.
      const liveIds = (await querySql<{ id: number }>(live.target, "SELECT id FROM transactions")).map((x) =>
        Number(x.id),
      );
      const fixtureIds = new Set((expected.tables.transactions as { id: number }[]).map((t) => t.id));
      expect(out.lostSinceBackup.transactions).toBe(liveIds.filter((id) => !fixtureIds.has(id)).length);
      expect(diffChecksums(before, await computeChecksums(live.target))).toEqual([]);
    },
    60_000,
  );
});

describe("wimm inspect: a dump on a SQLite instance", () => {
  it("described (pg_restore reads it offline), but exit 2: a restore here would refuse it", async () => {
    const live = await instance("sqlite", 10);
    try {
      const copy = join(tmp.dir, "on-sqlite-family.dump");
      copyFileSync(join(fixture.dir, "family.dump"), copy);
      const before = await computeChecksums(live.target);
      const r = await runWimm(["inspect", copy], { env: live.env });
      expect(r.code, r.stderr.slice(-1000)).toBe(2);
      const out = r.json as Inspected;
      expect(out).toMatchObject({
        refused: true,
        code: "PG_DUMP_ON_SQLITE",
        type: "postgresql",
        schemaVersion: 1,
        family: { name: "Família São João" },
        tables: { transactions: { backup: 30, live: 10 } },
      });
      expect(out.error).toEqual(expect.any(String));
      expect(diffChecksums(before, await computeChecksums(live.target))).toEqual([]);
    } finally {
      await live.cleanup();
    }
  }, 60_000);
});
