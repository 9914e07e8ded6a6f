/**
 * Off-site copies against real servers on loopback, started here and stopped in afterAll: an
 * SFTP server (openssh-server), WebDAV servers (`rclone serve webdav`, one --read-only) and a
 * local-folder remote. A backup lands on each with an equal SHA-256; a remote that refuses
 * writes or is full leaves the local backup verified and the copy ✗; a copy altered between
 * the copy and the read-back is caught; retention prunes off-site; and a new server with an
 * empty backup folder lists the remote and restores from it, every table equal.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogueEntry, writeCatalogueEntry } from "../lib/backup-restore/backups/catalogue.ts";
import { parseBackupFilename } from "../lib/backup-restore/backups/parse-backup-filename.ts";
import { fileTimestamp } from "../lib/backup-restore/engine/private-files.ts";
import { readBackupAlerts } from "../lib/backup-restore/schedule/backup-alerts.ts";
import { runScheduledBackup } from "../lib/backup-restore/schedule/run-scheduled-backup.ts";
import { lastScheduledBackup } from "../lib/backup-restore/schedule/scheduled-backup-status.ts";
import { checkOffsiteCopy } from "../lib/backup-restore/offsite/ship-backup-offsite.ts";
import { computeChecksums, diffChecksums } from "../lib/db/checksum.ts";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { runWimm } from "./helpers/cli.ts";
import { createTarget, createTempDir, enginesUnderTest } from "./helpers/databases.ts";
import { startSftpServer, startWebdavServer, type SftpServer, type WebdavServer } from "./helpers/offsite-servers.ts";

const tmp = createTempDir("wimm-offsite-");
let sftp: SftpServer;
let webdav: WebdavServer;
let webdavReadOnly: WebdavServer;
const sftpRoot = join(tmp.dir, "sftp-served");
const davRoot = join(tmp.dir, "dav-served");

beforeAll(async () => {
  sftp = await startSftpServer(join(tmp.dir, "sshd"));
  webdav = await startWebdavServer(davRoot);
  webdavReadOnly = await startWebdavServer(davRoot, { readOnly: true });
});

afterAll(async () => {
  await Promise.all([sftp?.stop(), webdav?.stop(), webdavReadOnly?.stop()]);
  tmp.cleanup();
});

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

type BackupJson = {
  success: boolean;
  path: string;
  file: string;
  sha256: string;
  verified: boolean | null;
  offsite?: { remote: string; file: string; ok: boolean; checkedAt: string; sha256?: string; code?: string }[];
};
type ListedBackup = {
  file: string;
  verified: boolean | null;
  offsite: { remote: string; ok: boolean; code?: string }[];
};

/** A seeded SQLite instance of its own: its database, backup folder and upload folder. */
async function seededInstance(name: string) {
  const root = join(tmp.dir, name);
  const env = {
    DATABASE_URL: `file:${join(root, "live.sqlite3")}`,
    WIMM_BACKUP_DIR: join(root, "backups"),
    WIMM_UPLOAD_DIR: join(root, "uploads"),
    WIMM_ADMIN_PASSWORD: "admin-password-1",
    WIMM_MEMBER_PASSWORD: "member-password-1",
  };
  mkdirSync(root, { recursive: true });
  const seeded = await runWimm(["seed", "--transactions", "120"], { env });
  expect(seeded.code, seeded.stderr).toBe(0);
  return env;
}

describe("a verified backup lands off-site, read back equal", () => {
  const cases: [string, () => string, () => string][] = [
    ["a local folder", () => `:local:${join(tmp.dir, "local-remote")}`, () => join(tmp.dir, "local-remote")],
    ["SFTP", () => sftp.remote(join(sftpRoot, "wimm")), () => join(sftpRoot, "wimm")],
    ["WebDAV", () => webdav.remote("wimm"), () => join(davRoot, "wimm")],
  ];

  it.each(cases)("on %s", async (kind, remote, served) => {
    const env = { ...(await seededInstance(`lands-${kind.replace(/\W/g, "")}`)), WIMM_OFFSITE_REMOTE: remote() };
    const r = await runWimm(["backup"], { env });
    expect(r.code, r.stderr).toBe(0);
    const backup = r.json as BackupJson;
    expect(backup).toMatchObject({ success: true, verified: true });
    expect(backup.offsite).toEqual([
      { remote: remote(), file: backup.file, ok: true, checkedAt: expect.any(String), sha256: backup.sha256 },
    ]);
    // The bytes on the server are the backup's, and the local file is untouched.
    expect(sha256(join(served(), backup.file))).toBe(backup.sha256);
    expect(sha256(backup.path)).toBe(backup.sha256);
    // The catalogue's record and the audit trail followed it.
    const record = JSON.parse(readFileSync(join(served(), ".catalogue", `${backup.file}.json`), "utf8"));
    expect(record).toMatchObject({ file: backup.file, verified: true, offsite: [{ ok: true, sha256: backup.sha256 }] });
    const trails = readdirSync(join(served(), ".audit"));
    expect(trails).toHaveLength(1);
    const remoteTrail = readFileSync(join(served(), ".audit", trails[0]!), "utf8");
    const localTrail = readFileSync(join(env.WIMM_BACKUP_DIR, "audit.jsonl"), "utf8");
    expect(remoteTrail.length).toBeGreaterThan(0);
    expect(localTrail.startsWith(remoteTrail)).toBe(true);
    expect(remoteTrail).toContain('"action":"offsite"');
    const listed = (await runWimm(["backups"], { env })).json as ListedBackup[];
    expect(listed[0]).toMatchObject({ file: backup.file, verified: true, offsite: [{ remote: remote(), ok: true }] });
  });
});

describe("a remote that refuses or is full leaves the local backup verified, off-site ✗", () => {
  const cases: [string, () => string][] = [
    ["WebDAV --read-only", () => webdavReadOnly.remote("wimm")],
    ["SFTP read-only", () => sftp.readOnlyRemote(join(sftpRoot, "refused"))],
    ["SFTP full", () => sftp.fullRemote(join(sftpRoot, "full"))],
  ];

  it.each(cases)("%s: exit 1, the path printed, the catalogue says ✗", async (kind, remote) => {
    const env = { ...(await seededInstance(`refused-${kind.replace(/\W/g, "")}`)), WIMM_OFFSITE_REMOTE: remote() };
    const before = await computeChecksums(parseDatabaseUrl(env.DATABASE_URL));
    const r = await runWimm(["backup"], { env });
    expect(r.code, r.stderr).toBe(1);
    const backup = r.json as BackupJson;
    expect(backup).toMatchObject({ success: false, verified: true });
    expect(backup.offsite).toMatchObject([{ ok: false, code: "OFFSITE_COPY_FAILED", file: backup.file }]);
    expect(r.stderr).toContain(`${backup.path} is verified and kept here`);
    expect(sha256(backup.path)).toBe(backup.sha256);
    const listed = (await runWimm(["backups"], { env })).json as ListedBackup[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ verified: true, offsite: [{ ok: false, code: "OFFSITE_COPY_FAILED" }] });
    expect(diffChecksums(before, await computeChecksums(parseDatabaseUrl(env.DATABASE_URL)))).toEqual([]);
    // No complete copy was left on the server.
    const served = kind.startsWith("SFTP")
      ? join(sftpRoot, kind.includes("full") ? "full" : "refused")
      : join(davRoot, "wimm");
    const left = join(served, backup.file);
    expect(existsSync(left) && sha256(left) === backup.sha256).toBe(false);
  });

  it("a scheduled backup whose copy fails is reported like a failed one, and retention still runs", async () => {
    const env = await seededInstance("scheduled-refused");
    const target = parseDatabaseUrl(env.DATABASE_URL);
    const outcome = await runScheduledBackup({
      dir: env.WIMM_BACKUP_DIR,
      target,
      env: { WIMM_PG_DUMP_TIMEOUT_S: 120, WIMM_OFFSITE_REMOTE: webdavReadOnly.remote("scheduled") },
      startedAt: new Date(),
      force: true,
    });
    expect(outcome).toMatchObject({ kind: "failed", code: "OFFSITE_COPY_FAILED" });
    const file = outcome.kind === "failed" ? outcome.file : undefined;
    expect(file?.verified).toBe(true);
    expect(sha256(file!.path)).toBe(file!.sha256);
    expect(lastScheduledBackup(env.WIMM_BACKUP_DIR)).toMatchObject({
      ok: false,
      code: "OFFSITE_COPY_FAILED",
      file: file!.filename,
    });
    // The admins' banner (and /api/health) shows it until a later scheduled backup succeeds.
    expect(readBackupAlerts(env.WIMM_BACKUP_DIR, {}, "UTC").failures).toMatchObject([
      { kind: "scheduled-backup", code: "OFFSITE_COPY_FAILED", file: file!.filename },
    ]);
    const again = await runScheduledBackup({
      dir: env.WIMM_BACKUP_DIR,
      target,
      env: { WIMM_PG_DUMP_TIMEOUT_S: 120, WIMM_OFFSITE_REMOTE: webdav.remote("scheduled") },
      startedAt: new Date(),
      force: true,
    });
    expect(again).toMatchObject({ kind: "done", file: { offsite: [{ ok: true }] } });
    expect(readBackupAlerts(env.WIMM_BACKUP_DIR, {}, "UTC").failures).toEqual([]);
  });
});

describe("a copy altered on the remote is caught by the read-back", () => {
  it.each(["WebDAV", "SFTP"])("%s: a byte flipped between the copy and the read-back (test fault)", async (kind) => {
    const remote = kind === "SFTP" ? sftp.remote(join(sftpRoot, "tampered")) : webdav.remote("tampered");
    const env = {
      ...(await seededInstance(`tampered-${kind}`)),
      WIMM_OFFSITE_REMOTE: remote,
      WIMM_TEST_FAULTS: "1",
      WIMM_FAULT: "offsite-tamper",
    };
    const r = await runWimm(["backup"], { env });
    expect(r.code, r.stderr).toBe(1);
    const backup = r.json as BackupJson;
    expect(backup).toMatchObject({ verified: true, offsite: [{ ok: false, code: "OFFSITE_READBACK_MISMATCH" }] });
    expect(sha256(backup.path)).toBe(backup.sha256);
    // The bad copy is not left where a restore could find it.
    const served = kind === "SFTP" ? join(sftpRoot, "tampered") : join(davRoot, "tampered");
    expect(existsSync(join(served, backup.file))).toBe(false);
  });

  it.each(["a local folder", "SFTP", "WebDAV"])(
    "%s: a file changed on the server's disk after the copy",
    async (kind) => {
      const env = await seededInstance(`altered-${kind.replace(/\W/g, "")}`);
      const served = join(tmp.dir, `altered-served-${kind.replace(/\W/g, "")}`);
      const remote =
        kind === "SFTP"
          ? sftp.remote(served)
          : kind === "WebDAV"
            ? webdav.remote(`altered-${kind}`)
            : `:local:${served}`;
      const servedDir = kind === "WebDAV" ? join(davRoot, `altered-${kind}`) : served;
      const r = await runWimm(["backup"], { env: { ...env, WIMM_OFFSITE_REMOTE: remote } });
      expect(r.code, r.stderr).toBe(0);
      const backup = r.json as BackupJson;
      const settings = { remote, timeoutMs: 60_000 };
      const expected = { sha256: backup.sha256, bytes: statSync(backup.path).size };
      expect(await checkOffsiteCopy(settings, backup.file, expected)).toEqual({ ok: true, sha256: backup.sha256 });
      const bytes = readFileSync(join(servedDir, backup.file));
      bytes[100] = bytes[100]! ^ 0x01;
      writeFileSync(join(servedDir, backup.file), bytes);
      expect(await checkOffsiteCopy(settings, backup.file, expected)).toMatchObject({
        ok: false,
        code: "OFFSITE_READBACK_MISMATCH",
      });
    },
  );
});

describe("retention prunes off-site what it prunes here", () => {
  it("old backups go from the remote too; the newest verified and a recent safety backup stay", async () => {
    const served = join(tmp.dir, "prune-remote");
    const remote = `:local:${served}`;
    const env = {
      ...(await seededInstance("prune")),
      WIMM_OFFSITE_REMOTE: remote,
      WIMM_BACKUP_RETENTION: "hours=1,daily=1,weekly=0,monthly=0,safety-days=30",
    };
    const r = await runWimm(["backup"], { env });
    expect(r.code, r.stderr).toBe(0);
    const newest = r.json as BackupJson;
    const record = catalogueEntry(env.WIMM_BACKUP_DIR, newest.file)!;
    // Older backups, each here and on the remote with its record, as earlier runs would have left them.
    const day = 86_400_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day);
    const older = [40, 41, 42].map((d) => `wimm-manual-${fileTimestamp(at(d))}.sqlite3`);
    const safety = `wimm-pre-restore-${fileTimestamp(at(3))}.sqlite3`;
    for (const file of [...older, safety]) {
      copyFileSync(newest.path, join(env.WIMM_BACKUP_DIR, file));
      copyFileSync(newest.path, join(served, file));
      const entry = {
        ...record,
        file,
        createdAt: parseBackupFilename(file)!.createdAt.toISOString(),
        trigger: file.includes("pre-restore") ? ("pre-restore" as const) : ("manual" as const),
        offsite: record.offsite!.map((o) => ({ ...o, file })),
      };
      writeCatalogueEntry(env.WIMM_BACKUP_DIR, entry);
      writeFileSync(join(served, ".catalogue", `${file}.json`), JSON.stringify(entry));
    }
    const pruned = await runWimm(["backups", "prune", "--confirm"], { env });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect((pruned.json as { file: string }[]).map((p) => p.file).sort()).toEqual([...older].sort());
    const left = readdirSync(served).filter((f) => f.startsWith("wimm-"));
    expect(left.sort()).toEqual([newest.file, safety].sort());
    expect(readdirSync(join(served, ".catalogue")).sort()).toEqual([`${newest.file}.json`, `${safety}.json`].sort());
    const audit = readFileSync(join(env.WIMM_BACKUP_DIR, "audit.jsonl"), "utf8");
    for (const file of older) expect(audit).toContain(`"file":"${file}","details":"deleted from ${remote}"`);
  });
});

describe.each(enginesUnderTest)("the server died: a new %s install restores from the remote alone", (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  async function instance(name: string) {
    const db = await createTarget(engine);
    cleanups.push(db.cleanup);
    const root = join(tmp.dir, `died-${engine}-${name}`);
    const url = db.target.engine === "sqlite" ? `file:${db.target.path}` : db.target.url;
    return {
      target: db.target,
      env: {
        DATABASE_URL: url,
        WIMM_BACKUP_DIR: join(root, "backups"),
        WIMM_UPLOAD_DIR: join(root, "uploads"),
        WIMM_ADMIN_PASSWORD: "admin-password-1",
        WIMM_MEMBER_PASSWORD: "member-password-1",
        WIMM_OFFSITE_REMOTE: sftp.remote(join(sftpRoot, `died-${engine}`)),
      },
    };
  }

  it("wimm backups --remote lists it verified; wimm restore --remote brings every table back", async () => {
    const old = await instance("old");
    expect((await runWimm(["seed", "--transactions", "150"], { env: old.env })).code).toBe(0);
    const made = await runWimm(["backup"], { env: old.env });
    expect(made.code, made.stderr).toBe(0);
    const backup = made.json as BackupJson;
    const oldData = await computeChecksums(old.target);

    const fresh = await instance("new");
    const listed = await runWimm(["backups", "--remote"], { env: fresh.env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json).toEqual([
      expect.objectContaining({
        file: backup.file,
        catalogued: true,
        verified: true,
        readBack: true,
        sha256: backup.sha256,
        bytes: statSync(backup.path).size,
      }),
    ]);
    expect(existsSync(fresh.env.WIMM_BACKUP_DIR)).toBe(false);

    // Refusals first, each with nothing changed and nothing left in the upload folder.
    for (const [name, code] of [
      ["../../etc/passwd", "OFFSITE_NOT_A_BACKUP_NAME"],
      [backup.file.replace(/\d{3}Z/, "999Z"), "OFFSITE_NOT_FOUND"],
    ] as const) {
      const refused = await runWimm(["restore", "--remote", name], { env: fresh.env });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.json).toMatchObject({ refused: true, code });
    }

    const restored = await runWimm(["restore", "--remote", backup.file], { env: fresh.env, timeoutMs: 120_000 });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.json).toMatchObject({
      success: true,
      remote: { file: backup.file, sha256: backup.sha256, checkedAgainstCatalogue: true },
    });
    expect(diffChecksums(oldData, await computeChecksums(fresh.target), ["sessions", "events"])).toEqual([]);
    expect(readdirSync(fresh.env.WIMM_UPLOAD_DIR)).toEqual([]);

    // The old server's audit trail stays on the remote beside the new one's.
    const audit = join(sftpRoot, `died-${engine}`, ".audit");
    const oldTrail = readdirSync(audit);
    expect(oldTrail).toHaveLength(1);
    const oldText = readFileSync(join(audit, oldTrail[0]!), "utf8");
    expect((await runWimm(["backup"], { env: fresh.env })).code).toBe(0);
    expect(readdirSync(audit)).toHaveLength(2);
    expect(readFileSync(join(audit, oldTrail[0]!), "utf8")).toBe(oldText);
  });

  it("a remote copy that no longer matches its catalogue is refused, the live data unchanged", async () => {
    const old = await instance("old-altered");
    expect((await runWimm(["seed", "--transactions", "40"], { env: old.env })).code).toBe(0);
    const backup = (await runWimm(["backup"], { env: old.env })).json as BackupJson;
    const served = join(sftpRoot, `died-${engine}`, backup.file);
    const bytes = readFileSync(served);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x01;
    writeFileSync(served, bytes);

    const fresh = await instance("new-altered");
    expect((await runWimm(["seed", "--transactions", "5"], { env: fresh.env })).code).toBe(0);
    const before = await computeChecksums(fresh.target);
    const refused = await runWimm(["restore", "--remote", backup.file], { env: fresh.env });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.json).toMatchObject({ refused: true, code: "OFFSITE_CHECKSUM_MISMATCH" });
    expect(diffChecksums(before, await computeChecksums(fresh.target))).toEqual([]);
    expect(readdirSync(fresh.env.WIMM_UPLOAD_DIR)).toEqual([]);
  });
});
