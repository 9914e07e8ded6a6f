import { copyFileSync, openSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { computeChecksums } from "../../db/checksum.ts";
import { parseDatabaseUrl } from "../../db/url.ts";
import { createPostgresTarget, createTempDir, describePostgres } from "../../../tests/helpers/databases.ts";
import { runWimm } from "../../../tests/helpers/cli.ts";
import { createBackup } from "./create-backup.ts";
import { verifyDump, verifySqliteCopy } from "./verify-backup.ts";

const tmp = createTempDir("wimm-verify-");
afterAll(() => tmp.cleanup());

async function seededSqlite(name: string) {
  const live = parseDatabaseUrl(`file:${join(tmp.dir, name)}`);
  const seeded = await runWimm(["seed", "--transactions", "200"], {
    env: {
      DATABASE_URL: live.url,
      WIMM_BACKUP_DIR: join(tmp.dir, `${name}-backups`),
      WIMM_ADMIN_PASSWORD: "admin-password-1",
    },
  });
  expect(seeded.code, seeded.stderr).toBe(0);
  return live;
}

describe("verifying a SQLite copy", () => {
  it("a true copy is verified; a changed row, a damaged page and a quiet mismatch fail; a moving target is not yet", async () => {
    const live = await seededSqlite("live.sqlite3");
    if (live.engine !== "sqlite") throw new Error("unreachable");
    const file = await createBackup(live, { dir: join(tmp.dir, "out") });
    expect(file.verified).toBe(true);
    const quiet = await computeChecksums(live);
    expect(verifySqliteCopy(file.path, { before: quiet, after: quiet })).toMatchObject({ verified: true });

    // One amount changed in the copy: the tables differ from the live data.
    const changed = join(tmp.dir, "changed.sqlite3");
    copyFileSync(file.path, changed);
    const db = new Database(changed);
    db.prepare("UPDATE transactions SET amount_cents = amount_cents + 1 WHERE id = 7").run();
    db.close();
    const differs = verifySqliteCopy(changed, { before: quiet, after: quiet });
    expect(differs).toMatchObject({ verified: false });
    expect(differs.details).toMatch(/transactions: checksum differs/);

    // Bytes overwritten in the middle of the file: SQLite's integrity check says so.
    const damaged = join(tmp.dir, "damaged.sqlite3");
    copyFileSync(file.path, damaged);
    const fd = openSync(damaged, "r+");
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 8192);
    closeSync(fd);
    expect(verifySqliteCopy(damaged, { before: quiet, after: quiet }).verified).toBe(false);

    // The live data moved while the copy was made and the copy equals neither moment: not yet.
    const moved = { ...quiet, transactions: { rows: quiet.transactions!.rows + 1, sha256: "1".repeat(32) } };
    const other = { ...quiet, transactions: { rows: quiet.transactions!.rows + 2, sha256: "2".repeat(32) } };
    expect(verifySqliteCopy(changed, { before: moved, after: other })).toMatchObject({ verified: null });
    // … but equal to the later moment is proof enough.
    expect(verifySqliteCopy(file.path, { before: moved, after: quiet })).toMatchObject({ verified: true });
  });
});

describePostgres("verifying a dump", () => {
  it("read back in full against its snapshot: equal is verified, a different snapshot fails", async () => {
    const db = await createPostgresTarget("wimm_test_verify");
    try {
      const seeded = await runWimm(["seed", "--transactions", "200"], {
        env: {
          DATABASE_URL: db.target.url,
          WIMM_BACKUP_DIR: join(tmp.dir, "pg-backups"),
          WIMM_ADMIN_PASSWORD: "admin-password-1",
        },
      });
      expect(seeded.code, seeded.stderr).toBe(0);
      const file = await createBackup(db.target, { dir: join(tmp.dir, "pg-out") });
      expect(file).toMatchObject({ verified: true });
      const snapshot = await computeChecksums(db.target);
      expect(await verifyDump(file.path, snapshot, 60_000)).toMatchObject({ verified: true });
      const other = { ...snapshot, accounts: { rows: snapshot.accounts!.rows, sha256: "3".repeat(32) } };
      const differs = await verifyDump(file.path, other, 60_000);
      expect(differs).toMatchObject({ verified: false });
      expect(differs.details).toMatch(/accounts: checksum differs/);
      // A truncated dump cannot be read back.
      const cut = join(tmp.dir, "cut.dump");
      copyFileSync(file.path, cut);
      const fd = openSync(cut, "r+");
      writeSync(fd, Buffer.alloc(2000, 0), 0, 2000, 3000);
      closeSync(fd);
      expect((await verifyDump(cut, snapshot, 60_000)).verified).toBe(false);
    } finally {
      await db.cleanup();
    }
  });
});
