/**
 * The corpus of bad files (scripts/make-bad-backups.ts: 40+ generated files) restored on
 * both engines: each refused with a clear error and details, the live data's checksum
 * unchanged, no safety backup started, the lock released, nothing executed.
 */
import { restoreInEnglish } from "./helpers/restore-request.ts";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBadBackups, type BadFile } from "../scripts/make-bad-backups.ts";
import { createBackup } from "../lib/backup-restore/backups/create-backup.ts";
import { computeChecksums, diffChecksums, type Checksums } from "../lib/db/checksum.ts";
import { parseDatabaseUrl, type DatabaseTarget } from "../lib/db/url.ts";
import { getEnv } from "../lib/env.ts";
import { journalPath } from "../lib/backup-restore/spine/journal.ts";
import { isRestoreInProgress } from "../lib/backup-restore/spine/maintenance-lock.ts";
import { seedDatabase } from "../lib/seed/seed-database.ts";
import { UploadTooLarge, removeUpload, storeUpload, sweepUploads } from "../lib/backup-restore/uploads/upload-store.ts";
import { inspectSqliteIsolated } from "../lib/backup-restore/inspect/inspect-isolated.ts";
import { createTarget, createTempDir, enginesUnderTest } from "./helpers/databases.ts";

process.env.WIMM_QUIET = "1";
const env = getEnv({ ...process.env, WIMM_ADMIN_PASSWORD: "admin-password-1" } as NodeJS.ProcessEnv);
const tmp = createTempDir("wimm-bad-");
let corpus: BadFile[];

beforeAll(async () => {
  const source = parseDatabaseUrl(`file:${join(tmp.dir, "good.sqlite3")}`);
  await seedDatabase(source, env, { transactions: 3000, memberPassword: "member-password-1" });
  const good = await createBackup(source, { dir: join(tmp.dir, "good") });
  corpus = await makeBadBackups(join(tmp.dir, "corpus"), good.path, process.env.WIMM_PG_ADMIN_URL);
}, 120_000);
afterAll(() => tmp.cleanup());

it("the corpus holds at least 40 bad files", () => {
  expect(corpus.length).toBeGreaterThanOrEqual(process.env.WIMM_PG_ADMIN_URL ? 40 : 30);
});

describe.each(enginesUnderTest)("every bad file is refused on %s", (engine) => {
  let live: DatabaseTarget;
  let cleanup: () => Promise<void>;
  let before: Checksums;
  const backupDir = join(tmp.dir, `backups-${engine}`);

  beforeAll(async () => {
    ({ target: live, cleanup } = await createTarget(engine));
    await seedDatabase(live, env, { transactions: 500, memberPassword: "member-password-1" });
    before = await computeChecksums(live);
  });
  afterAll(async () => cleanup());

  it("refused with a clear error, live data unchanged, lock released, nothing run", async () => {
    const outcomes: string[] = [];
    for (const bad of corpus) {
      const result = await restoreInEnglish({
        file: bad.path,
        live,
        confirmMigration: true, // go as deep as a confirmed migration would
        backupDir,
        demoMode: false,
        pgDumpTimeoutMs: 60_000,
        pgRestoreTimeoutMs: 60_000,
      });
      const code = !result.success && "code" in result ? result.code : result.success ? "SUCCESS" : "CONFIRM";
      if (code !== bad.expect[engine]) outcomes.push(`${bad.name}: got ${code}, expected ${bad.expect[engine]}`);
      expect(result, bad.name).toMatchObject({ success: false });
      if (!result.success && "refused" in result) {
        expect(result.error.length, bad.name).toBeGreaterThan(15);
        expect(result.details.length, bad.name).toBeGreaterThan(15);
      }
      expect(isRestoreInProgress(backupDir), bad.name).toBe(false);
      expect(existsSync(journalPath(backupDir)), bad.name).toBe(false);
    }
    expect(outcomes).toEqual([]);
    expect(diffChecksums(before, await computeChecksums(live))).toEqual([]);
    // Nothing was even started: not one safety backup was taken.
    expect(
      existsSync(backupDir) ? readdirSync(backupDir).filter((n) => n.startsWith("wimm-pre-restore-")) : [],
    ).toEqual([]);
    for (const marker of ["/tmp/wimm-pwned-by-meta-command", "/tmp/wimm-pwned-by-copy-program"])
      expect(existsSync(marker)).toBe(false);
  });
});

describe("uploads", () => {
  it("a body over the cap is refused and leaves no file behind", async () => {
    const dir = join(tmp.dir, "uploads");
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 40; i++) yield Buffer.alloc(64 * 1024, i);
      })(),
    );
    await expect(storeUpload(dir, body, 1024 * 1024)).rejects.toBeInstanceOf(UploadTooLarge);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a stored upload is private, hashed and named by a random id only", async () => {
    const dir = join(tmp.dir, "uploads2");
    const stored = await storeUpload(dir, Readable.from([Buffer.from("hello")]), 1024);
    expect(stored.bytes).toBe(5);
    expect(stored.sha256).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    expect(readdirSync(dir)).toEqual([`${stored.id}.upload`]);
    const { statSync } = await import("node:fs");
    expect(statSync(stored.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("an uploaded WAL-mode SQLite file leaves no -wal or -shm behind once removed or swept", async () => {
    const { createReadStream } = await import("node:fs");
    const Database = (await import("better-sqlite3")).default;
    const source = join(tmp.dir, "wal-source.sqlite3");
    await seedDatabase(parseDatabaseUrl(`file:${source}`), env, {
      transactions: 10,
      memberPassword: "member-password-1",
    });
    const walDb = new Database(source);
    walDb.pragma("journal_mode = WAL"); // the live app's mode; an upload may well be a copy of it
    walDb.close();
    for (const remove of ["removeUpload", "sweepUploads"] as const) {
      const dir = join(tmp.dir, `uploads-wal-${remove}`);
      const stored = await storeUpload(dir, createReadStream(source), 64 * 1024 * 1024);
      const inspected = await inspectSqliteIsolated(stored.path);
      expect(inspected).toMatchObject({ ok: true, inspection: { ok: true } });
      // SQLite opened it read-only and wrote its side files beside it, in the upload folder.
      expect(readdirSync(dir).sort()).toEqual([
        `${stored.id}.upload`,
        `${stored.id}.upload-shm`,
        `${stored.id}.upload-wal`,
      ]);
      if (remove === "removeUpload") removeUpload(dir, stored.id);
      else expect(sweepUploads(dir)).toBe(3);
      expect(readdirSync(dir), remove).toEqual([]);
    }
  });
});
