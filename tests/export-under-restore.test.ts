/**
 * A CSV export that spans a change of the data, read slowly in small batches, on real SQLite
 * and PostgreSQL: the reader gets exactly the rows as they were when the export began, line
 * for line, or a stream error, never a file that ends early or mixes old and new rows.
 *
 *   - rows deleted, inserted and renamed mid-export by another connection: the old rows, all
 *   - a restore that leaves the export running (what `wimm restore` in another process does):
 *     the old rows, all; on PostgreSQL the restore waits for the export, then completes
 *   - a restore in this process, which ends the app's reads (closeDb, as the settings page's
 *     action passes it): a stream error; and no export starts while the restore holds the lock
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { beginLiveRead, closeDb } from "../lib/app/live-database.ts";
import { createBackup } from "../lib/backup-restore/backups/create-backup.ts";
import { acquireMaintenanceLock } from "../lib/backup-restore/spine/maintenance-lock.ts";
import { restoreBackup } from "../lib/backup-restore/spine/restore-backup.ts";
import type { DatabaseTarget } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { csvDialectFor, streamTransactionsCsv } from "../lib/finance/transactions-csv.ts";
import { MESSAGES } from "../lib/i18n/messages.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { createTarget, createTempDir, enginesUnderTest, execSql, querySql } from "./helpers/databases.ts";

process.env.WIMM_QUIET = "1";
// beginLiveRead reads the lock of the app's backup folder (getEnv(), cached at first use).
const tmp = createTempDir("wimm-export-");
process.env.WIMM_BACKUP_DIR = join(tmp.dir, "backups");
const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "admin-password-1" } as NodeJS.ProcessEnv);
afterAll(() => tmp.cleanup());

const EN = csvDialectFor("en", MESSAGES.en.Csv);
/** Small batches, so that a few thousand rows are many queries and the change lands between them. */
const BATCH = 100;

type Outcome = { ok: true; text: string } | { ok: false; error: Error; text: string };

/**
 * Reads a stream a chunk at a time with a pause after each, as a slow browser does; after
 * `chunks` chunks it lets `meanwhile` run (the change of the data) and then reads on.
 */
async function readSlowly(
  stream: ReadableStream<Uint8Array>,
  chunks: number,
  meanwhile: () => Promise<void>,
): Promise<Outcome> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (let n = 0; ; n++) {
      if (n === chunks) await meanwhile();
      const { done, value } = await reader.read();
      if (done) return { ok: true, text };
      text += decoder.decode(value, { stream: true });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } catch (error) {
    return { ok: false, error: error as Error, text };
  }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const outcome = await readSlowly(stream, -1, async () => undefined);
  if (!outcome.ok) throw outcome.error;
  return outcome.text;
}

const lines = (csv: string) => csv.split("\r\n");

describe.each(enginesUnderTest)("a CSV export while the data changes, on %s", (engine) => {
  let live: DatabaseTarget;
  let cleanup: () => Promise<void>;
  let familyId: number;
  let backupPath: string;
  /** The export of the backup's data. */
  let backupCsv: string;
  const backupDir = process.env.WIMM_BACKUP_DIR!;
  const exportLive = (options: Parameters<typeof streamTransactionsCsv>[4] = {}) =>
    streamTransactionsCsv(live, familyId, {}, EN, { batchSize: BATCH, ...options });
  const count = async (table: string) =>
    Number((await querySql<{ n: unknown }>(live, `SELECT count(*) AS n FROM ${table}`))[0]!.n);
  const restore = (closeConnections?: () => Promise<void>) =>
    restoreBackup({
      file: backupPath,
      live,
      confirmMigration: false,
      backupDir,
      demoMode: false,
      pgDumpTimeoutMs: 60_000,
      pgRestoreTimeoutMs: 60_000,
      ...(closeConnections && { closeConnections }),
    });

  /** Rows deleted, rows added, an account renamed: another state of the data, by another connection. */
  async function changeData(tag: string) {
    const [{ max }] = (await querySql<{ max: unknown }>(live, "SELECT max(id) AS max FROM transactions")) as [
      { max: unknown },
    ];
    const top = Number(max);
    await execSql(
      live,
      `DELETE FROM transactions WHERE id > ${top - 700} OR id % 7 = 0;
       UPDATE transactions SET description = description || ' (${tag})', search_text = search_text || ' (${tag})'
         WHERE id % 5 = 0;
       UPDATE accounts SET name = name || ' (${tag})' WHERE id = 1;
       INSERT INTO transactions (account_id, user_id, amount_cents, description, search_text, occurred_at, reconciled, created_at)
         SELECT account_id, user_id, amount_cents + 1, 'added ${tag}', 'added ${tag}', occurred_at, reconciled, created_at
         FROM transactions WHERE id % 3 = 0;`,
    );
  }

  beforeAll(async () => {
    ({ target: live, cleanup } = await createTarget(engine));
    await seedDatabase(live, env, { transactions: 3000, memberPassword: "member-password-1" });
    familyId = Number((await querySql<{ id: unknown }>(live, "SELECT id FROM families ORDER BY id LIMIT 1"))[0]!.id);
    backupPath = (await createBackup(live, { dir: join(tmp.dir, `user-backups-${engine}`) })).path;
    backupCsv = await readAll(exportLive());
    await changeData("before the tests");
  });
  afterAll(async () => {
    await cleanup();
  });

  it("rows deleted, added and renamed mid-export: the file is exactly the rows as they were", async () => {
    const before = await readAll(exportLive());
    expect(lines(before)).toHaveLength((await count("transactions")) + 2); // header, rows, final ""
    expect(await count("transactions")).toBeGreaterThan(20 * BATCH);

    const outcome = await readSlowly(exportLive(), 3, () => changeData("mid-export"));
    const after = await readAll(exportLive());
    expect(after).not.toBe(before); // the data did change under the export

    expect(outcome.ok, outcome.ok ? "" : outcome.error.message).toBe(true);
    expect(lines(outcome.text)).toEqual(lines(before));
  });

  it("a restore that leaves the export running: the file is exactly the old rows; then the data is the backup's", async () => {
    const before = await readAll(exportLive());
    expect(before).not.toBe(backupCsv);
    let restored: ReturnType<typeof restore> | undefined;
    const outcome = await readSlowly(exportLive(), 3, async () => {
      if (engine === "sqlite") {
        // WAL keeps the export's snapshot while the backup API replaces the pages.
        expect(await restore()).toMatchObject({ success: true });
        return;
      }
      // PostgreSQL: the restore's DROP waits for the export's locks. Read on once it waits.
      restored = restore();
      await waitForLockWait(live);
    });
    if (restored) expect(await restored).toMatchObject({ success: true });

    expect(outcome.ok, outcome.ok ? "" : outcome.error.message).toBe(true);
    expect(lines(outcome.text)).toEqual(lines(before));
    expect(lines(await readAll(exportLive()))).toEqual(lines(backupCsv));
  });

  it("a restore in this process ends the export with a stream error, and no export starts while it runs", async () => {
    await changeData("before the restore");
    const before = await readAll(exportLive());
    const read = beginLiveRead();
    if (!read) throw new Error("no restore runs: the read must be allowed");
    let exportEnded = false;
    let refusedDuringRestore: boolean | undefined;
    const outcome = await readSlowly(
      exportLive({ signal: read.signal, onEnd: () => ((exportEnded = true), read.end()) }),
      3,
      async () => {
        const result = await restore(async () => {
          // The web app's own closeConnections; a new export is refused while the lock is held.
          await closeDb();
          refusedDuringRestore = beginLiveRead() === null;
        });
        expect(result).toMatchObject({ success: true });
      },
    );

    expect(outcome.ok).toBe(false);
    if (outcome.ok) throw new Error("unreachable");
    expect(outcome.error.message).toBe("a restore is replacing the data");
    // What arrived before the error is a prefix of the old file, not a file of its own.
    expect(before.startsWith(outcome.text)).toBe(true);
    expect(outcome.text.length).toBeLessThan(before.length);
    await expect.poll(() => exportEnded).toBe(true);
    expect(refusedDuringRestore).toBe(true);
    expect(lines(await readAll(exportLive()))).toEqual(lines(backupCsv));
    // The lock is released: exports start again.
    const again = beginLiveRead();
    expect(again).not.toBeNull();
    again?.end();
  });

  it("a reader too slow for the time limit gets an error, one that goes away ends the export: no snapshot is left", async () => {
    let ended = false;
    const slow = await readSlowly(
      exportLive({ timeoutMs: 300, onEnd: () => (ended = true) }),
      2,
      () => new Promise((resolve) => setTimeout(resolve, 600)),
    );
    expect(slow.ok).toBe(false);
    if (slow.ok) throw new Error("unreachable");
    expect(slow.error.message).toBe("the read took longer than its limit of 300 ms");
    await expect.poll(() => ended).toBe(true);
    expect(await snapshotsHeldElsewhere(live)).toBe(false);

    ended = false;
    const reader = exportLive({ onEnd: () => (ended = true) }).getReader();
    await reader.read();
    await reader.read();
    expect(await snapshotsHeldElsewhere(live)).toBe(true); // the export's, while it runs
    await reader.cancel();
    await expect.poll(() => ended).toBe(true);
    expect(await snapshotsHeldElsewhere(live)).toBe(false);
  });

  it("no export starts while the maintenance lock is held", async () => {
    const lock = await acquireMaintenanceLock(backupDir, live);
    if (!lock) throw new Error("could not take the lock");
    try {
      expect(beginLiveRead()).toBeNull();
    } finally {
      await lock.release();
    }
    const read = beginLiveRead();
    expect(read).not.toBeNull();
    read?.end();
  });
});

/** Until some session of the live PostgreSQL database waits for a lock (the restore, behind the export). */
async function waitForLockWait(live: DatabaseTarget): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = await querySql<{ n: unknown }>(
      live,
      `SELECT count(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
       WHERE NOT l.granted AND d.datname = current_database()`,
    );
    if (Number(row!.n) > 0) return;
    if (Date.now() > deadline) throw new Error("the restore never waited for the export's locks");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * True while another connection holds a read snapshot of the live database: on SQLite, the
 * WAL frames of a write made now cannot all be checkpointed past a snapshot older than them;
 * on PostgreSQL, some other session holds a lock on the transactions table.
 */
async function snapshotsHeldElsewhere(live: DatabaseTarget): Promise<boolean> {
  if (live.engine === "sqlite") {
    await execSql(
      live,
      `INSERT INTO app_meta (key, value) VALUES ('test_probe', '${Math.random()}')
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    const [row] = await querySql<{ log: number; checkpointed: number }>(live, "PRAGMA wal_checkpoint(PASSIVE)");
    return row!.checkpointed < row!.log;
  }
  const [row] = await querySql<{ n: unknown }>(
    live,
    `SELECT count(*) AS n FROM pg_locks WHERE relation = 'transactions'::regclass AND pid <> pg_backend_pid()`,
  );
  return Number(row!.n) > 0;
}
