/**
 * SQLite → PostgreSQL migration against a real PostgreSQL server: every value survives
 * exactly (checked table by table with checksums, and field by field through Prisma on both
 * sides), sequences continue past the largest ids, bad values are refused before anything
 * is touched, and failures after the data was touched end with the old data back.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { computeChecksums, diffChecksums } from "../lib/db/checksum.ts";
import { createPrismaClient } from "../lib/db/client.ts";
import { foldForSearch } from "../lib/db/fold.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import type { RestoreRequest } from "../lib/backup-restore/spine/restore-backup.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { createPostgresTarget, createTempDir, describePostgres, querySql } from "./helpers/databases.ts";
import { restoreRequest, restoreInEnglish } from "./helpers/restore-request.ts";

process.env.WIMM_QUIET = "1";
const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "admin-password-1" } as NodeJS.ProcessEnv);

const MAX_SAFE = 9007199254740991n; // 2^53 − 1
const ONE_MB = "€".repeat(300_000) + "x".repeat(1_048_576 - 3 * 300_000); // 1 MiB of UTF-8

/** The special values every migration must carry exactly. */
const SPECIAL: {
  description: string;
  amountCents: bigint;
  occurredAt: Date;
  reconciled: boolean;
  categoryId: number | null;
}[] = [
  {
    description: "Padaria São João ☕ — pão de queijo 🧀",
    amountCents: -1250n,
    occurredAt: new Date("2026-11-28T20:15:08.882Z"),
    reconciled: true,
    categoryId: 2,
  },
  {
    description: "שלום עולם مرحبا بالعالم (RTL)",
    amountCents: MAX_SAFE,
    occurredAt: new Date("1969-07-20T20:17:40.123Z"),
    reconciled: false,
    categoryId: null,
  },
  {
    description: "Combining: e\u0301 a\u0308 n\u0303 — zalgo o\u0336\u0317",
    amountCents: -MAX_SAFE,
    occurredAt: new Date("2150-01-01T23:59:59.999Z"),
    reconciled: true,
    categoryId: 1,
  },
  {
    description: "tab\there, newline\nthere, back\\slash, \\N literal, quote \" ' , semicolon;",
    amountCents: 0n,
    occurredAt: new Date("1900-02-28T00:00:00.001Z"),
    reconciled: false,
    categoryId: 3,
  },
  {
    description: ONE_MB,
    amountCents: -1n,
    occurredAt: new Date("2000-02-29T12:00:00.000Z"),
    reconciled: false,
    categoryId: 4,
  },
];

const request = (live: DatabaseTarget, file: string, backupDir: string, extra: Partial<RestoreRequest> = {}) =>
  restoreRequest(live, file, backupDir, { confirmMigration: true, ...extra });

describePostgres("SQLite → PostgreSQL migration", () => {
  const tmp = createTempDir("wimm-mig-");
  const backupDir = join(tmp.dir, "backups");
  const sourcePath = join(tmp.dir, "source.sqlite3");
  const source = parseDatabaseUrl(`file:${sourcePath}`);
  let live: DatabaseTarget;
  let cleanup: () => Promise<void>;
  const specialIds: number[] = [];

  beforeAll(async () => {
    // The family's SQLite data: demo data plus every special value, written by Prisma.
    await seedDatabase(source, env, { transactions: 3000, memberPassword: "member-password-1" });
    const db = await createPrismaClient(source);
    try {
      for (const s of SPECIAL) {
        const data = { accountId: 1, userId: 2, ...s, searchText: foldForSearch(s.description) };
        specialIds.push((await db.transaction.create({ data })).id);
      }
      await db.user.update({ where: { username: "maria" }, data: { displayName: null } });
      await db.session.create({
        data: { userId: 1, tokenHash: "a-session-in-the-backup", expiresAt: new Date("2099-01-01") },
      });
      await db.event.create({ data: { kind: "note", message: "details left NULL" } });
    } finally {
      await db.$disconnect();
    }
    // A row written by plain SQL gets SQLite's own CURRENT_TIMESTAMP form (no T, no ms).
    const raw = new Database(sourcePath);
    raw.prepare("INSERT INTO categories (family_id, name) VALUES (1, 'Plain SQL ✓')").run();
    const form = raw.prepare("SELECT created_at FROM categories ORDER BY id DESC LIMIT 1").pluck().get() as string;
    expect(form).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    raw.close();

    ({ target: live, cleanup } = await createPostgresTarget());
    await seedDatabase(live, env, { transactions: 200, memberPassword: "other-member-password" });
  });
  afterAll(async () => {
    await cleanup();
    tmp.cleanup();
  });

  let liveBefore: Awaited<ReturnType<typeof computeChecksums>>;
  beforeEach(async () => {
    liveBefore = await computeChecksums(live);
  });

  it("asks for confirmation first and changes nothing", async () => {
    const result = await restoreInEnglish(request(live, sourcePath, backupDir, { confirmMigration: false }));
    expect(result).toMatchObject({ success: false, needsMigrationConfirmation: true });
    expect(diffChecksums(liveBefore, await computeChecksums(live))).toEqual([]);
  });

  it("refuses values PostgreSQL would reject or change, naming table, column and rows; nothing touched", async () => {
    const bad = join(tmp.dir, "bad.sqlite3");
    const raw = new Database(sourcePath, { readonly: true });
    await raw.backup(bad);
    raw.close();
    const db = new Database(bad);
    db.pragma("foreign_keys = OFF");
    db.exec(`
      UPDATE transactions SET description = 'nul' || char(0) || 'byte' WHERE id = 10;
      UPDATE transactions SET amount_cents = 'twelve' WHERE id = 11;
      UPDATE transactions SET account_id = 1099511627776 WHERE id = 12;
      UPDATE transactions SET description = CAST(x'c328' AS TEXT) WHERE id = 13;
      UPDATE transactions SET occurred_at = 'yesterday' WHERE id = 14;
      UPDATE transactions SET account_id = 999 WHERE id = 15;
      UPDATE transactions SET reconciled = 2 WHERE id = 16;
    `);
    db.close();
    const result = await restoreInEnglish(request(live, bad, backupDir));
    expect(result).toMatchObject({ success: false, refused: true, code: "PREFLIGHT_FAILED" });
    if (result.success || !("details" in result)) throw new Error("unreachable");
    for (const expected of [
      "transactions.description: contains a NUL byte (row id 10)",
      "transactions.amount_cents: not a 64-bit integer (row id 11)",
      "transactions.account_id: not a 32-bit integer (row id 12)",
      "transactions.description: invalid UTF-8 (row id 13)",
      "transactions.occurred_at: not a date and time (row id 14)",
      "transactions.reconciled: not a boolean (0 or 1) (row id 16)",
      "transactions.account_id: points to a missing accounts row",
    ]) {
      expect(result.details).toContain(expected);
    }
    expect(diffChecksums(liveBefore, await computeChecksums(live))).toEqual([]);
  });

  it("refuses a duplicate the file's own schema allowed, before anything is touched", async () => {
    const dup = join(tmp.dir, "duplicate.sqlite3");
    const raw = new Database(sourcePath, { readonly: true });
    await raw.backup(dup);
    raw.close();
    const db = new Database(dup);
    db.exec(`DROP INDEX users_username_key; INSERT INTO users (family_id, username, password_hash, role, active, created_at)
             VALUES (1, 'admin', 'x', 'member', 1, '2026-01-01T00:00:00.000+00:00');`);
    db.close();
    const result = await restoreInEnglish(request(live, dup, backupDir));
    expect(result).toMatchObject({ success: false, refused: true, code: "PREFLIGHT_FAILED" });
    if (result.success || !("refused" in result)) throw new Error("unreachable");
    expect(result.details).toContain("users.username: duplicate username");
    expect(diffChecksums(liveBefore, await computeChecksums(live))).toEqual([]);
  });

  it("changes nothing when the load itself fails (a duplicate id no check looks for)", async () => {
    // The events table rebuilt without its primary key, one event twice: only PostgreSQL's
    // key, rebuilt after the COPY inside the transaction, finds it.
    const dup = join(tmp.dir, "duplicate-event.sqlite3");
    const raw = new Database(sourcePath, { readonly: true });
    await raw.backup(dup);
    raw.close();
    const db = new Database(dup);
    db.exec(`CREATE TABLE ev2 AS SELECT * FROM events; INSERT INTO ev2 SELECT * FROM events LIMIT 1;
             DROP TABLE events; ALTER TABLE ev2 RENAME TO events;`);
    db.close();
    const result = await restoreInEnglish(request(live, dup, backupDir));
    expect(result).toMatchObject({ success: false, code: "RESTORE_FAILED", rolledBack: true });
    expect(diffChecksums(liveBefore, await computeChecksums(live))).toEqual([]);
  });

  it("puts the old PostgreSQL data back when verification fails after the commit", async () => {
    const result = await restoreInEnglish(request(live, sourcePath, backupDir, { faults: { failVerification: true } }));
    expect(result).toMatchObject({ success: false, code: "VERIFY_FAILED", rolledBack: true });
    // The old rows are back; a rollback ends the sessions and records itself, with the data.
    expect(diffChecksums(liveBefore, await computeChecksums(live), ["sessions", "events"])).toEqual([]);
  });

  it("migrates every row exactly, ends sessions, and the app keeps working", async () => {
    const result = await restoreInEnglish(request(live, sourcePath, backupDir));
    expect(result).toMatchObject({
      success: true,
      scenario: "sqlite-to-postgresql",
      family: { name: "My family" },
      users: [
        { username: "admin", role: "admin" },
        { username: "maria", role: "member" },
      ],
    });
    // Table by table: the same canonical checksum (sessions are never carried over).
    const want = await computeChecksums(source);
    const got = await computeChecksums(live);
    expect(diffChecksums(want, got, ["sessions", "events"])).toEqual([]);
    expect(got.sessions!.rows).toBe(0);
    expect(got.events!.rows).toBe(want.events!.rows + 1); // + the restore event

    // Field by field through Prisma on both engines.
    const from = await createPrismaClient(source);
    const to = await createPrismaClient(live);
    try {
      const a = await from.transaction.findMany({ where: { id: { in: specialIds } }, orderBy: { id: "asc" } });
      const b = await to.transaction.findMany({ where: { id: { in: specialIds } }, orderBy: { id: "asc" } });
      expect(b).toEqual(a);
      expect(b.map((t) => t.amountCents)).toEqual(SPECIAL.map((s) => s.amountCents));
      expect(b.map((t) => t.occurredAt.toISOString())).toEqual(SPECIAL.map((s) => s.occurredAt.toISOString()));
      expect(b[4]!.description).toBe(ONE_MB);
      expect(await to.user.findMany({ orderBy: { id: "asc" } })).toEqual(
        await from.user.findMany({ orderBy: { id: "asc" } }),
      );
      expect(await to.category.findMany({ orderBy: { id: "asc" } })).toEqual(
        await from.category.findMany({ orderBy: { id: "asc" } }),
      );
      expect((await to.event.findFirst({ where: { kind: "note" } }))?.details).toBeNull();

      // Sequences: past the largest id; an empty table starts at 1.
      const maxId = (await from.transaction.aggregate({ _max: { id: true } }))._max.id!;
      const added = await to.transaction.create({
        data: {
          accountId: 1,
          userId: 1,
          amountCents: 4200n,
          description: "after the migration",
          searchText: "after the migration",
          occurredAt: new Date(),
        },
      });
      expect(added.id).toBe(maxId + 1);
      const session = await to.session.create({
        data: { userId: 1, tokenHash: "new", expiresAt: new Date("2099-01-01") },
      });
      expect(session.id).toBe(1);
    } finally {
      await from.$disconnect();
      await to.$disconnect();
    }
    // Keys, indexes and foreign keys all exist and are validated.
    const [cons] = await querySql<{ n: string }>(
      live,
      "SELECT count(*) AS n FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('p','f') AND convalidated",
    );
    expect(Number(cons!.n)).toBe(8 + 7);
    const [idx] = await querySql<{ n: string }>(
      live,
      "SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'public'",
    );
    expect(Number(idx!.n)).toBe(8 + 11); // keys + indexes, the trigram index of schema 2 included
  });
});
