/**
 * The two routes of the record stream give identical tables: SQLite → COPY directly (the
 * migration) and SQLite → JSON lines → COPY (`wimm export` / `wimm import`).
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { computeChecksums, diffChecksums } from "../lib/db/checksum.ts";
import { createPrismaClient } from "../lib/db/client.ts";
import { foldForSearch } from "../lib/db/fold.ts";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { restoreBackup } from "../lib/backup-restore/spine/restore-backup.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { runWimm } from "./helpers/cli.ts";
import { createPostgresTarget, createTempDir, describePostgres, querySql } from "./helpers/databases.ts";

process.env.WIMM_QUIET = "1";
const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "admin-password-1" } as NodeJS.ProcessEnv);

describePostgres("JSON lines export / import", () => {
  const tmp = createTempDir("wimm-jsonl-");
  afterAll(() => tmp.cleanup());

  it("export → import gives the same tables as the direct migration", async () => {
    const sourcePath = join(tmp.dir, "source.sqlite3");
    const source = parseDatabaseUrl(`file:${sourcePath}`);
    await seedDatabase(source, env, { transactions: 1500, memberPassword: "member-password-1" });
    const db = await createPrismaClient(source);
    const description = 'tab\t"quote" \\ ☕\nnew line';
    await db.transaction.create({
      data: {
        accountId: 2,
        userId: 1,
        amountCents: -9007199254740991n,
        description,
        searchText: foldForSearch(description),
        occurredAt: new Date("1950-05-05T05:05:05.005Z"),
      },
    });
    await db.$disconnect();

    const direct = await createPostgresTarget();
    const viaJson = await createPostgresTarget();
    try {
      // Both targets are running instances: schema and first-start family in place.
      await seedDatabase(direct.target, env, { transactions: 0, memberPassword: "x-password-1" });
      const migrated = await restoreBackup({
        file: sourcePath,
        live: direct.target,
        confirmMigration: true,
        backupDir: join(tmp.dir, "b1"),
        demoMode: false,
        pgDumpTimeoutMs: 60_000,
        pgRestoreTimeoutMs: 60_000,
      });
      expect(migrated).toMatchObject({ success: true });

      const dir = join(tmp.dir, "export");
      const exported = await runWimm(["export", "--from", sourcePath, "--out", dir], {
        env: { DATABASE_URL: `file:${join(tmp.dir, "unused.sqlite3")}` },
      });
      expect(exported.code, exported.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
        tables: { name: string; rows: number }[];
      };
      expect(manifest.tables.find((t) => t.name === "transactions")?.rows).toBe(1501);
      expect(manifest.tables.find((t) => t.name === "sessions")).toBeUndefined();

      if (viaJson.target.engine !== "postgresql") throw new Error("unreachable");
      const cliEnv = {
        DATABASE_URL: viaJson.target.url,
        WIMM_BACKUP_DIR: join(tmp.dir, "b2"),
        WIMM_ADMIN_PASSWORD: "admin-password-1",
      };
      expect((await runWimm(["import", dir], { env: cliEnv })).code).toBe(3);
      const imported = await runWimm(["import", dir, "--confirm"], { env: cliEnv });
      expect(imported.code, imported.stderr).toBe(0);
      // A restore's answer, like every other: the scenario, who is in it, the safety dump.
      expect(imported.json).toMatchObject({
        success: true,
        scenario: "json-lines-to-postgresql",
        family: { name: "My family" },
        users: [
          { username: "admin", role: "admin" },
          { username: "maria", role: "member" },
        ],
        sessionsEnded: true,
        safetyBackup: expect.stringMatching(/wimm-pre-restore-.*\.dump$/),
      });
      const [event] = await querySql<{ kind: string; message: string }>(
        viaJson.target,
        "SELECT kind, message FROM events ORDER BY id DESC LIMIT 1",
      );
      expect(event).toEqual({
        kind: "restore",
        message: 'restored json-lines-to-postgresql backup (family "My family")',
      });

      // On SQLite an export is refused with its own code, and a file is not an export.
      const onSqlite = await runWimm(["import", dir, "--confirm"], {
        env: { DATABASE_URL: `file:${join(tmp.dir, "other.sqlite3")}`, WIMM_BACKUP_DIR: join(tmp.dir, "b3") },
      });
      expect(onSqlite.code).toBe(2);
      expect(onSqlite.json).toMatchObject({ refused: true, code: "JSON_LINES_ON_SQLITE", error: expect.any(String) });
      expect((await runWimm(["import", sourcePath, "--confirm"], { env: cliEnv })).code).toBe(2);

      const a = await computeChecksums(direct.target);
      const b = await computeChecksums(viaJson.target);
      expect(diffChecksums(a, b, ["events"])).toEqual([]);
      expect(diffChecksums(await computeChecksums(source), b, ["events", "sessions"])).toEqual([]);
      expect(b.transactions!.rows).toBe(1501);

      // A tampered export is refused before anything is touched: the data stays as it was.
      const { appendFileSync } = await import("node:fs");
      appendFileSync(
        join(dir, "transactions.jsonl"),
        JSON.stringify({
          id: 99999,
          account_id: 1,
          category_id: null,
          user_id: 1,
          amount_cents: "1",
          description: "smuggled",
          occurred_at: "2026-01-01T00:00:00.000Z",
          reconciled: false,
          created_at: "2026-01-01T00:00:00.000Z",
        }) + "\n",
      );
      const before = await computeChecksums(viaJson.target);
      const tampered = await runWimm(["import", dir, "--confirm"], { env: cliEnv });
      expect(tampered.code).toBe(2);
      expect(tampered.json).toMatchObject({ success: false, refused: true, code: "SCHEMA_MISMATCH" });
      expect((tampered.json as { details: string }).details).toMatch(
        /the records differ from the manifest: transactions: \d+ rows, expected \d+/,
      );
      expect(diffChecksums(before, await computeChecksums(viaJson.target))).toEqual([]);
    } finally {
      await direct.cleanup();
      await viaJson.cleanup();
    }
  });
});
