import "server-only";
import { join } from "node:path";

import { listBackups } from "../backup-restore/backups/catalogue.ts";
import { parseBackupFilename } from "../backup-restore/backups/parse-backup-filename.ts";
import { parseIdentityText, parsePassphraseText, type AgeKeys } from "../backup-restore/engine/age-keys.ts";
import { sniffWrapping } from "../backup-restore/engine/wrapped-files.ts";
import { sniffBackupType } from "../backup-restore/inspect/detect-backup-type.ts";
import { planRestore } from "../backup-restore/spine/plan-restore.ts";
import { previewRestore, type PreviewResult } from "../backup-restore/spine/preview-restore.ts";
import { restoreLimits } from "../backup-restore/spine/restore-context.ts";
import { findUpload } from "../backup-restore/uploads/upload-store.ts";
import { ensureLiveDatabase, liveTarget } from "../app/live-database.ts";
import { getEnv } from "../env.ts";

/** A backup the page names: a stored upload by its id, or a file of the catalogue by its name. */
export type BackupSource = { uploadId: string } | { file: string };

/**
 * The path of the backup a request names, or why there is none. A catalogue file is taken
 * only by a name the app gives its backups and only when the catalogue lists it, so no path
 * can be named from the page; an upload only by its id, in the private upload folder.
 */
export async function locateBackup(
  source: BackupSource,
): Promise<{ path: string } | { missing: "upload" | "backup" | "invalid" }> {
  const env = getEnv();
  if ("uploadId" in source) {
    const path = findUpload(env.WIMM_UPLOAD_DIR, source.uploadId);
    return path ? { path } : { missing: "upload" };
  }
  if (!parseBackupFilename(source.file)) return { missing: "invalid" };
  const dir = env.WIMM_BACKUP_DIR;
  const listed = (await listBackups(dir, { timeoutMs: env.WIMM_VALIDATE_TIMEOUT_S * 1000 })).some(
    (e) => e.file === source.file,
  );
  return listed ? { path: join(dir, source.file) } : { missing: "backup" };
}

/**
 * What a restore of the file would do (spine/preview-restore.ts): it reads, never writes. A
 * file the scenario table refuses on this instance is refused first, as the restore refuses
 * it, before its content is looked at: `wimm inspect` still describes a dump on SQLite, but the
 * page answers with the restore's own words (a dump on SQLite is "a PostgreSQL backup", even
 * when it is also a broken one).
 */
export async function previewBackupFile(path: string, keys?: AgeKeys): Promise<PreviewResult> {
  const env = getEnv();
  await ensureLiveDatabase();
  // A compressed or encrypted file's type is that of what it holds: the preview unwraps it
  // (in the isolated child) and the scenario table judges the inner file there.
  if (!sniffWrapping(path)) {
    const plan = planRestore(liveTarget().engine, sniffBackupType(path), true);
    if (plan.action === "refuse") return { ok: false, code: plan.code };
  }
  return previewRestore({
    file: path,
    live: liveTarget(),
    backupDir: env.WIMM_BACKUP_DIR,
    demoMode: env.DEMO_MODE,
    ...restoreLimits(env),
    ...(keys ? { keys } : {}),
  });
}

/**
 * The key the page was given for an encrypted backup: private keys (a pasted
 * `AGE-SECRET-KEY-1…` line, or a recovery kit or age-keygen file, comments and all), or else
 * a passphrase (its first line). Held for the request or the restore it starts, never
 * stored, never logged.
 */
export function keysFromText(text: string | undefined): AgeKeys | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  if (text.includes("AGE-SECRET-KEY-")) {
    // Each line that is a key, whatever else was pasted around it; none opens nothing, and
    // the answer says so.
    const identities = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.startsWith("AGE-SECRET-KEY-") && parseIdentityText(line).ok);
    return { identities, passphrases: [] };
  }
  const passphrase = parsePassphraseText(text);
  return passphrase === null ? undefined : { identities: [], passphrases: [passphrase] };
}
