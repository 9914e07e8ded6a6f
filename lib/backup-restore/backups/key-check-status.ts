/**
 * The last time someone proved they still hold the private key of the encrypted backups
 * ("do you still have the key?"), in `key-check-status.json` beside the backups (0600). The
 * key is tried in the admin's browser; the server hears only the outcome and the key's
 * public half. A file of its own, like scheduled-backup-status.json: the reminder is read on
 * every admin page and must cost one small read, never the audit trail, which grows without
 * end (the trail still records every try).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { log } from "../../log.ts";
import { ensurePrivateDir, writePrivateJson } from "../engine/private-files.ts";

/** A key nobody has tried for this long may be a key nobody can find any more. */
export const KEY_CHECK_REMINDER_DAYS = 90;

export type KeyCheckStatus = { at: string; ok: boolean; file: string; recipient: string; actor: string };

const StatusFile = z.object({
  at: z.iso.datetime(),
  ok: z.boolean(),
  file: z.string(),
  recipient: z.string(),
  actor: z.string(),
});

const statusPath = (dir: string) => join(dir, "key-check-status.json");

/**
 * Records a try. A failed try never overwrites an earlier success: the family may hold
 * several keys, and one admin pasting the wrong one does not mean the right one is lost.
 */
export function recordKeyCheck(dir: string, status: KeyCheckStatus): void {
  if (!status.ok && lastKeyCheck(dir)?.ok) return;
  try {
    writePrivateJson(statusPath(ensurePrivateDir(dir)), status);
  } catch (error) {
    log("ENCRYPTION", `could not record the key check: ${(error as Error).message}`);
  }
}

export function lastKeyCheck(dir: string): KeyCheckStatus | null {
  try {
    const parsed = StatusFile.safeParse(JSON.parse(readFileSync(statusPath(dir), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Whether to remind the admins: there are keys and an encrypted backup to try them on, and
 * no successful try in the last KEY_CHECK_REMINDER_DAYS days.
 */
export function keyCheckDue(
  last: KeyCheckStatus | null,
  { haveKeys, haveEncryptedBackup }: { haveKeys: boolean; haveEncryptedBackup: boolean },
  now = new Date(),
): boolean {
  if (!haveKeys || !haveEncryptedBackup) return false;
  if (!last || !last.ok) return true;
  return now.getTime() - Date.parse(last.at) > KEY_CHECK_REMINDER_DAYS * 86_400_000;
}
