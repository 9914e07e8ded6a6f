/**
 * A restore while 20 clients keep adding transactions through the app's write path (the
 * write gate every server action uses, on the app's own Prisma client): every write
 * acknowledged before the lock is in the safety backup, no write is acknowledged while the
 * restore runs, and afterwards the data equals the backup's.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup } from "../lib/backup-restore/backups/create-backup.ts";
import { computeChecksums, diffChecksums } from "../lib/db/checksum.ts";
import { createPrismaClient, type Db } from "../lib/db/client.ts";
import { foldForSearch } from "../lib/db/fold.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { RestoreInProgressError, runWrite } from "../lib/backup-restore/spine/maintenance-lock.ts";
import { restoreBackup } from "../lib/backup-restore/spine/restore-backup.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { createTarget, createTempDir, enginesUnderTest, querySql } from "./helpers/databases.ts";

process.env.WIMM_QUIET = "1";
const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "admin-password-1" } as NodeJS.ProcessEnv);

describe.each(enginesUnderTest)("20 concurrent writers during a restore on %s", (engine) => {
  const tmp = createTempDir("wimm-conc-");
  const backupDir = join(tmp.dir, "backups");
  let live: DatabaseTarget;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ target: live, cleanup } = await createTarget(engine));
    await seedDatabase(live, env, { transactions: 4000, memberPassword: "member-password-1" });
  });
  afterAll(async () => {
    await cleanup();
    tmp.cleanup();
  });

  it("acknowledged writes are kept in the safety backup; none is acknowledged during the restore", async () => {
    const backup = await createBackup(live, { dir: join(tmp.dir, "user-backups") });
    const backupData = await computeChecksums(engine === "sqlite" ? parseDatabaseUrl(`file:${backup.path}`) : live);

    // The app's client, shared by all writers, as in the web server.
    let db: Db = await createPrismaClient(live, { poolSize: 20 });
    const acknowledged: { id: string; at: number }[] = [];
    const refused: number[] = [];
    let lockTakenAt = Infinity;
    let lockReleasedAt = -Infinity;
    let stop = false;

    const writer = async (n: number) => {
      let i = 0;
      while (!stop) {
        const description = `writer ${n} #${i++}`;
        try {
          await runWrite(backupDir, async () =>
            db.transaction.create({
              data: {
                accountId: 1,
                userId: 1,
                amountCents: BigInt(-n - 1),
                description,
                searchText: foldForSearch(description),
                occurredAt: new Date(),
              },
            }),
          );
          acknowledged.push({ id: description, at: performance.now() });
        } catch (error) {
          if (error instanceof RestoreInProgressError) refused.push(performance.now());
          // A write that failed was not acknowledged: nothing to check.
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    const writers = Array.from({ length: 20 }, (_, n) => writer(n));
    await new Promise((r) => setTimeout(r, 400));

    const result = await restoreBackup({
      file: backup.path,
      live,
      confirmMigration: false,
      backupDir,
      demoMode: false,
      pgDumpTimeoutMs: 60_000,
      pgRestoreTimeoutMs: 60_000,
      closeConnections: async () => {
        lockTakenAt = performance.now();
        await db.$disconnect();
      },
    });
    lockReleasedAt = performance.now();
    // The app reopens its connection after the restore.
    db = await createPrismaClient(live, { poolSize: 20 });
    stop = true;
    await Promise.all(writers);
    await db.$disconnect();

    expect(result).toMatchObject({ success: true });
    if (!result.success) throw new Error("unreachable");
    const before = acknowledged.filter((w) => w.at < lockTakenAt);
    const during = acknowledged.filter((w) => w.at >= lockTakenAt && w.at <= lockReleasedAt);
    expect(before.length).toBeGreaterThan(20);
    expect(refused.length).toBeGreaterThan(0); // writers really knocked during the restore
    expect(during).toEqual([]);

    // Every acknowledged write from before the lock is in the safety backup.
    const safety =
      engine === "sqlite"
        ? parseDatabaseUrl(`file:${result.safetyBackup}`)
        : await restoreIntoScratch(result.safetyBackup);
    const rows = await querySql<{ description: string }>(
      safety,
      "SELECT description FROM transactions WHERE description LIKE 'writer %'",
    );
    const inSafety = new Set(rows.map((r) => r.description));
    expect(before.filter((w) => !inSafety.has(w.id))).toEqual([]);

    // After the restore: the backup's data, plus only what was written after the unlock.
    const after = acknowledged.filter((w) => w.at > lockReleasedAt).length;
    const now = await computeChecksums(live);
    expect(now.transactions!.rows).toBe(backupData.transactions!.rows + after);
    if (after === 0) expect(diffChecksums(backupData, now, ["sessions", "events", "app_meta"])).toEqual([]);
  });
});

async function restoreIntoScratch(dump: string): Promise<DatabaseTarget> {
  const { createPostgresTarget } = await import("./helpers/databases.ts");
  const { findPgTool, runTool } = await import("../lib/backup-restore/engine/pg-tools.ts");
  const scratch = await createPostgresTarget("wimm_scratch");
  if (scratch.target.engine !== "postgresql") throw new Error("unreachable");
  const r = await runTool(findPgTool("pg_restore"), ["--no-owner", "--no-acl", "--dbname", scratch.target.url, dump], {
    timeoutMs: 60_000,
  });
  expect(r.code, r.stderr).toBe(0);
  return scratch.target;
}
