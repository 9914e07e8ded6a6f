/**
 * The admins' banner (components/backup-warning.tsx) on real databases of both engines: a
 * scheduled backup that fails shows, with when and why, until a later scheduled backup
 * succeeds; a drill that fails shows until a later drill succeeds; what the banner says is
 * checked in both languages.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createFormatter, createTranslator } from "next-intl";
import { afterAll, describe, expect, it } from "vitest";
import { readBackupAlerts } from "../lib/backup-restore/schedule/backup-alerts.ts";
import { runScheduledBackup } from "../lib/backup-restore/schedule/run-scheduled-backup.ts";
import { lastScheduledBackup } from "../lib/backup-restore/schedule/scheduled-backup-status.ts";
import { restoreLimits } from "../lib/backup-restore/spine/restore-context.ts";
import { runDrill } from "../lib/backup-restore/spine/run-drill.ts";
import { MOMENT_WITH_ZONE } from "../lib/finance/format-date.ts";
import type { Locale } from "../lib/i18n/locales.ts";
import { MESSAGES } from "../lib/i18n/messages.ts";
import { runWimm } from "./helpers/cli.ts";
import { createTarget, createTempDir, enginesUnderTest } from "./helpers/databases.ts";

process.env.WIMM_QUIET = "1";
const tmp = createTempDir("wimm-alerts-");
afterAll(() => tmp.cleanup());
const env = { WIMM_BACKUP_SCHEDULE: "0 3 * * *", WIMM_PG_DUMP_TIMEOUT_S: 120 };
const limits = restoreLimits({
  WIMM_PG_DUMP_TIMEOUT_S: 120,
  WIMM_PG_RESTORE_TIMEOUT_S: 120,
  WIMM_VALIDATE_TIMEOUT_S: 120,
});
const en = createTranslator({ locale: "en", messages: MESSAGES.en, timeZone: "UTC" });
const pt = createTranslator({ locale: "pt-BR", messages: MESSAGES["pt-BR"], timeZone: "UTC" });

describe.each(enginesUnderTest)("the admins' banner on %s", (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it("a failed scheduled backup shows until a later one succeeds; a failed drill until a later drill does", async () => {
    const db = await createTarget(engine);
    cleanups.push(db.cleanup);
    const dir = join(tmp.dir, engine, "backups");
    const cliEnv = { DATABASE_URL: db.target.url, WIMM_BACKUP_DIR: dir, WIMM_ADMIN_PASSWORD: "admin-password-1" };
    expect((await runWimm(["seed", "--transactions", "20"], { env: cliEnv })).code).toBe(0);
    const alerts = () => readBackupAlerts(dir, env, "UTC");
    expect(alerts().failures).toEqual([]);

    // A scheduled backup of a database file that is not one: it fails, and says so.
    mkdirSync(join(tmp.dir, engine), { recursive: true });
    const broken = join(tmp.dir, engine, "broken.sqlite3");
    writeFileSync(broken, Buffer.alloc(8192, 7));
    const target = { engine: "sqlite" as const, path: broken, url: `file:${broken}` };
    const failed = await runScheduledBackup({ dir, target, env, startedAt: new Date(), force: true });
    expect(failed).toMatchObject({ kind: "failed", code: "BACKUP_FAILED" });
    expect(alerts().failures).toEqual([
      { kind: "scheduled-backup", at: expect.any(String), code: "BACKUP_FAILED", file: null },
    ]);
    expect(statSync(join(dir, "scheduled-backup-status.json")).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, "scheduled-backup-status.json"), "utf8"))).toMatchObject({
      ok: false,
      code: "BACKUP_FAILED",
      details: "file is not a database",
    });
    const failedAt = new Date(alerts().failures[0]!.at);
    // As the banner renders it: when in the family's zone (named), the reason in short.
    const banner = (t: typeof en, locale: Locale) =>
      t("BackupWarning.scheduledFailed", {
        when: createFormatter({ locale, timeZone: "UTC" }).dateTime(failedAt, MOMENT_WITH_ZONE),
        reason: t("BackupWarning.reasons.BACKUP_FAILED"),
      });
    expect(banner(en, "en")).toMatch(
      /^The scheduled backup of .+ UTC failed: an unexpected error \(see the server log\)\.$/,
    );
    expect(banner(pt, "pt-BR")).toMatch(
      /^O backup agendado de .+ UTC falhou: um erro inesperado \(veja o log do servidor\)\.$/,
    );
    // No verified backup either: the banner says that too.
    expect(alerts().staleness).toMatchObject({ stale: true, lastVerifiedAt: null });

    // A drill with nothing to drill fails; both failures show, the newer first.
    expect(await runDrill(dir, db.target, limits, "cli")).toMatchObject({ ok: false, code: "DRILL_NO_BACKUP" });
    expect(alerts().failures.map((f) => [f.kind, f.code])).toEqual([
      ["drill", "DRILL_NO_BACKUP"],
      ["scheduled-backup", "BACKUP_FAILED"],
    ]);

    // The next scheduled backup succeeds: its failure is gone, the drill's stays.
    const done = await runScheduledBackup({ dir, target: db.target, env, startedAt: new Date(), force: true });
    expect(done.kind).toBe("done");
    expect(lastScheduledBackup(dir)).toMatchObject({ ok: true });
    expect(alerts().failures.map((f) => f.kind)).toEqual(["drill"]);
    expect(alerts().staleness.stale).toBe(false);

    // A drill that proves it restorable: nothing left to say.
    expect(await runDrill(dir, db.target, limits, "cli")).toMatchObject({ ok: true });
    expect(alerts().failures).toEqual([]);
  });
});
