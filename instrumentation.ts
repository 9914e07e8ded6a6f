/**
 * Runs once when the Next.js server starts: create or upgrade the schema and, on first start,
 * the family and its admin (a generated password is printed to the server log once), so the
 * first request does not pay for it and a broken database shows up at start, not later.
 */
export async function register() {
  // The Edge runtime has neither the file system nor the database drivers.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ensureLiveDatabase } = await import("./lib/app/live-database.ts");
  const { sweepUploads } = await import("./lib/backup-restore/uploads/upload-store.ts");
  const { getEnv } = await import("./lib/env.ts");
  // No restore survives a restart: uploads a crash left behind are removed.
  sweepUploads(getEnv().WIMM_UPLOAD_DIR);
  // A restore interrupted by a crash is finished or undone before the first request.
  const { recoverInterruptedRestore } = await import("./lib/backup-restore/spine/recover.ts");
  const { restoreLimits } = await import("./lib/backup-restore/spine/restore-context.ts");
  const { liveTarget } = await import("./lib/app/live-database.ts");
  const env = getEnv();
  const outcome = await recoverInterruptedRestore(liveTarget(), env.WIMM_BACKUP_DIR, restoreLimits(env));
  // Recovery never blocks the command that would fix it: the app starts anyway, in
  // maintenance mode (every page 503, naming the safety backup; no writes), and touches
  // nothing more until `./bin/wimm restore <safety backup>` has settled it.
  if (outcome.kind === "failed") {
    console.error(`[RECOVERY] ${outcome.message} — serving the maintenance page until this is settled`);
    return;
  }
  await ensureLiveDatabase();
  // Backups nobody has to remember: due-ness comes from the files, so a restart misses nothing.
  const { startBackupScheduler } = await import("./lib/backup-restore/schedule/run-scheduled-backup.ts");
  // Failures are loud: a failed scheduled backup or drill reaches the admins' e-mail and/or webhook.
  const { notificationConfig, notifyAdmins } = await import("./lib/backup-restore/notify/notify-admins.ts");
  const alerts = notificationConfig(env);
  startBackupScheduler({
    dir: env.WIMM_BACKUP_DIR,
    target: liveTarget(),
    env,
    limits: restoreLimits(env),
    onOutcome: async (outcome) => {
      if (outcome.kind === "failed")
        await notifyAdmins({ kind: "scheduled-backup-failed", at: new Date(), details: outcome.details }, alerts);
    },
    onDrill: async (drill) => {
      if (!drill.ok)
        await notifyAdmins(
          { kind: "drill-failed", at: new Date(), details: drill.details, ...(drill.file ? { file: drill.file } : {}) },
          alerts,
        );
    },
  });
}
