/**
 * Backups that say whether they can be trusted, through the real `./bin/wimm` on both
 * engines: `wimm backup` verifies what it wrote (exit 0 only then), names the file by its
 * trigger, records it in the catalogue beside the backups and in the audit trail;
 * `wimm backups` lists the folder (the contract's fields), rebuilding a lost record from the
 * file; a file damaged after it was written is shown as not yet verified, never as the
 * last good one; `wimm backups prune` applies retention only when confirmed.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lastVerified, listBackups } from "../lib/backup-restore/backups/catalogue.ts";
import { backupFilename } from "../lib/backup-restore/backups/create-backup.ts";
import { saveBackupSettings } from "../lib/backup-restore/schedule/backup-settings.ts";
import { LATEST_SCHEMA_VERSION } from "../lib/db/tables.ts";
import type { Engine } from "../lib/db/url.ts";
import Database from "better-sqlite3";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { runWimm } from "./helpers/cli.ts";
import { createTarget, createTempDir, enginesUnderTest, execSql } from "./helpers/databases.ts";

const tmp = createTempDir("wimm-catalogue-");
afterAll(() => tmp.cleanup());

type Listed = {
  file: string;
  path: string;
  createdAt: string;
  bytes: number;
  sha256: string;
  engine: Engine;
  schemaVersion: number | null;
  trigger: string;
  verified: boolean | null;
};

describe.each(enginesUnderTest)("backups on %s", (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });
  let n = 0;
  async function instance() {
    const db = await createTarget(engine);
    cleanups.push(db.cleanup);
    const backupDir = join(tmp.dir, `${engine}-${++n}`, "backups");
    const env = {
      DATABASE_URL: db.target.url,
      WIMM_BACKUP_DIR: backupDir,
      WIMM_ADMIN_PASSWORD: "admin-password-1",
      WIMM_MEMBER_PASSWORD: "member-password-1",
    };
    expect((await runWimm(["seed", "--transactions", "50"], { env })).code).toBe(0);
    return { env, backupDir };
  }
  const ext = engine === "sqlite" ? "sqlite3" : "dump";

  it("wimm backup verifies what it wrote, catalogues it and writes the audit trail", async () => {
    const { env, backupDir } = await instance();
    const made = await runWimm(["backup"], { env });
    expect(made.code, made.stderr.slice(-1000)).toBe(0);
    const out = made.json as Listed & { verification: string };
    expect(out).toMatchObject({ success: true, engine, trigger: "manual", verified: true });
    expect(out.file).toMatch(new RegExp(`^wimm-manual-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z\\.${ext}$`));
    expect(out.verification).toMatch(/every table equals the live data/);

    const listed = await runWimm(["backups"], { env });
    expect(listed.code, listed.stderr).toBe(0);
    const entries = listed.json as Listed[];
    expect(entries).toEqual([
      {
        file: out.file,
        path: out.path,
        createdAt: expect.stringMatching(/Z$/),
        bytes: statSync(out.path).size,
        sha256: out.sha256,
        engine,
        schemaVersion: LATEST_SCHEMA_VERSION,
        trigger: "manual",
        verified: true,
        // No remote set: no off-site copies (offsite-copies.test.ts has them).
        offsite: [],
        compressed: false,
        encrypted: false,
      },
    ]);

    const audit = await runWimm(["audit"], { env });
    expect(audit.json).toEqual([
      expect.objectContaining({ action: "backup", result: "ok", actor: "cli", file: out.file, sha256: out.sha256 }),
    ]);
    expect((await runWimm(["audit", "--verify"], { env })).code).toBe(0);

    // A restore is in the trail too, with its safety backup catalogued as pre-restore.
    const restored = await runWimm(["restore", out.path], { env });
    expect(restored.code, restored.stderr.slice(-1000)).toBe(0);
    const after = (await runWimm(["backups"], { env })).json as Listed[];
    expect(after.map((e) => e.trigger).sort()).toEqual(["manual", "pre-restore"]);
    expect(after.find((e) => e.trigger === "pre-restore")!.verified).toBe(true);
    const actions = ((await runWimm(["audit"], { env })).json as { action: string; result: string }[]).map(
      (e) => `${e.action}:${e.result}`,
    );
    expect(actions).toEqual(["backup:ok", "backup:ok", "restore:ok"]);
    expect(readdirSync(backupDir).filter((f) => f.endsWith(".partial"))).toEqual([]);
  });

  it("--no-verify skips it and the catalogue says not yet; stray arguments make no backup", async () => {
    const { env, backupDir } = await instance();
    const made = await runWimm(["backup", "--no-verify"], { env });
    expect(made.code, made.stderr).toBe(0);
    expect(made.json).toMatchObject({ verified: null });
    expect(((await runWimm(["backups"], { env })).json as Listed[]).map((e) => e.verified)).toEqual([null]);

    const stray = await runWimm(["backup", "now"], { env });
    expect(stray.code).toBe(2);
    expect(readdirSync(backupDir).filter((f) => f.startsWith("wimm-"))).toHaveLength(1);
  });

  it("a lost catalogue is rebuilt from the files; a file damaged after writing is never the last good one", async () => {
    const { env, backupDir } = await instance();
    const first = (await runWimm(["backup"], { env })).json as Listed;
    const second = (await runWimm(["backup"], { env })).json as Listed;
    expect([first.verified, second.verified]).toEqual([true, true]);

    // Damage the newer file after it was verified (a disk error, a bad copy).
    writeFileSync(second.path, Buffer.alloc(statSync(second.path).size + 512, 7)); // its record is now stale
    const entries = await listBackups(backupDir);
    expect(entries.find((e) => e.file === second.file)).toMatchObject({ verified: null });
    expect(lastVerified(entries)?.file).toBe(first.file);

    // Every record lost: rebuilt from the files (name, size, SHA-256, schema), "not yet".
    rmSync(join(backupDir, ".catalogue"), { recursive: true, force: true });
    const rebuilt = (await runWimm(["backups"], { env })).json as Listed[];
    expect(rebuilt.map((e) => [e.file, e.verified, e.schemaVersion])).toEqual([
      [second.file, null, null],
      [first.file, null, LATEST_SCHEMA_VERSION],
    ]);
    expect(existsSync(join(backupDir, ".catalogue", `${first.file}.json`))).toBe(true);
  });

  it("wimm drill proves the newest backup restorable, and fails on one tampered after it was verified", async () => {
    const { env, backupDir } = await instance();
    const none = await runWimm(["drill"], { env });
    expect(none.code).toBe(1);
    expect(none.json).toMatchObject({ ok: false, file: null });

    const made = (await runWimm(["backup"], { env })).json as Listed;
    const drilled = await runWimm(["drill"], { env });
    expect(drilled.code, drilled.stderr.slice(-1000)).toBe(0);
    expect(drilled.json).toMatchObject({ ok: true, file: made.file });
    expect((drilled.json as { details: string }).details).toMatch(/every table checked|read in full/);

    // The same file, one amount changed after verification, its size kept: the drill finds it.
    if (engine === "sqlite") {
      const db = new Database(made.path);
      db.prepare("UPDATE transactions SET amount_cents = amount_cents + 1 WHERE id = 3").run();
      db.close();
    } else {
      // A dump's data is compressed: change the live data and dump it again under the same name.
      await execSql(
        parseDatabaseUrl(env.DATABASE_URL),
        "UPDATE transactions SET amount_cents = amount_cents + 1 WHERE id = 3",
      );
      execFileSync("pg_dump", [
        "--format=custom",
        "--exclude-table-data=sessions",
        "--file",
        made.path,
        "--dbname",
        env.DATABASE_URL,
      ]);
    }
    // Its record still describes this file as far as its size tells (a bit flip keeps the size).
    const recordFile = join(backupDir, ".catalogue", `${made.file}.json`);
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as Record<string, unknown>;
    writeFileSync(recordFile, JSON.stringify({ ...record, bytes: statSync(made.path).size }));
    const tampered = await runWimm(["drill"], { env });
    expect(tampered.code, tampered.stderr.slice(-1000)).toBe(1);
    expect((tampered.json as { details: string }).details).toMatch(/transactions: checksum differs/);
    const listed = (await runWimm(["backups"], { env })).json as Listed[];
    expect(listed[0]).toMatchObject({ file: made.file, verified: false });
    const drills = ((await runWimm(["audit"], { env })).json as { action: string; result: string }[]).filter(
      (e) => e.action === "drill",
    );
    expect(drills.map((d) => d.result)).toEqual(["failed", "ok", "failed"]);
  });

  it("wimm backups prune: --dry-run lists, no flag asks for --confirm (exit 3), --confirm deletes and records", async () => {
    const { env, backupDir } = await instance();
    const good = (await runWimm(["backup"], { env })).json as Listed;
    // Old backups: copies of a real one, named as if made on earlier days (scheduled at 06:00 UTC).
    const old: string[] = [];
    for (let day = 1; day <= 40; day++) {
      const name = backupFilename(engine, "scheduled", new Date(Date.UTC(2026, 0, day, 6)));
      copyFileSync(good.path, join(backupDir, name));
      old.push(name);
    }
    const dry = await runWimm(["backups", "prune", "--dry-run"], { env });
    expect(dry.code, dry.stderr).toBe(0);
    const wouldGo = (dry.json as { file: string; reason: string }[]).map((p) => p.file);
    // The newest backup (today's, verified) stays; of January, 7 daily, 4 weekly, 12 monthly
    // representatives stay: the newest of each of the last days, weeks and the month.
    expect(wouldGo).not.toContain(good.file);
    expect(wouldGo.length).toBeGreaterThan(20);
    expect(wouldGo.length).toBeLessThan(40);
    for (const name of wouldGo) expect(old).toContain(name);
    expect(readdirSync(backupDir).filter((f) => f.startsWith("wimm-"))).toHaveLength(41);

    const unconfirmed = await runWimm(["backups", "prune"], { env });
    expect(unconfirmed.code).toBe(3);
    expect(readdirSync(backupDir).filter((f) => f.startsWith("wimm-"))).toHaveLength(41);

    const confirmed = await runWimm(["backups", "prune", "--confirm"], { env });
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect((confirmed.json as { file: string }[]).map((p) => p.file)).toEqual(wouldGo);
    const left = readdirSync(backupDir).filter((f) => f.startsWith("wimm-"));
    expect(left).toHaveLength(41 - wouldGo.length);
    for (const name of wouldGo) expect(left).not.toContain(name);
    const prunes = ((await runWimm(["audit"], { env })).json as { action: string; file: string }[]).filter(
      (e) => e.action === "prune",
    );
    expect(prunes.map((e) => e.file)).toEqual(wouldGo);
    expect((await runWimm(["audit", "--verify"], { env })).code).toBe(0);
  });

  it("wimm backups prune uses the configured policy: WIMM_BACKUP_RETENTION first, the saved settings once saved", async () => {
    const { env, backupDir } = await instance();
    const good = (await runWimm(["backup"], { env })).json as Listed;
    const old: string[] = [];
    for (let day = 1; day <= 30; day++) {
      const name = backupFilename(engine, "scheduled", new Date(Date.UTC(2026, 0, day, 6)));
      copyFileSync(good.path, join(backupDir, name));
      old.push(name);
    }
    const wouldGo = async (extra: Record<string, string> = {}) => {
      const dry = await runWimm(["backups", "prune", "--dry-run"], { env: { ...env, ...extra } });
      expect(dry.code, dry.stderr).toBe(0);
      return (dry.json as { file: string }[]).map((p) => p.file);
    };
    // The defaults (7 daily, 4 weekly, 12 monthly) keep more of January than 4 days alone do.
    const byDefault = await wouldGo();
    // From the environment: today (the good backup) and the newest 3 days of January; no weeks or months.
    const fromEnv = await wouldGo({ WIMM_BACKUP_RETENTION: "daily=4,weekly=0,monthly=0" });
    expect(fromEnv.sort()).toEqual(old.slice(0, 27).sort());
    expect(fromEnv.length).toBeGreaterThan(byDefault.length);
    // Saved on the settings page: the file wins over the environment.
    expect(
      saveBackupSettings(backupDir, {
        retention: { keepAllHours: 24, daily: 2, weekly: 0, monthly: 0, safetyDays: 30 },
      }),
    ).toEqual({ ok: true });
    const saved = await wouldGo({ WIMM_BACKUP_RETENTION: "daily=4,weekly=0,monthly=0" });
    expect(saved.sort()).toEqual(old.slice(0, 29).sort());
    const confirmed = await runWimm(["backups", "prune", "--confirm"], { env });
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(
      readdirSync(backupDir)
        .filter((f) => f.startsWith("wimm-"))
        .sort(),
    ).toEqual([good.file, old[29]].sort());
  });
});
