/**
 * Compressed and encrypted backups (issue 15, items 1–3) through `./bin/wimm`, against the
 * real `age` command-line tool (Debian's package `age`): a backup encrypted by the app
 * decrypts with `age -d -i key.txt` to the verified plaintext, a file encrypted by `age -r`
 * restores with `--identity`; gzip recognised by content and inflated under the
 * WIMM_MAX_UPLOAD_MB cap. Every refusal (a gzip bomb, a cut or damaged gzip, no key, a wrong
 * key, a cut or tampered ciphertext) exits 2 with the live data's checksums unchanged and no
 * unwrapped temp file left behind.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync, gzipSync, createGzip } from "node:zlib";
import { Encrypter } from "age-encryption";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeChecksums, diffChecksums, type Checksums } from "../lib/db/checksum.ts";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { saveBackupRecipients } from "../lib/backup-restore/schedule/backup-settings.ts";
import { deleteBackup } from "../lib/backup-restore/backups/catalogue.ts";
import { runWimm, type CliResult } from "./helpers/cli.ts";
import { createPostgresTarget, createTempDir, describePostgres, execSql } from "./helpers/databases.ts";

const tmp = createTempDir("wimm-cli-gzip-age-");
const dbPath = join(tmp.dir, "live.sqlite3");
const backupDir = join(tmp.dir, "backups");
const cliEnv = {
  DATABASE_URL: `file:${dbPath}`,
  WIMM_BACKUP_DIR: backupDir,
  WIMM_ADMIN_PASSWORD: "admin-password-1",
  WIMM_MEMBER_PASSWORD: "member-password-1",
};
const live = parseDatabaseUrl(cliEnv.DATABASE_URL);
// What a restore changes besides the rows it loads: sessions end, the event is recorded.
const RESTORE_WRITES = ["sessions", "events"];

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const sha256Of = (path: string) => sha256(readFileSync(path));
const mode = (path: string) => statSync(path).mode & 0o777;
/** The unwrapped temp files under the backup folder: none may outlive a command. */
const leftovers = (dir: string) =>
  existsSync(join(dir, ".unwrap")) ? readdirSync(join(dir, ".unwrap"), { recursive: true }).map(String) : [];

/** A key pair made by the real age-keygen; `recipient` from `age-keygen -y`. */
function ageKeygen(name: string): { keyFile: string; recipient: string } {
  const keyFile = join(tmp.dir, name);
  execFileSync("age-keygen", ["-o", keyFile], { stdio: "ignore" });
  return { keyFile, recipient: execFileSync("age-keygen", ["-y", keyFile], { encoding: "utf8" }).trim() };
}

/** A refusal: exit 2 with the code, the live data exactly as before, nothing left unwrapped. */
async function expectRefused(r: CliResult, code: string, before: Checksums, dir = backupDir) {
  expect(r.code, r.stderr.slice(-500)).toBe(2);
  expect(r.json).toMatchObject({ success: false, refused: true, code, error: expect.any(String) });
  expect(diffChecksums(before, await computeChecksums(live))).toEqual([]);
  expect(leftovers(dir)).toEqual([]);
}

let key: { keyFile: string; recipient: string };
let otherKey: { keyFile: string; recipient: string };

beforeAll(async () => {
  const seeded = await runWimm(["seed", "--transactions", "600"], { env: cliEnv });
  expect(seeded.code, seeded.stderr).toBe(0);
  key = ageKeygen("key.txt");
  otherKey = ageKeygen("other-key.txt");
});
afterAll(() => tmp.cleanup());

type BackupJson = {
  path: string;
  file: string;
  bytes: number;
  sha256: string;
  plainPath?: string;
  plainSha256?: string;
  plaintextSha256: string;
  compressed: boolean;
  encrypted: boolean;
  recipients?: string[];
};

describe("wimm backup --gzip / restore FILE.gz (SQLite)", () => {
  let gz: BackupJson;
  let atBackup: Checksums;

  it("writes <name>.sqlite3.gz, proven to inflate to the verified plaintext; the catalogue keeps both hashes", async () => {
    atBackup = await computeChecksums(live);
    const r = await runWimm(["backup", "--gzip"], { env: cliEnv });
    expect(r.code, r.stderr).toBe(0);
    gz = r.json as BackupJson;
    expect(gz).toMatchObject({ compressed: true, encrypted: false, verified: true });
    expect(gz.path).toMatch(/wimm-manual-.*\.sqlite3\.gz$/);
    expect(mode(gz.path)).toBe(0o600);
    expect(sha256Of(gz.path)).toBe(gz.sha256);
    const plain = gunzipSync(readFileSync(gz.path));
    expect(plain.subarray(0, 16).toString("latin1")).toBe("SQLite format 3\0");
    expect(sha256(plain)).toBe(gz.plaintextSha256);
    // Compressed in place: no plaintext copy beside it.
    expect(existsSync(gz.path.slice(0, -".gz".length))).toBe(false);
    const listed = (await runWimm(["backups"], { env: cliEnv })).json as Record<string, unknown>[];
    expect(listed.find((e) => e.file === gz.file)).toMatchObject({
      sha256: gz.sha256,
      compressed: true,
      encrypted: false,
      verified: true,
      engine: "sqlite",
    });
    const record = JSON.parse(readFileSync(join(backupDir, ".catalogue", `${gz.file}.json`), "utf8")) as object;
    expect(record).toMatchObject({ sha256: gz.sha256, plaintextSha256: gz.plaintextSha256, compressed: true });
  });

  it("detect reads the type inside, by content: compressed true, whatever the name", async () => {
    const renamed = join(tmp.dir, "no-extension");
    writeFileSync(renamed, readFileSync(gz.path));
    const r = await runWimm(["detect", renamed], { env: cliEnv });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ type: "sqlite", schemaVersion: 2, compressed: true, encrypted: false });
    const plain = await runWimm(["detect", join(tmp.dir, "live.sqlite3")], { env: cliEnv });
    expect(plain.json).toMatchObject({ type: "sqlite", compressed: false, encrypted: false });
    expect(leftovers(backupDir)).toEqual([]);
  });

  it("a drill of the newest backup, a .gz, drills what it holds", async () => {
    const r = await runWimm(["drill"], { env: cliEnv });
    expect(r.code, r.stderr.slice(-500)).toBe(0);
    expect(r.json).toMatchObject({ ok: true, file: gz.file });
  });

  it("restores it: the live data equals the backup's again", async () => {
    await execSql(live, "DELETE FROM transactions WHERE id % 3 = 0");
    expect(diffChecksums(atBackup, await computeChecksums(live))).not.toEqual([]);
    const r = await runWimm(["restore", gz.path], { env: cliEnv });
    expect(r.code, r.stderr.slice(-500)).toBe(0);
    expect(r.json).toMatchObject({ success: true, scenario: "sqlite-to-sqlite" });
    expect(diffChecksums(atBackup, await computeChecksums(live), RESTORE_WRITES)).toEqual([]);
    expect(leftovers(backupDir)).toEqual([]);
  });

  it("a gzip bomb (~100 KB inflating to 100 MiB) stops at WIMM_MAX_UPLOAD_MB: refused, nothing kept", async () => {
    const bomb = join(tmp.dir, "bomb.sqlite3.gz");
    const zeros = Buffer.alloc(1024 * 1024);
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < 100; i++) yield zeros;
        })(),
      ),
      createGzip({ level: 9 }),
      createWriteStream(bomb),
    );
    expect(statSync(bomb).size).toBeLessThan(150_000);
    const before = await computeChecksums(live);
    const started = Date.now();
    const r = await runWimm(["restore", bomb], { env: { ...cliEnv, WIMM_MAX_UPLOAD_MB: "2" } });
    await expectRefused(r, "INFLATED_TOO_LARGE", before);
    expect((r.json as { note: string }).note).toContain(String(2 * 1024 * 1024));
    expect(Date.now() - started).toBeLessThan(20_000);
    // A real backup under the same small cap still restores: the cap is on size, not on gzip.
    const ok = await runWimm(["restore", gz.path], { env: { ...cliEnv, WIMM_MAX_UPLOAD_MB: "2" } });
    expect(ok.code, ok.stderr.slice(-500)).toBe(0);
    const detected = await runWimm(["detect", bomb], { env: { ...cliEnv, WIMM_MAX_UPLOAD_MB: "2" } });
    expect(detected.json).toMatchObject({ type: "unknown", compressed: true, unwrapRefused: "INFLATED_TOO_LARGE" });
    expect(leftovers(backupDir)).toEqual([]);
  });

  it("a cut gzip and a gzip of something else are refused, the live data unchanged", async () => {
    const before = await computeChecksums(live);
    const whole = readFileSync(gz.path);
    const cut = join(tmp.dir, "cut.sqlite3.gz");
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    await expectRefused(await runWimm(["restore", cut], { env: cliEnv }), "GZIP_CORRUPT", before);
    const damaged = Buffer.from(whole);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    const bad = join(tmp.dir, "damaged.sqlite3.gz");
    writeFileSync(bad, damaged);
    await expectRefused(await runWimm(["restore", bad], { env: cliEnv }), "GZIP_CORRUPT", before);
    const text = join(tmp.dir, "notes.sqlite3.gz");
    writeFileSync(text, gzipSync(Buffer.from("not a backup\n".repeat(1000))));
    await expectRefused(await runWimm(["restore", text], { env: cliEnv }), "UNKNOWN_FILE_TYPE", before);
  });

  it("--gzip on PostgreSQL is a usage error (a custom-format dump is compressed already)", async () => {
    const r = await runWimm(["backup", "--gzip"], {
      env: { ...cliEnv, DATABASE_URL: "postgresql://nobody:x@127.0.0.1:1/none" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("compressed already");
  });
});

describe("wimm backup --encrypt / restore FILE.age --identity (SQLite, against the age CLI)", () => {
  let sealed: BackupJson;
  let atBackup: Checksums;

  it("--encrypt without a recipient is a usage error that says how to set one", async () => {
    const r = await runWimm(["backup", "--encrypt"], { env: cliEnv });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("WIMM_BACKUP_RECIPIENTS");
    const bad = await runWimm(["backup", "--encrypt"], { env: { ...cliEnv, WIMM_BACKUP_RECIPIENTS: "age1nope" } });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("WIMM_BACKUP_RECIPIENTS");
  });

  it("writes the verified plaintext (0600) and its .age beside it; age -d -i decrypts it to the plaintext", async () => {
    atBackup = await computeChecksums(live);
    const r = await runWimm(["backup", "--encrypt"], { env: { ...cliEnv, WIMM_BACKUP_RECIPIENTS: key.recipient } });
    expect(r.code, r.stderr).toBe(0);
    sealed = r.json as BackupJson;
    expect(sealed).toMatchObject({ encrypted: true, compressed: false, verified: true, recipients: [key.recipient] });
    expect(sealed.path).toBe(`${sealed.plainPath}.age`);
    expect(sealed.plainPath).toMatch(/\.sqlite3$/);
    expect(mode(sealed.path)).toBe(0o600);
    expect(mode(sealed.plainPath!)).toBe(0o600);
    expect(readFileSync(sealed.path).subarray(0, 22).toString("latin1")).toBe("age-encryption.org/v1\n");
    expect(sha256Of(sealed.path)).toBe(sealed.sha256);
    expect(sha256Of(sealed.plainPath!)).toBe(sealed.plainSha256);
    const decrypted = execFileSync("age", ["-d", "-i", key.keyFile, sealed.path]);
    expect(sha256(decrypted)).toBe(sealed.plaintextSha256);
    expect(sealed.plaintextSha256).toBe(sealed.plainSha256);
    const listed = (await runWimm(["backups"], { env: cliEnv })).json as Record<string, unknown>[];
    const entry = listed.find((e) => e.path === sealed.plainPath);
    expect(entry).toMatchObject({
      encrypted: true,
      encryptedFile: sealed.file,
      encryptedSha256: sealed.sha256,
      recipients: [key.recipient],
      sha256: sealed.plainSha256,
    });
    // The .age is part of its backup, never a backup of its own.
    expect(listed.filter((e) => String(e.file).endsWith(".age"))).toEqual([]);
  });

  it("detect without a key says encrypted and that the inner type needs the key; with it, the inner type", async () => {
    const r = await runWimm(["detect", sealed.path], { env: cliEnv });
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ type: "unknown", encrypted: true, compressed: null, needsKey: true });
    const keyed = await runWimm(["detect", sealed.path, "--identity", key.keyFile], { env: cliEnv });
    expect(keyed.json).toMatchObject({ type: "sqlite", encrypted: true, compressed: false, schemaVersion: 2 });
    expect(leftovers(backupDir)).toEqual([]);
  });

  it("no key, a wrong key, a cut or tampered ciphertext: exit 2, the live data unchanged", async () => {
    await execSql(live, "DELETE FROM transactions WHERE id % 5 = 0");
    const before = await computeChecksums(live);
    await expectRefused(await runWimm(["restore", sealed.path], { env: cliEnv }), "ENCRYPTED_NEEDS_KEY", before);
    await expectRefused(
      await runWimm(["restore", sealed.path, "--identity", otherKey.keyFile], { env: cliEnv }),
      "ENCRYPTED_WRONG_KEY",
      before,
    );
    const whole = readFileSync(sealed.path);
    // age's payload: the header (up to its "---" MAC line), a 16-byte nonce, then 64 KiB chunks
    // each with a 16-byte tag. Cut exactly after the first chunk (a cut the MACs alone would
    // not see: only the last-chunk flag does), and in the middle of one.
    const headerEnd = whole.indexOf("\n", whole.indexOf("\n---") + 1) + 1;
    const boundary = headerEnd + 16 + 65536 + 16;
    expect(whole.length).toBeGreaterThan(boundary + 1000);
    for (const [name, bytes] of [
      ["cut-at-chunk.age", whole.subarray(0, boundary)],
      ["cut-mid-chunk.age", whole.subarray(0, boundary + 500)],
      ["cut-in-header.age", whole.subarray(0, headerEnd - 10)],
    ] as const) {
      const path = join(tmp.dir, name);
      writeFileSync(path, bytes);
      await expectRefused(
        await runWimm(["restore", path, "--identity", key.keyFile], { env: cliEnv }),
        "ENCRYPTED_CORRUPT",
        before,
      );
    }
    const tampered = Buffer.from(whole);
    tampered[boundary + 100]! ^= 0x01;
    const path = join(tmp.dir, "tampered.age");
    writeFileSync(path, tampered);
    await expectRefused(
      await runWimm(["restore", path, "--identity", key.keyFile], { env: cliEnv }),
      "ENCRYPTED_CORRUPT",
      before,
    );
    // A public key given where the private key belongs is a usage error, not a "wrong key".
    const publicOnly = join(tmp.dir, "public.txt");
    writeFileSync(publicOnly, `${key.recipient}\n`);
    const misuse = await runWimm(["restore", sealed.path, "--identity", publicOnly], { env: cliEnv });
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain("public key");
    expect(diffChecksums(before, await computeChecksums(live))).toEqual([]);
  });

  it("restores with the right identity: the live data equals the backup's", async () => {
    const r = await runWimm(["restore", sealed.path, "--identity", key.keyFile], { env: cliEnv });
    expect(r.code, r.stderr.slice(-500)).toBe(0);
    expect(r.json).toMatchObject({ success: true, scenario: "sqlite-to-sqlite" });
    expect(diffChecksums(atBackup, await computeChecksums(live), RESTORE_WRITES)).toEqual([]);
    expect(leftovers(backupDir)).toEqual([]);
  });

  it("a backup encrypted by the age CLI to the app's key restores; so does a passphrase-encrypted one", async () => {
    const fromCli = join(tmp.dir, "by-age-cli.age");
    execFileSync("age", ["-r", key.recipient, "-o", fromCli, sealed.plainPath!]);
    await execSql(live, "DELETE FROM transactions WHERE id % 7 = 0");
    const r = await runWimm(["restore", fromCli, "--identity", key.keyFile], { env: cliEnv });
    expect(r.code, r.stderr.slice(-500)).toBe(0);
    expect(diffChecksums(atBackup, await computeChecksums(live), RESTORE_WRITES)).toEqual([]);

    // age -p reads the passphrase from a terminal only: the same scrypt recipient, made by the package.
    const encrypter = new Encrypter();
    encrypter.setScryptWorkFactor(12);
    encrypter.setPassphrase("correct horse battery staple");
    const byPassphrase = join(tmp.dir, "by-passphrase.age");
    writeFileSync(byPassphrase, await encrypter.encrypt(gzipSync(readFileSync(sealed.plainPath!))));
    const passFile = join(tmp.dir, "pass.txt");
    writeFileSync(passFile, "wrong horse\n");
    await execSql(live, "DELETE FROM transactions WHERE id % 11 = 0");
    const before = await computeChecksums(live);
    await expectRefused(
      await runWimm(["restore", byPassphrase, "--passphrase-file", passFile], { env: cliEnv }),
      "ENCRYPTED_WRONG_KEY",
      before,
    );
    writeFileSync(passFile, "correct horse battery staple\n");
    const ok = await runWimm(["restore", byPassphrase, "--passphrase-file", passFile], { env: cliEnv });
    expect(ok.code, ok.stderr.slice(-500)).toBe(0);
    expect(diffChecksums(atBackup, await computeChecksums(live), RESTORE_WRITES)).toEqual([]);
  });

  it("gzip and encrypt: <name>.sqlite3.gz.age, to the recipients saved in the settings file", async () => {
    const dir = join(tmp.dir, "settings-backups");
    expect(saveBackupRecipients(dir, [otherKey.recipient])).toEqual({ ok: true });
    const env = { ...cliEnv, WIMM_BACKUP_DIR: dir, WIMM_BACKUP_RECIPIENTS: key.recipient };
    const r = await runWimm(["backup", "--gzip", "--encrypt"], { env });
    expect(r.code, r.stderr).toBe(0);
    const both = r.json as BackupJson;
    expect(both.path).toMatch(/\.sqlite3\.gz\.age$/);
    expect(both.plainPath).toMatch(/\.sqlite3\.gz$/);
    // The saved setting wins over the environment's first value.
    expect(both.recipients).toEqual([otherKey.recipient]);
    const plain = gunzipSync(execFileSync("age", ["-d", "-i", otherKey.keyFile, both.path]));
    expect(sha256(plain)).toBe(both.plaintextSha256);
    expect(() => execFileSync("age", ["-d", "-i", key.keyFile, both.path], { stdio: "pipe" })).toThrow();
    const restored = await runWimm(["restore", both.path, "--identity", otherKey.keyFile], { env });
    expect(restored.code, restored.stderr.slice(-500)).toBe(0);
    expect(leftovers(dir)).toEqual([]);
    // Deleting the backup (retention, or by hand) deletes its encrypted copy too.
    const file = both.plainPath!.split("/").pop()!;
    deleteBackup(dir, file);
    expect(existsSync(both.plainPath!)).toBe(false);
    expect(existsSync(both.path)).toBe(false);
  });

  it("wimm keygen prints a pair the age CLI accepts", async () => {
    const r = await runWimm(["keygen"], { env: cliEnv });
    expect(r.code).toBe(0);
    const pair = r.json as { identity: string; recipient: string; keyFile: string };
    const keyFile = join(tmp.dir, "keygen.txt");
    writeFileSync(keyFile, pair.keyFile);
    expect(execFileSync("age-keygen", ["-y", keyFile], { encoding: "utf8" }).trim()).toBe(pair.recipient);
  });
});

describePostgres("compressed and encrypted backups on PostgreSQL", () => {
  it("backup --encrypt writes <name>.dump.age, age -d gives the dump back, and it restores", async () => {
    const pg = await createPostgresTarget();
    try {
      if (pg.target.engine !== "postgresql") throw new Error("unreachable");
      const pgTarget = pg.target;
      const dir = join(tmp.dir, "pg-backups");
      const env = {
        ...cliEnv,
        DATABASE_URL: pgTarget.url,
        WIMM_BACKUP_DIR: dir,
        WIMM_BACKUP_RECIPIENTS: key.recipient,
      };
      expect((await runWimm(["seed", "--transactions", "200"], { env })).code).toBe(0);
      const atBackup = await computeChecksums(pgTarget);
      const r = await runWimm(["backup", "--encrypt"], { env });
      expect(r.code, r.stderr.slice(-500)).toBe(0);
      const sealed = r.json as BackupJson;
      expect(sealed.path).toMatch(/wimm-manual-.*\.dump\.age$/);
      expect(sealed.plainPath).toMatch(/\.dump$/);
      expect(sha256(execFileSync("age", ["-d", "-i", key.keyFile, sealed.path]))).toBe(sealed.plainSha256);
      expect(readFileSync(sealed.plainPath!).subarray(0, 5).toString("latin1")).toBe("PGDMP");

      const gzip = await runWimm(["backup", "--gzip"], { env });
      expect(gzip.code).toBe(2);

      // The live data changes; the encrypted dump is refused with a wrong key, restored with the right one.
      await execSql(pgTarget, "DELETE FROM transactions WHERE id % 3 = 0");
      const before = await computeChecksums(pgTarget);
      const refused = await runWimm(["restore", sealed.path, "--identity", otherKey.keyFile], { env });
      expect(refused.code).toBe(2);
      expect(refused.json).toMatchObject({ code: "ENCRYPTED_WRONG_KEY" });
      expect(diffChecksums(before, await computeChecksums(pgTarget))).toEqual([]);
      const ok = await runWimm(["restore", sealed.path, "--identity", key.keyFile], { env });
      expect(ok.code, ok.stderr.slice(-500)).toBe(0);
      expect(ok.json).toMatchObject({ success: true, scenario: "postgresql-to-postgresql" });
      expect(diffChecksums(atBackup, await computeChecksums(pgTarget), RESTORE_WRITES)).toEqual([]);
      expect(leftovers(dir)).toEqual([]);

      // A compressed SQLite backup migrates onto PostgreSQL like the plain one: confirmation first.
      const sqliteGz = (await runWimm(["backup", "--gzip"], { env: cliEnv })).json as BackupJson;
      const ask = await runWimm(["restore", sqliteGz.path], { env });
      expect(ask.code).toBe(3);
      const migrated = await runWimm(["restore", sqliteGz.path, "--confirm-migration"], { env });
      expect(migrated.code, migrated.stderr.slice(-3000)).toBe(0);
      expect(migrated.json).toMatchObject({ success: true, scenario: "sqlite-to-postgresql" });
      expect(leftovers(dir)).toEqual([]);
    } finally {
      await pg.cleanup();
    }
  });
});
