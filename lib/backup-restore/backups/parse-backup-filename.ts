/**
 * What a backup's file name says: who made it and when. Retention decides from the name
 * alone, so it never has to open (or trust) a file's content, and a copied file whose
 * modification time changed keeps its place in the calendar.
 */
import type { Engine } from "../../db/url.ts";

/** Who made a backup. The two safety triggers are the copies taken before a restore or an upgrade. */
export type BackupTrigger = "manual" | "scheduled" | "pre-restore" | "pre-upgrade";

export type BackupName = { trigger: BackupTrigger; createdAt: Date; engine: Engine };

// `fileTimestamp` (engine/private-files.ts): an ISO instant with `:` and `.` turned into `-`.
const TIMESTAMP = String.raw`(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z`;
// `.sqlite3.gz`: a SQLite backup compressed in place (protect-backup.ts). Its `.age` copy is
// not a backup of its own (catalogue.ts), so no name ending in `.age` parses.
const EXTENSION = String.raw`\.(sqlite3|sqlite3\.gz|dump)`;
const CURRENT = new RegExp(`^wimm-(manual|scheduled|pre-restore|pre-upgrade)-${TIMESTAMP}${EXTENSION}$`);
// Names written before the trigger was part of every name: `wimm-<ts>` was a backup by hand.
const OLD_MANUAL = new RegExp(`^wimm-${TIMESTAMP}${EXTENSION}$`);
const OLD_PRE_RESTORE = new RegExp(`^pre_restore_${TIMESTAMP}${EXTENSION}$`);

/**
 * The trigger, creation time and engine a backup's name carries, or null when the name is
 * not one the app writes (a `.partial` being written, a file the admin put there): such a
 * file is none of retention's business.
 */
export function parseBackupFilename(filename: string): BackupName | null {
  const current = CURRENT.exec(filename);
  if (current) return fromParts(current[1] as BackupTrigger, current.slice(2));
  const manual = OLD_MANUAL.exec(filename);
  if (manual) return fromParts("manual", manual.slice(1));
  const preRestore = OLD_PRE_RESTORE.exec(filename);
  if (preRestore) return fromParts("pre-restore", preRestore.slice(1));
  return null;
}

function fromParts(trigger: BackupTrigger, [date, hours, minutes, seconds, millis, extension]: string[]) {
  const iso = `${date}T${hours}:${minutes}:${seconds}.${millis}Z`;
  const createdAt = new Date(iso);
  // A well-shaped but impossible instant (month 13, 25 o'clock) is not a name the app wrote;
  // Date would roll `02-30` over into March instead of refusing it.
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) return null;
  const engine: Engine = extension === "dump" ? "postgresql" : "sqlite";
  return { trigger, createdAt, engine };
}
