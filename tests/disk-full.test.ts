/**
 * The disk refuses the safety backup (a tiny tmpfs mounted as the backup folder; where
 * mounting is not allowed, an injected write error): the restore must refuse to
 * start, leave the live data untouched and remove its partial files.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup } from "../lib/backup-restore/backups/create-backup.ts";
import { computeChecksums, diffChecksums } from "../lib/db/checksum.ts";
import type { DatabaseTarget } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { restoreBackup } from "../lib/backup-restore/spine/restore-backup.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { createTarget, createTempDir, enginesUnderTest } from "./helpers/databases.ts";

process.env.WIMM_QUIET = "1";
const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "admin-password-1" } as NodeJS.ProcessEnv);

function tryMountTmpfs(dir: string, bytes: number): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync("mount", ["-t", "tmpfs", "-o", `size=${bytes},mode=0700`, "tmpfs", dir]).status === 0;
}

describe.each(enginesUnderTest)("safety backup on a full disk (%s)", (engine) => {
  const tmp = createTempDir("wimm-full-");
  let live: DatabaseTarget;
  let cleanup: () => Promise<void>;
  let backupFile: string;

  beforeAll(async () => {
    ({ target: live, cleanup } = await createTarget(engine));
    await seedDatabase(live, env, { transactions: 8000, memberPassword: "member-password-1" });
    backupFile = (await createBackup(live, { dir: join(tmp.dir, "good") })).path;
  });
  afterAll(async () => {
    await cleanup();
    tmp.cleanup();
  });

  it("refuses to start, live data untouched, no partial file left", async () => {
    const before = await computeChecksums(live);
    const full = join(tmp.dir, "full");
    const mounted = tryMountTmpfs(full, 48 * 1024);
    try {
      // Where tmpfs cannot be mounted, the write error is injected after the first bytes.
      const result = await restoreBackup({
        file: backupFile,
        live,
        confirmMigration: false,
        backupDir: full,
        demoMode: false,
        pgDumpTimeoutMs: 60_000,
        pgRestoreTimeoutMs: 60_000,
        faults: { diskFull: !mounted },
      });
      expect(result).toMatchObject({ success: false, refused: true, code: "SAFETY_BACKUP_FAILED" });
      expect(diffChecksums(before, await computeChecksums(live))).toEqual([]);
      // No partial backup, no journal, no catalogue record; only the (unlocked) lock file
      // and the audit trail (when the full disk let it record the refusal) stay.
      const kept = new Set(["restore.lock.sqlite3", "audit.jsonl", "audit.lock.sqlite3"]);
      expect(readdirSync(full).filter((n) => !kept.has(n))).toEqual([]);
    } finally {
      if (mounted) spawnSync("umount", [full]);
    }
  });
});
