/**
 * The restoring process is killed (SIGKILL, as the OOM killer or a power cut would) at every
 * phase of each scenario. The next `./bin/wimm` command must find the journal and leave the
 * data exactly the old data or exactly the backup's — checked by checksums of every table —
 * with every session ended, the journal gone and the lock free.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeChecksums, diffChecksums, type Checksums } from "../lib/db/checksum.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/url.ts";
import { journalPath } from "../lib/backup-restore/spine/journal.ts";
import { isRestoreInProgress } from "../lib/backup-restore/spine/maintenance-lock.ts";
import { runWimm } from "./helpers/cli.ts";
import { createPostgresTarget, createTempDir, execSql, postgresEnabled, querySql } from "./helpers/databases.ts";

const KILL_POINTS = ["after-safety-backup", "mid-replace", "before-commit", "during-verify", "before-unlock"] as const;
const IGNORED = ["sessions", "events"]; // sessions end; events gain a line per restore

type Case = { name: string; engine: "sqlite" | "postgresql"; backupFrom: "sqlite" | "postgresql" | "json-lines" };
const CASES: Case[] = [
  { name: "SQLite → SQLite", engine: "sqlite", backupFrom: "sqlite" },
  ...(postgresEnabled
    ? ([
        { name: "PostgreSQL → PostgreSQL", engine: "postgresql", backupFrom: "postgresql" },
        { name: "SQLite → PostgreSQL", engine: "postgresql", backupFrom: "sqlite" },
        // wimm import: the same spine, journal and recovery as every restore.
        { name: "JSON lines → PostgreSQL", engine: "postgresql", backupFrom: "json-lines" },
      ] as Case[])
    : []),
];

describe.each(CASES)("killed mid-restore: $name", ({ engine, backupFrom }) => {
  const tmp = createTempDir("wimm-crash-");
  const backupDir = join(tmp.dir, "backups");
  let live: DatabaseTarget;
  let cleanup = async () => {};
  let env: Record<string, string>;
  let backupFile: string;
  let backupData: Checksums;

  beforeAll(async () => {
    if (engine === "sqlite") {
      live = parseDatabaseUrl(`file:${join(tmp.dir, "live.sqlite3")}`);
    } else {
      ({ target: live, cleanup } = await createPostgresTarget());
    }
    env = {
      DATABASE_URL: live.url,
      WIMM_BACKUP_DIR: backupDir,
      WIMM_ADMIN_PASSWORD: "admin-password-1",
      WIMM_MEMBER_PASSWORD: "member-password-1",
    };
    // The backup to restore: from this instance, or (migration) a separate SQLite instance.
    if (backupFrom === engine) {
      expect((await runWimm(["seed", "--transactions", "6000"], { env })).code).toBe(0);
      backupFile = ((await runWimm(["backup"], { env })).json as { path: string }).path;
    } else {
      const srcEnv = {
        ...env,
        DATABASE_URL: `file:${join(tmp.dir, "source.sqlite3")}`,
        WIMM_BACKUP_DIR: join(tmp.dir, "src"),
      };
      expect((await runWimm(["seed", "--transactions", "6000"], { env: srcEnv })).code).toBe(0);
      backupFile = ((await runWimm(["backup"], { env: srcEnv })).json as { path: string }).path;
      expect((await runWimm(["seed", "--transactions", "500"], { env })).code).toBe(0);
    }
    backupData = await computeChecksums(backupFrom === engine ? live : parseDatabaseUrl(`file:${backupFile}`));
    if (backupFrom === "json-lines") {
      const dir = join(tmp.dir, "export");
      const exported = await runWimm(["export", "--from", backupFile, "--out", dir], { env });
      expect(exported.code, exported.stderr).toBe(0);
      backupFile = dir;
    }
  });
  afterAll(async () => {
    await cleanup();
    tmp.cleanup();
  });

  it.each(KILL_POINTS)("killed %s: old data or the backup's, sessions ended, lock free", async (point) => {
    // Make the live data differ from the backup, and give someone a session.
    await execSql(
      live,
      `INSERT INTO transactions (account_id, user_id, amount_cents, description, search_text, occurred_at, reconciled, created_at)
         VALUES (1, 1, -4242, 'written before the crash (${point})', 'written before the crash (${point})',
                 '2026-03-03 03:03:03.333', false, '2026-03-03 03:03:03.333');
       INSERT INTO sessions (user_id, token_hash, expires_at, created_at, last_seen_at)
         VALUES (1, 'session-${point}', '2099-01-01 00:00:00.000', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000');`,
    );
    const old = await computeChecksums(live);

    const restoreArgs =
      backupFrom === "json-lines"
        ? ["import", backupFile, "--confirm"]
        : ["restore", backupFile, "--confirm-migration"];
    const killed = await runWimm(restoreArgs, {
      env: { ...env, WIMM_TEST_FAULTS: "1", WIMM_FAULT: `kill:${point}` },
    });
    expect(killed.code, `${point}: ${killed.stderr.slice(-500)}`).toBeNull(); // died by the signal

    const after = await runWimm(["info"], { env }); // any command recovers first
    expect(after.code, after.stderr).toBe(0);

    const now = await computeChecksums(live);
    const isOld = diffChecksums(old, now, IGNORED).length === 0;
    // app_meta of a restored backup is the loader's own (the file's creation time is not carried).
    const isBackup = diffChecksums(backupData, now, [...IGNORED, "app_meta"]).length === 0;
    expect(isOld || isBackup, `${point}: the data is neither the old nor the backup's`).toBe(true);
    expect(now.sessions!.rows).toBe(0);
    expect(existsSync(journalPath(backupDir))).toBe(false);
    expect(isRestoreInProgress(backupDir)).toBe(false);
    if (point !== "before-unlock") {
      const [event] = await querySql<{ kind: string }>(live, "SELECT kind FROM events ORDER BY id DESC LIMIT 1");
      expect(event?.kind).toMatch(/^recovery-(nothing-changed|completed|rolled-back)$/);
    }
    // The app works on afterwards: a plain restore of the same backup succeeds.
    if (point === "before-unlock") {
      const again = await runWimm(restoreArgs, { env });
      expect(again.code, again.stderr.slice(-500)).toBe(0);
    }
  });
});
